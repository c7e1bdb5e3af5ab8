/**
 * OpenAI chat request → the upstream's chat request. The body keeps OpenAI's shape; the quirks row decides the
 * path, parameter handling, message rewrites and whether usage can be requested on streams.
 */
import { GatewayError } from '../../shared/errors.js';
import type { CatalogModel } from '../../catalog/schema.js';
import type { ChatRequest } from '../openai/chat-types.js';
import type { TranslationWarning, UpstreamRequest, UpstreamTarget } from '../types.js';
import { withOneOutputLimit } from '../output-limit.js';
import { toOpenAICompatibleMessages, withoutCacheControl } from './messages.js';
import { applyOpenAICompatibleParams } from './param-rules.js';
import { getOpenAICompatibleQuirks, type OpenAICompatibleQuirks } from './quirks.js';

export interface OpenAICompatibleRequestOutcome {
  request: UpstreamRequest;
  warnings: TranslationWarning[];
}

export function toOpenAICompatibleRequest(request: ChatRequest, target: UpstreamTarget): OpenAICompatibleRequestOutcome {
  const quirks = getOpenAICompatibleQuirks(target.provider);
  assertModelCapabilities(request, target.model);
  const stream = request.stream === true;
  const messages = toOpenAICompatibleMessages(request.messages, quirks, target.model);
  // One output limit, whatever this provider calls it: the one the hold was sized on (providers/output-limit.ts).
  const limited = withOneOutputLimit(request);
  const params = applyOpenAICompatibleParams(withUpstreamTools(limited.request, quirks), quirks, target.model.pricing);
  const body: Record<string, unknown> = { model: target.upstreamModel, messages: messages.messages, ...params.fields };
  const warnings = [...messages.warnings, ...limited.warnings, ...params.warnings];
  if (!stream) warnings.push(...applyNonStreamDefaults(body, request, quirks));
  body.stream = stream;
  // Usage is always requested: billing needs it whatever the client asked; the gateway adds the client's usage chunk.
  // The client's own stream_options are not forwarded: only usage is asked for.
  if (stream && quirks.streamUsageOption) body.stream_options = { include_usage: true };
  return {
    request: {
      method: 'POST',
      url: `${target.baseUrl}${quirks.chatPath}`,
      headers: {
        authorization: `Bearer ${target.apiKey}`,
        'content-type': 'application/json',
        accept: stream ? 'text/event-stream' : 'application/json',
      },
      body: JSON.stringify(body),
    },
    warnings,
  };
}

function assertModelCapabilities(request: ChatRequest, model: CatalogModel): void {
  if (request.tools != null && request.tools.length > 0 && !model.capabilities.tools) {
    throw new GatewayError('unsupported_parameter', { param: 'tools', message: 'This model does not support tool calls.' });
  }
  if (request.response_format?.type === 'json_schema' && !model.capabilities.json_schema) {
    throw new GatewayError('unsupported_parameter', {
      param: 'response_format',
      message: 'This model does not support response_format json_schema.',
    });
  }
}

/** Tools lose `cache_control` (set next to `type`/`function`) when the upstream would reject it. */
function withUpstreamTools(request: ChatRequest, quirks: OpenAICompatibleQuirks): ChatRequest {
  if (quirks.cacheControl === 'keep' || request.tools == null) return request;
  return { ...request, tools: request.tools.map(withoutCacheControl) };
}

function applyNonStreamDefaults(
  body: Record<string, unknown>,
  request: ChatRequest,
  quirks: OpenAICompatibleQuirks,
): TranslationWarning[] {
  const warnings: TranslationWarning[] = [];
  for (const [field, value] of Object.entries(quirks.nonStreamDefaults)) {
    if (request[field] !== undefined && request[field] !== null) continue;
    body[field] = value;
    warnings.push({ param: field, message: `${field} was set to ${JSON.stringify(value)}: this provider requires it for non-streamed calls.` });
  }
  return warnings;
}
