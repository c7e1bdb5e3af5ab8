/** Stream translator behaviour the fixture files do not pin down on their own. */
import { describe, expect, it } from 'vitest';
import { createOpenAICompatibleStreamTranslator } from '../../../../src/providers/openai-compatible/stream.js';
import { readOpenAICompatibleReasoning } from '../../../../src/providers/openai-compatible/reasoning.js';
import { getOpenAICompatibleQuirks } from '../../../../src/providers/openai-compatible/quirks.js';
import { makeResponseContext, makeTarget } from './fixture-harness.js';

const data = (value: unknown) => ({ event: undefined, data: JSON.stringify(value) });

describe('OpenAI-compatible stream translator', () => {
  it('turns a named error event without an error wrapper into a catalog error', () => {
    const translator = createOpenAICompatibleStreamTranslator(makeTarget('openai'), makeResponseContext('openai'));
    const step = translator.push({ event: 'error', data: JSON.stringify({ message: 'Rate limit reached', code: 'rate_limit_exceeded' }) });
    expect(step.error?.code).toBe('rate_limit_exceeded');
    expect(step.chunks).toEqual([]);
  });

  it('reads the `reasoning` spelling some servers use', () => {
    const translator = createOpenAICompatibleStreamTranslator(makeTarget('xiaomi'), makeResponseContext('xiaomi'));
    const step = translator.push(data({ choices: [{ index: 0, delta: { role: 'assistant', reasoning: 'thinking' } }] }));
    expect(step.chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', reasoning_content: 'thinking' });
  });

  it('serves a provider without a quirks row as a plain OpenAI-compatible server', () => {
    const target = { ...makeTarget('openai'), provider: 'acme' };
    const translator = createOpenAICompatibleStreamTranslator(target, makeResponseContext('openai'));
    expect(translator.push(data({ choices: [{ index: 0, delta: { content: 'x' }, finish_reason: 'stop' }] })).chunks).toHaveLength(1);
    expect(translator.push({ event: undefined, data: '[DONE]' })).toEqual({ chunks: [], done: true });
    expect(translator.end()).toEqual({ chunks: [], truncated: false });
  });

  it('hands on text still held for a possible tag when the stream ends without a finish', () => {
    const translator = createOpenAICompatibleStreamTranslator(makeTarget('minimax'), makeResponseContext('minimax'));
    translator.push(data({ choices: [{ index: 0, delta: { content: '<think>plan</thi' } }] }));
    const end = translator.end();
    expect(end.truncated).toBe(true);
    expect(end.chunks[0]?.choices[0]?.delta).toEqual({ reasoning_content: '</thi' });
  });

  it('reports the latest usage and no finish reason before any arrives', () => {
    const translator = createOpenAICompatibleStreamTranslator(makeTarget('openai'), makeResponseContext('openai'));
    expect(translator.usage).toBeUndefined();
    expect(translator.finishReason).toBeNull();
    translator.push(data({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 1 } }));
    translator.push(data({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } }));
    expect(translator.usage).toEqual({ inputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0 });
  });
});

describe('reasoning field names', () => {
  it('prefers reasoning_content, then reasoning, then MiniMax reasoning_details', () => {
    const minimax = getOpenAICompatibleQuirks('minimax');
    expect(readOpenAICompatibleReasoning({ reasoning_content: 'a', reasoning: 'b' }, minimax)).toBe('a');
    expect(readOpenAICompatibleReasoning({ reasoning_content: '', reasoning: 'b' }, minimax)).toBe('b');
    expect(readOpenAICompatibleReasoning({ reasoning_details: [{ text: 'c' }, { text: 'd' }, { type: 'x' }] }, minimax)).toBe('cd');
    expect(readOpenAICompatibleReasoning({ reasoning_details: [{ text: 'c' }] }, getOpenAICompatibleQuirks('deepseek'))).toBeUndefined();
  });
});
