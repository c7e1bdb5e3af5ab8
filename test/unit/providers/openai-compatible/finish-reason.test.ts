import { describe, expect, it } from 'vitest';
import { mapOpenAICompatibleFinishReason } from '../../../../src/providers/openai-compatible/finish-reason.js';
import { getOpenAICompatibleQuirks } from '../../../../src/providers/openai-compatible/quirks.js';

const cases: Array<[provider: string, raw: unknown, finishReason: string | null, native: string | undefined]> = [
  ['openai', 'stop', 'stop', undefined],
  ['openai', 'length', 'length', undefined],
  ['openai', 'tool_calls', 'tool_calls', undefined],
  ['openai', 'content_filter', 'content_filter', undefined],
  ['xai', 'function_call', 'tool_calls', 'function_call'],
  ['deepseek', 'insufficient_system_resource', 'length', 'insufficient_system_resource'],
  ['zhipu', 'sensitive', 'content_filter', 'sensitive'],
  ['zhipu', 'network_error', 'stop', 'network_error'],
  ['zhipu', 'model_context_window_exceeded', 'length', 'model_context_window_exceeded'],
  // Another provider's extra reason is unknown here: neutral `stop`, raw value kept.
  ['deepseek', 'sensitive', 'stop', 'sensitive'],
  ['alibaba', 'interrupted', 'stop', 'interrupted'],
  ['openai', null, null, undefined],
  ['openai', undefined, null, undefined],
  ['openai', '', null, undefined],
];

describe('OpenAI-compatible finish reasons', () => {
  it.each(cases)('%s %j → %s (native %s)', (provider, raw, finishReason, native) => {
    const mapped = mapOpenAICompatibleFinishReason(raw, getOpenAICompatibleQuirks(provider));
    expect(mapped.finishReason).toBe(finishReason);
    expect(mapped.nativeFinishReason).toBe(native);
  });
});
