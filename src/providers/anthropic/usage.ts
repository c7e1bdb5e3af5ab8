/**
 * Anthropic usage → NormalizedUsage. Anthropic's `input_tokens` excludes both cache reads and cache writes, so
 * the OpenAI-style prompt total adds them back; cache writes stay visible because they are billed at a premium.
 */
import type { NormalizedUsage } from '../types.js';
import type { AnthropicUsage } from './anthropic-api.js';

export function fromAnthropicUsage(usage: AnthropicUsage): NormalizedUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const cacheWrite1h = Math.min(usage.cache_creation?.ephemeral_1h_input_tokens ?? 0, cacheWrite);
  return {
    inputTokens: (usage.input_tokens ?? 0) + cacheRead + cacheWrite,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    ...(cacheWrite1h > 0 ? { cacheWrite1hTokens: cacheWrite1h } : {}),
    outputTokens: usage.output_tokens ?? 0,
    reasoningTokens: usage.output_tokens_details?.thinking_tokens ?? 0,
  };
}

/**
 * Folds one stream usage report into the running one. `message_delta.usage` is cumulative, and its input and
 * cache fields may be repeated or null, so a field only replaces the earlier value when it is present.
 */
export function mergeAnthropicUsage(previous: AnthropicUsage | undefined, next: AnthropicUsage): AnthropicUsage {
  const merged: AnthropicUsage = { ...previous };
  for (const key of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
    const value = next[key];
    if (value != null) merged[key] = value;
  }
  if (next.output_tokens_details != null) merged.output_tokens_details = next.output_tokens_details;
  if (next.cache_creation != null) merged.cache_creation = next.cache_creation;
  return merged;
}
