import type { OpenAIUsage } from './openai/chat-types.js';
import type { NormalizedUsage } from './types.js';

export function emptyUsage(): NormalizedUsage {
  return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
}

/** NormalizedUsage → OpenAI's `usage` object (prompt includes cached, completion includes reasoning). */
export function toOpenAIUsage(usage: NormalizedUsage): OpenAIUsage {
  const out: OpenAIUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
  if (usage.cacheWriteTokens > 0) out.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens, cache_write_tokens: usage.cacheWriteTokens };
  return out;
}
