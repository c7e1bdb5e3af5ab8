/**
 * `GET /api/v1/models` and `GET /api/v1/models/{vendor}/{model}`: OpenAI's list shape, so `models.list()` in
 * the SDKs works, with OpenRouter's per-model extras (pricing per token, architecture, top_provider,
 * supported_parameters) that model pickers and cost estimators already understand.
 */
import type { FastifyInstance } from 'fastify';
import type { Catalog } from '../../catalog/catalog.js';
import type { CatalogModel, ModelPricing } from '../../catalog/schema.js';
import { GatewayError } from '../../shared/errors.js';
import { withAnthropicListFields, type AnthropicModelList } from '../anthropic/model-list.js';
import type { OpenAIModelItem, OpenAIModelList, OpenRouterPricing } from './model-item.js';

export interface ModelRouteDeps {
  catalog: Catalog;
  /** Whether some enabled upstream channel can serve the model right now. */
  isServed(modelId: string): boolean;
}

export type { OpenRouterPricing, OpenAIModelItem, OpenAIModelList };

export function registerModelRoutes(app: FastifyInstance, deps: ModelRouteDeps): void {
  const isListed = (model: CatalogModel, all: boolean): boolean => all || (model.enabled && deps.isServed(model.id));

  app.get<{ Querystring: { all?: string } }>('/api/v1/models', async (request): Promise<OpenAIModelList | AnthropicModelList> => {
    const all = parseAllFlag(request.query.all);
    const data = deps.catalog
      .list()
      .filter((model) => isListed(model, all))
      .map(toOpenAIModelItem);
    const list: OpenAIModelList = { object: 'list', data };
    return request.headers['anthropic-version'] === undefined ? list : withAnthropicListFields(list);
  });

  // Model ids contain a slash (`openai/gpt-4.1`), so the id is the whole rest of the path.
  app.get<{ Params: { '*': string }; Querystring: { all?: string } }>('/api/v1/models/*', async (request) => {
    const all = parseAllFlag(request.query.all);
    const id = request.params['*'];
    const model = deps.catalog.get(id);
    if (!model || !isListed(model, all)) {
      throw new GatewayError('model_not_found', { param: 'model', message: `The model "${id}" does not exist or is not available.` });
    }
    return toOpenAIModelItem(model);
  });
}

function parseAllFlag(value: string | undefined): boolean {
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new GatewayError('invalid_request', { param: 'all', message: 'The "all" query parameter must be 1, true, 0 or false.' });
}

export function toOpenAIModelItem(model: CatalogModel): OpenAIModelItem {
  const isChat = model.modality === 'chat';
  const architecture = describeModelArchitecture(model);
  return {
    id: model.id,
    object: 'model',
    created: model.created,
    owned_by: model.id.slice(0, model.id.indexOf('/')),
    name: model.name,
    description: model.description,
    context_length: isChat ? model.contextLength : null,
    pricing: toOpenRouterPricing(model.pricing),
    pricing_detail: model.pricing,
    architecture,
    top_provider: {
      context_length: isChat ? model.contextLength : null,
      max_completion_tokens: isChat ? model.maxOutputTokens : null,
      is_moderated: false,
    },
    supported_parameters: listSupportedParameters(model),
    ...(model.image ? { image_options: model.image } : {}),
    ...(model.video ? { video_options: model.video } : {}),
  };
}

export function toOpenRouterPricing(pricing: ModelPricing): OpenRouterPricing {
  switch (pricing.kind) {
    case 'tokens':
      return {
        prompt: toUsdPerToken(pricing.inputPerMTok),
        completion: toUsdPerToken(pricing.outputPerMTok),
        request: '0',
        image: '0',
        ...(pricing.cachedInputPerMTok !== undefined ? { input_cache_read: toUsdPerToken(pricing.cachedInputPerMTok) } : {}),
        ...(pricing.cacheWritePerMTok !== undefined ? { input_cache_write: toUsdPerToken(pricing.cacheWritePerMTok) } : {}),
      };
    case 'image':
      // For image generators `image` is the price of each generated image; size-specific prices are in pricing_detail.
      return { prompt: '0', completion: '0', request: '0', image: trimUsd(pricing.perImage) };
    case 'video':
      // Per-second video prices have no OpenRouter field; pricing_detail.perSecond carries them.
      return { prompt: '0', completion: '0', request: '0', image: '0' };
    default:
      return pricing satisfies never;
  }
}

/** "2.50" USD per 1M tokens → "0.0000025" USD per token, by moving the decimal point (never through a float). */
export function toUsdPerToken(usdPerMTok: string): string {
  const [whole = '0', fraction = ''] = usdPerMTok.split('.');
  const scale = fraction.length + 6;
  const digits = (whole + fraction).padStart(scale + 1, '0');
  return trimUsd(`${digits.slice(0, -scale)}.${digits.slice(-scale)}`);
}

function trimUsd(usd: string): string {
  if (!usd.includes('.')) return usd.replace(/^0+(?=\d)/, '');
  const trimmed = usd.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed.replace(/^0+(?=\d)/, '');
}

export function describeModelArchitecture(model: CatalogModel): OpenAIModelItem['architecture'] {
  const inputs = ['text'];
  let outputs: string[];
  if (model.modality === 'chat') {
    if (model.capabilities.vision) inputs.push('image');
    outputs = ['text'];
  } else if (model.modality === 'image') {
    if (model.capabilities.vision) inputs.push('image');
    outputs = ['image'];
  } else {
    const roles = model.video?.roles ?? [];
    if (roles.some((role) => role === 'first_frame' || role === 'last_frame' || role === 'reference_image')) inputs.push('image');
    if (roles.includes('reference_video')) inputs.push('video');
    if (roles.includes('reference_audio')) inputs.push('audio');
    outputs = model.video?.audio ? ['video', 'audio'] : ['video'];
  }
  return { input_modalities: inputs, output_modalities: outputs, modality: `${inputs.join('+')}->${outputs.join('+')}` };
}

/** Request parameters a client may rely on, from the model's capabilities; media models take their options instead. */
export function listSupportedParameters(model: CatalogModel): string[] {
  if (model.modality !== 'chat') return [];
  const params = ['max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'stop'];
  if (model.capabilities.tools) params.push('tools', 'tool_choice');
  if (model.capabilities.json_schema) params.push('response_format', 'structured_outputs');
  if (model.capabilities.reasoning) params.push('reasoning', 'reasoning_effort', 'include_reasoning');
  if (model.capabilities.streaming) params.push('stream', 'stream_options');
  return params;
}
