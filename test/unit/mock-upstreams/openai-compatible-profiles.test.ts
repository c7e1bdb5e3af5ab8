import { describe, expect, it } from 'vitest';
import { openAICompatibleProfiles } from '../../../src/mock-upstreams/openai-compatible-profiles.js';

const withReasoning = { prompt: 100, completion: 20, reasoning: 7, cached: 30 };
const openAIDetails = { reasoning_tokens: 7, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 };

describe('OpenAI-compatible mock profiles', () => {
  it.each([
    ['openai', { prompt_tokens: 100, completion_tokens: 27, total_tokens: 127, prompt_tokens_details: { cached_tokens: 30, audio_tokens: 0 }, completion_tokens_details: openAIDetails }],
    ['xai', { prompt_tokens: 100, completion_tokens: 20, total_tokens: 127, prompt_tokens_details: { text_tokens: 100, audio_tokens: 0, image_tokens: 0, cached_tokens: 30 }, completion_tokens_details: openAIDetails }],
    ['deepseek', { prompt_tokens: 100, completion_tokens: 27, total_tokens: 127, prompt_cache_hit_tokens: 30, prompt_cache_miss_tokens: 70, completion_tokens_details: { reasoning_tokens: 7 } }],
    ['alibaba', { prompt_tokens: 100, completion_tokens: 27, total_tokens: 127, prompt_tokens_details: { cached_tokens: 30 }, completion_tokens_details: { reasoning_tokens: 7 } }],
    ['zhipu', { prompt_tokens: 100, completion_tokens: 27, total_tokens: 127, prompt_tokens_details: { cached_tokens: 30 } }],
    ['minimax', { prompt_tokens: 100, completion_tokens: 27, total_tokens: 127 }],
    ['xiaomi', { prompt_tokens: 100, completion_tokens: 27, total_tokens: 127, completion_tokens_details: { reasoning_tokens: 7 }, prompt_tokens_details: null }],
    ['moonshot', { prompt_tokens: 100, completion_tokens: 27, total_tokens: 127, cached_tokens: 30 }],
  ] as const)('%s reports usage in its own shape, key for key', (provider, usage) => {
    const reported = openAICompatibleProfiles[provider].toUsage(withReasoning);
    expect(reported).toStrictEqual(usage);
    expect(Object.keys(reported)).toEqual(Object.keys(usage));
  });

  it('leaves completion_tokens_details out for DeepSeek and DashScope when there was no reasoning', () => {
    const noReasoning = { ...withReasoning, reasoning: 0 };
    expect(openAICompatibleProfiles.deepseek.toUsage(noReasoning)).not.toHaveProperty('completion_tokens_details');
    expect(openAICompatibleProfiles.alibaba.toUsage(noReasoning)).not.toHaveProperty('completion_tokens_details');
  });

  it('states where each provider departs from the usual wire habits', () => {
    const { openai, deepseek, alibaba, zhipu, minimax, moonshot } = openAICompatibleProfiles;
    expect(openai).toMatchObject({ idPrefix: 'chatcmpl-', reasoning: 'hidden', roleChunk: 'separate', openaiExtras: true });
    expect(deepseek).toMatchObject({ pathPrefixes: ['', '/v1'], finishOnLastDelta: true, keepAlive: true, chunk: { explicitNulls: true, usageNull: true } });
    expect(alibaba.pathPrefixes).toEqual(['/compatible-mode/v1']);
    expect(zhipu.chunk).toEqual({ object: false, nullFinishReason: false, logprobs: false, usageNull: false, explicitNulls: false });
    expect(minimax).toMatchObject({ reasoning: 'think-tags', usagePlacement: 'finish-chunk', chunk: { object: true, nullFinishReason: false } });
    expect(moonshot).toMatchObject({ usagePlacement: 'in-choice', roleChunk: 'separate', keepAlive: false, toolStreaming: 'incremental' });
  });
});
