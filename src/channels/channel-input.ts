/** Validation of channel settings; `param` names use the admin API's snake_case field names. */
import { getProvider, type ProviderInfo } from '../catalog/providers.js';
import { GatewayError } from '../shared/errors.js';

export interface ChannelCreateInput {
  provider: string;
  name: string;
  /** Defaults to the provider's public endpoint. */
  baseUrl?: string;
  apiKey: string;
  /** Required for providers that sign with an access key and a secret key (Kling). */
  secretKey?: string;
  /** Model ids served; defaults to every catalog model of the provider when the service knows the catalog. */
  models?: string[];
  /** Positive integer; share of traffic within the same priority. Default 1. */
  weight?: number;
  /** Higher is tried first. Default 0. */
  priority?: number;
  enabled?: boolean;
}

export interface ChannelUpdateInput {
  name?: string;
  baseUrl?: string;
  apiKey?: string;
  /** null removes the secret. */
  secretKey?: string | null;
  models?: string[];
  weight?: number;
  priority?: number;
  enabled?: boolean;
}

function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', { param, message });
}

export function checkChannelProvider(id: string): ProviderInfo {
  const provider = getProvider(id);
  if (!provider) throw invalid('provider', `Unknown provider "${id}".`);
  return provider;
}

export function checkChannelName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) throw invalid('name', 'name must be 1 to 100 characters.');
  return trimmed;
}

/** Stored without a trailing slash: adapters append paths that start with one. */
export function checkChannelBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (error) {
    throw new GatewayError('invalid_request', { param: 'base_url', message: 'base_url must be an absolute URL.', cause: error });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('base_url', 'base_url must use http or https.');
  if (url.search || url.hash) throw invalid('base_url', 'base_url must not carry a query or fragment.');
  return baseUrl.replace(/\/+$/, '');
}

export function checkChannelSecret(value: string, param: 'api_key' | 'secret_key'): string {
  if (value.trim().length === 0 || value !== value.trim()) throw invalid(param, `${param} must be non-empty without surrounding spaces.`);
  return value;
}

export function checkChannelModels(models: readonly string[]): string[] {
  if (models.length === 0) throw invalid('models', 'models must list at least one model id.');
  models.forEach((model, index) => {
    if (model.trim().length === 0 || model.length > 200) throw invalid(`models[${index}]`, 'Model ids must be 1 to 200 characters.');
  });
  return [...new Set(models)].sort();
}

export function checkChannelWeight(weight: number): number {
  if (!Number.isSafeInteger(weight) || weight < 1) throw invalid('weight', 'weight must be a positive integer.');
  return weight;
}

export function checkChannelPriority(priority: number): number {
  if (!Number.isSafeInteger(priority)) throw invalid('priority', 'priority must be an integer.');
  return priority;
}
