/** Validation of a new key's settings; `param` names use the API's snake_case field names. */
import { GatewayError } from '../shared/errors.js';
import { checkIpAllowlist } from './ip-allowlist.js';

export interface CheckedApiKeyInput {
  name: string;
  expiresAt: number | null;
  allowedModels: string[] | null;
  allowedIps: string[] | null;
}

const MAX_NAME_LENGTH = 100;
const MAX_LIST_LENGTH = 500;
const MODEL_ENTRY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]*\*?$|^\*$/;

function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', { param, message });
}

function checkAllowedModels(models: string[]): string[] {
  if (models.length === 0) throw invalid('allowed_models', 'allowed_models must list at least one model; omit it to allow all.');
  if (models.length > MAX_LIST_LENGTH) throw invalid('allowed_models', `allowed_models may list at most ${MAX_LIST_LENGTH} entries.`);
  models.forEach((model, index) => {
    if (model.length > 200 || !MODEL_ENTRY_PATTERN.test(model)) {
      throw invalid(`allowed_models[${index}]`, `"${model}" is not a model id or "vendor/*" pattern.`);
    }
  });
  return [...new Set(models)];
}

export function checkApiKeyInput(input: CreateApiKeyInput, now: number): CheckedApiKeyInput {
  const name = input.name.trim();
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw invalid('name', `name must be 1 to ${MAX_NAME_LENGTH} characters.`);
  }
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null && (!Number.isSafeInteger(expiresAt) || expiresAt <= now)) {
    throw invalid('expires_at', 'expires_at must be a time in the future.');
  }
  const allowedIps = input.allowedIps ?? null;
  if (allowedIps && allowedIps.length > MAX_LIST_LENGTH) {
    throw invalid('allowed_ips', `allowed_ips may list at most ${MAX_LIST_LENGTH} entries.`);
  }
  return {
    name,
    expiresAt,
    allowedModels: input.allowedModels ? checkAllowedModels(input.allowedModels) : null,
    allowedIps: allowedIps ? checkIpAllowlist(allowedIps) : null,
  };
}

export interface CreateApiKeyInput {
  name: string;
  /** Epoch ms, in the future. */
  expiresAt?: number | null;
  allowedModels?: string[] | null;
  allowedIps?: string[] | null;
  /** Lets the key call the admin API. Only admin routes may pass it, and only for an admin user's key. */
  adminScope?: boolean;
}
