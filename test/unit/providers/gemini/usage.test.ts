import { describe, expect, it } from 'vitest';
import { fromGeminiUsage } from '../../../../src/providers/gemini/usage.js';

describe('fromGeminiUsage', () => {
  it('counts thoughts as output and reasoning, cached tokens inside the prompt', () => {
    expect(
      fromGeminiUsage({ promptTokenCount: 120, cachedContentTokenCount: 100, candidatesTokenCount: 14, thoughtsTokenCount: 60, totalTokenCount: 194 }),
    ).toEqual({ inputTokens: 120, cachedInputTokens: 100, cacheWriteTokens: 0, outputTokens: 74, reasoningTokens: 60 });
  });

  it('adds tool-use prompt tokens to the input, as Google bills them', () => {
    expect(fromGeminiUsage({ promptTokenCount: 10, toolUsePromptTokenCount: 5, candidatesTokenCount: 1 }).inputTokens).toBe(15);
  });

  it('treats missing counts (a prompt-only usage block) as zero', () => {
    expect(fromGeminiUsage({ promptTokenCount: 9, totalTokenCount: 9 })).toEqual({
      inputTokens: 9,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
    });
  });
});
