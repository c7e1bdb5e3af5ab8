import { describe, expect, it } from 'vitest';
import { fromAnthropicUsage, mergeAnthropicUsage } from '../../../../src/providers/anthropic/usage.js';

describe('fromAnthropicUsage', () => {
  it('adds cache reads and writes back into the prompt total and keeps them apart', () => {
    expect(fromAnthropicUsage({ input_tokens: 10, cache_creation_input_tokens: 20, cache_read_input_tokens: 30, output_tokens: 5 })).toEqual({
      inputTokens: 60,
      cachedInputTokens: 30,
      cacheWriteTokens: 20,
      outputTokens: 5,
      reasoningTokens: 0,
    });
  });

  it('keeps the 1-hour part of the cache writes apart, for its higher price', () => {
    const usage = { input_tokens: 10, cache_creation_input_tokens: 20, cache_creation: { ephemeral_5m_input_tokens: 5, ephemeral_1h_input_tokens: 15 }, output_tokens: 5 };
    expect(fromAnthropicUsage(usage)).toMatchObject({ inputTokens: 30, cacheWriteTokens: 20, cacheWrite1hTokens: 15 });
    const merged = mergeAnthropicUsage({ input_tokens: 10, cache_creation_input_tokens: 20 }, { output_tokens: 9, cache_creation: usage.cache_creation });
    expect(fromAnthropicUsage(merged).cacheWrite1hTokens).toBe(15);
  });

  it('treats null counters as zero', () => {
    expect(fromAnthropicUsage({ input_tokens: null, output_tokens: null })).toEqual({
      inputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
    });
  });
});

describe('mergeAnthropicUsage', () => {
  it('lets later cumulative reports replace counters, but never with null', () => {
    const start = { input_tokens: 100, cache_read_input_tokens: 50, output_tokens: 1 };
    const merged = mergeAnthropicUsage(start, { input_tokens: null, cache_read_input_tokens: null, output_tokens: 42 });
    expect(merged).toEqual({ input_tokens: 100, cache_read_input_tokens: 50, output_tokens: 42 });
  });
});
