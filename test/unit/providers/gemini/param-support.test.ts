import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../src/shared/errors.js';
import { checkGeminiParams, geminiParamSupport } from '../../../../src/providers/gemini/param-support.js';
import { toGeminiRequest } from '../../../../src/providers/gemini/request.js';
import { chatRequestSchema, type ChatRequest } from '../../../../src/providers/openai/chat-types.js';
import { makeGeminiTarget, makeRequestContext } from './gemini-test-support.js';

const base = { model: 'google/gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] };

/** A value each parameter could really carry, so every row is exercised with realistic input. */
const sampleValues: Record<string, unknown> = {
  model: 'google/gemini-2.5-flash',
  messages: base.messages,
  stream: true,
  stream_options: { include_usage: true },
  max_tokens: 10,
  max_completion_tokens: 10,
  temperature: 0.5,
  top_p: 0.5,
  top_k: 20,
  n: 2,
  stop: 'x',
  seed: 1,
  presence_penalty: 0.1,
  frequency_penalty: 0.1,
  tools: [{ type: 'function', function: { name: 'f' } }],
  tool_choice: 'auto',
  response_format: { type: 'json_object' },
  reasoning_effort: 'low',
  parallel_tool_calls: false,
  user: 'u1',
  safety_identifier: 'u1',
  metadata: { a: 'b' },
  store: true,
  service_tier: 'auto',
  prompt_cache_key: 'k',
  verbosity: 'low',
  logit_bias: { '1': 1 },
  logprobs: true,
  top_logprobs: 2,
  audio: { voice: 'alloy', format: 'wav' },
  modalities: ['text', 'audio'],
  prediction: { type: 'content', content: 'x' },
  web_search_options: {},
  functions: [{ name: 'f' }],
  function_call: 'auto',
};

function requestWith(param: string, value: unknown): ChatRequest {
  return chatRequestSchema.parse({ ...base, [param]: value });
}

describe('gemini parameter support table', () => {
  it('has a sample for every row, so no row goes untested', () => {
    expect(Object.keys(sampleValues).sort()).toEqual(Object.keys(geminiParamSupport).sort());
  });

  it.each(Object.entries(geminiParamSupport))('%s is %s', (param, rule) => {
    const request = requestWith(param, sampleValues[param]);
    if (rule.handling === 'rejected') {
      expect(() => checkGeminiParams(request)).toThrowError(expect.objectContaining({ code: 'unsupported_parameter', param, status: 400 }));
      return;
    }
    const warnings = checkGeminiParams(request);
    if (rule.handling === 'dropped') expect(warnings).toEqual([{ param, message: rule.note }]);
    else expect(warnings).toEqual([]);
  });

  it.each([
    ['parallel_tool_calls', true],
    ['logprobs', false],
    ['store', false],
    ['modalities', ['text']],
  ])('%s = %j asks for nothing beyond the default and passes silently', (param, value) => {
    expect(checkGeminiParams(requestWith(param, value))).toEqual([]);
  });

  it('drops an unknown parameter with a warning naming it', () => {
    expect(checkGeminiParams(requestWith('x_custom', 1))).toEqual([{ param: 'x_custom', message: expect.stringContaining('x_custom') }]);
  });

  it('mapped parameters really reach the Gemini request', async () => {
    const request = chatRequestSchema.parse({ ...base, ...Object.fromEntries(['max_completion_tokens', 'temperature', 'top_p', 'top_k', 'n', 'stop', 'seed', 'presence_penalty', 'frequency_penalty'].map((p) => [p, sampleValues[p]])) });
    const { request: upstream } = await toGeminiRequest(request, makeGeminiTarget('gemini-2.5-flash'), makeRequestContext());
    expect(JSON.parse(upstream.body ?? '{}').generationConfig).toEqual({
      maxOutputTokens: 10,
      temperature: 0.5,
      topP: 0.5,
      topK: 20,
      candidateCount: 2,
      stopSequences: ['x'],
      seed: 1,
      presencePenalty: 0.1,
      frequencyPenalty: 0.1,
    });
  });

  it('rejects before any image is fetched', async () => {
    const fetched: string[] = [];
    const request = chatRequestSchema.parse({
      ...base,
      logit_bias: { '1': 1 },
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://images.example/cat.png' } }] }],
    });
    await expect(toGeminiRequest(request, makeGeminiTarget('gemini-2.5-flash'), makeRequestContext(fetched))).rejects.toBeInstanceOf(GatewayError);
    expect(fetched).toEqual([]);
  });
});
