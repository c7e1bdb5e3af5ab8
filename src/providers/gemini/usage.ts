import type { NormalizedUsage } from '../types.js';
import type { GeminiUsageMetadata } from './gemini-api.js';

/**
 * `usageMetadata` → NormalizedUsage. Gemini counts thoughts apart from candidates while OpenAI's completion
 * count includes reasoning, so output = candidates + thoughts. `promptTokenCount` already includes cached
 * tokens. `toolUsePromptTokenCount` (results of Google-run tools) is billed as input, so it joins the prompt.
 */
export function fromGeminiUsage(metadata: GeminiUsageMetadata): NormalizedUsage {
  const thoughts = metadata.thoughtsTokenCount ?? 0;
  return {
    inputTokens: (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0),
    cachedInputTokens: metadata.cachedContentTokenCount ?? 0,
    cacheWriteTokens: 0,
    outputTokens: (metadata.candidatesTokenCount ?? 0) + thoughts,
    reasoningTokens: thoughts,
  };
}
