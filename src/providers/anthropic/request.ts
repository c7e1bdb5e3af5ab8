/**
 * OpenAI chat request → `POST /v1/messages`. The pieces (prompt, tools, JSON mode, thinking) are decided in
 * their own modules; this one checks the parameters that need no translation, resolves the conflicts between
 * the pieces, and assembles the body and headers.
 */
import { GatewayError } from '../../shared/errors.js';
import type { ChatRequest } from '../openai/chat-types.js';
import type { RequestContext, TranslationWarning, UpstreamRequest, UpstreamTarget } from '../types.js';
import { ANTHROPIC_VERSION, type AnthropicMessage, type AnthropicMessagesRequest, type AnthropicThinkingConfig } from './anthropic-api.js';
import { resolveAnthropicJsonMode } from './json-mode.js';
import { checkAnthropicBetas } from './beta-support.js';
import { assertCacheTtlsPriced } from './cache-ttl-pricing.js';
import { checkAnthropicParams } from './param-support.js';
import { toAnthropicPrompt } from './prompt.js';
import { resolveAnthropicThinking } from './thinking.js';
import { toAnthropicTools } from './tools.js';

export interface AnthropicUpstreamCall {
  request: UpstreamRequest;
  warnings: TranslationWarning[];
}

export function toAnthropicRequest(request: ChatRequest, target: UpstreamTarget, ctx: RequestContext): AnthropicUpstreamCall {
  const warnings = checkAnthropicParams(request);
  const beta = checkAnthropicBetas(ctx.clientHeaders['anthropic-beta'], target.model);
  assertCacheTtlsPriced(request, target.model);
  checkUnitRange(request.temperature, 'temperature');
  checkUnitRange(request.top_p, 'top_p');
  const prompt = toAnthropicPrompt(request.messages, target.model);
  if (prompt.messages.length === 0) {
    throw new GatewayError('invalid_request', { param: 'messages', message: 'At least one user or assistant message must have content.' });
  }
  const jsonMode = resolveAnthropicJsonMode(request, target.model);
  const plan = resolveAnthropicThinking(request, target.model, ctx.clientHeaders);
  const tools = toAnthropicTools(request, target.model, jsonMode);
  warnings.push(...prompt.warnings, ...plan.warnings, ...tools.warnings);

  let thinking = plan.thinking;
  if (thinking?.type === 'enabled' && continuesToolLoopWithoutThinking(prompt.messages)) {
    // The client dropped the signed thinking blocks of the turn being continued. Anthropic would refuse the
    // request, but accepts the same turn with thinking off, so the tool loop finishes without new thinking.
    thinking = undefined;
    warnings.push({
      param: 'reasoning_details',
      message: 'Thinking was turned off for this request: the assistant turn being continued came back without its reasoning_details.',
    });
  }
  if (thinking?.type === 'enabled' && jsonMode.kind === 'tool' && (tools.toolChoice?.type === 'any' || tools.toolChoice?.type === 'tool')) {
    throw new GatewayError('unsupported_parameter', {
      param: 'response_format',
      message: 'JSON mode on this model needs forced tool use, which Anthropic does not allow together with extended thinking.',
    });
  }

  const body: AnthropicMessagesRequest = {
    model: target.upstreamModel,
    max_tokens: plan.maxTokens,
    ...(prompt.system.length > 0 ? { system: prompt.system } : {}),
    messages: prompt.messages,
    ...(tools.tools !== undefined ? { tools: tools.tools } : {}),
    ...(tools.toolChoice !== undefined ? { tool_choice: tools.toolChoice } : {}),
    ...samplingFields(request),
    ...(request.user != null ? { metadata: { user_id: request.user } } : {}),
    ...thinkingField(thinking),
    ...(jsonMode.kind === 'native' ? { output_config: { format: { type: 'json_schema', schema: jsonMode.schema } } } : {}),
    ...(request.stream === true ? { stream: true } : {}),
  };
  return {
    request: { method: 'POST', url: `${target.baseUrl}/v1/messages`, headers: toAnthropicHeaders(target, beta), body: JSON.stringify(body) },
    warnings,
  };
}

/** `beta`: the checked anthropic-beta value (beta-support.ts), never the client's header as sent. */
export function toAnthropicHeaders(target: UpstreamTarget, beta: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'x-api-key': target.apiKey,
    'anthropic-version': ANTHROPIC_VERSION,
    'content-type': 'application/json',
  };
  if (beta !== undefined) headers['anthropic-beta'] = beta;
  return headers;
}

function checkUnitRange(value: number | null | undefined, param: 'temperature' | 'top_p'): void {
  if (value == null || (value >= 0 && value <= 1)) return;
  throw new GatewayError('invalid_request', { param, message: `${param} must be between 0 and 1 for Anthropic models (got ${value}).` });
}

function samplingFields(request: ChatRequest): Partial<AnthropicMessagesRequest> {
  const fields: Partial<AnthropicMessagesRequest> = {};
  if (request.temperature != null) fields.temperature = request.temperature;
  if (request.top_p != null) fields.top_p = request.top_p;
  const topK = request.top_k;
  if (topK != null) {
    if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1) {
      throw new GatewayError('invalid_request', { param: 'top_k', message: 'top_k must be a positive integer.' });
    }
    fields.top_k = topK;
  }
  const stop = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  if (stop.length > 0) fields.stop_sequences = stop;
  return fields;
}

function thinkingField(thinking: AnthropicThinkingConfig | undefined): Partial<AnthropicMessagesRequest> {
  return thinking === undefined ? {} : { thinking };
}

/** The request ends with tool results for an assistant turn that has no thinking block in front. */
function continuesToolLoopWithoutThinking(messages: readonly AnthropicMessage[]): boolean {
  const last = messages.at(-1);
  const previous = messages.at(-2);
  if (last?.role !== 'user' || last.content[0]?.type !== 'tool_result' || previous?.role !== 'assistant') return false;
  const first = previous.content[0]?.type;
  return first !== 'thinking' && first !== 'redacted_thinking';
}
