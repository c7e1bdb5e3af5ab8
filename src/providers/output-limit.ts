/**
 * How much a chat request may make the upstream write: the one decision every adapter sends and billing holds.
 * A client may set both max_completion_tokens and max_tokens; the upstreams disagree on which one wins (DeepSeek,
 * Qwen, GLM and Kimi read max_tokens, OpenAI and xAI max_completion_tokens), so the gateway decides, as OpenAI
 * documents it: max_completion_tokens, the newer name. The other value is never sent, so no upstream can be
 * asked for more than the hold was sized on.
 */
import type { CatalogModel } from '../catalog/schema.js';
import type { ChatRequest } from './openai/chat-types.js';
import type { TranslationWarning } from './types.js';

/** The output limit per choice the request asks for, or undefined for the model's own maximum. */
export function requestedOutputTokens(request: ChatRequest): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens ?? undefined;
}

/** Choices the request asks for; adapters either send `n` as is or refuse any other value than 1. */
export function requestedChoices(request: ChatRequest): number {
  return request.n ?? 1;
}

/**
 * The most output tokens an upstream can be asked for by this request: the limit per choice (the request's, else
 * the model's maximum), times the choices. Every adapter sends at most this; the hold covers at least this.
 */
export function outputTokenCeiling(request: ChatRequest, model: Pick<CatalogModel, 'maxOutputTokens'>, fallbackPerChoice?: number): number {
  const perChoice = requestedOutputTokens(request) ?? (model.maxOutputTokens > 0 ? model.maxOutputTokens : (fallbackPerChoice ?? 0));
  return perChoice * requestedChoices(request);
}

/**
 * The request carrying its output limit in one field only, the one requestedOutputTokens reads, so a provider's
 * renaming of one field into the other cannot resurrect the value that lost.
 */
export function withOneOutputLimit(request: ChatRequest): { request: ChatRequest; warnings: TranslationWarning[] } {
  if (request.max_completion_tokens == null || request.max_tokens == null) return { request, warnings: [] };
  const { max_tokens: dropped, ...rest } = request;
  const warnings =
    dropped === request.max_completion_tokens
      ? []
      : [{ param: 'max_tokens', message: `max_tokens (${dropped}) was not sent: the request also sets max_completion_tokens (${request.max_completion_tokens}), which was used.` }];
  return { request: rest, warnings };
}
