import { describe, expect, it } from 'vitest';
import { getOpenAICompatibleQuirks } from '../../../../src/providers/openai-compatible/quirks.js';
import { toOpenAICompatibleNormalizedUsage } from '../../../../src/providers/openai-compatible/usage.js';

describe('OpenAI-compatible usage normalization', () => {
  it('keeps xAI completion tokens when the total shows reasoning was already inside them', () => {
    const usage = toOpenAICompatibleNormalizedUsage(
      { prompt_tokens: 10, completion_tokens: 90, total_tokens: 100, completion_tokens_details: { reasoning_tokens: 80 } },
      getOpenAICompatibleQuirks('xai'),
    );
    expect(usage).toEqual({ inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 90, reasoningTokens: 80 });
  });

  it('adds xAI reasoning tokens to completion tokens when no total is given', () => {
    const usage = toOpenAICompatibleNormalizedUsage(
      { prompt_tokens: 10, completion_tokens: 5, completion_tokens_details: { reasoning_tokens: 80 } },
      getOpenAICompatibleQuirks('xai'),
    );
    expect(usage?.outputTokens).toBe(85);
  });

  it('never adds reasoning for providers that count it inside completion tokens', () => {
    const usage = toOpenAICompatibleNormalizedUsage(
      { prompt_tokens: 10, completion_tokens: 5, total_tokens: 99, completion_tokens_details: { reasoning_tokens: 4 } },
      getOpenAICompatibleQuirks('deepseek'),
    );
    expect(usage?.outputTokens).toBe(5);
  });

  it('reads DeepSeek cache hits and falls back to prompt_tokens_details', () => {
    const quirks = getOpenAICompatibleQuirks('deepseek');
    expect(toOpenAICompatibleNormalizedUsage({ prompt_tokens: 20, completion_tokens: 1, prompt_cache_hit_tokens: 12 }, quirks)?.cachedInputTokens).toBe(12);
    expect(toOpenAICompatibleNormalizedUsage({ prompt_tokens: 20, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 7 } }, quirks)?.cachedInputTokens).toBe(7);
  });

  it('reads Moonshot top-level cached_tokens', () => {
    const usage = toOpenAICompatibleNormalizedUsage({ prompt_tokens: 19, completion_tokens: 13, cached_tokens: 16 }, getOpenAICompatibleQuirks('moonshot'));
    expect(usage?.cachedInputTokens).toBe(16);
  });

  it.each([null, undefined, 'usage', [], {}, { total_tokens: 5 }])('returns undefined for %j', (raw) => {
    expect(toOpenAICompatibleNormalizedUsage(raw, getOpenAICompatibleQuirks('openai'))).toBeUndefined();
  });
});
