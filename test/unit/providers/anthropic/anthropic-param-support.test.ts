import { describe, expect, it } from 'vitest';
import { anthropicParamSupport } from '../../../../src/providers/anthropic/param-support.js';
import { toAnthropicRequest } from '../../../../src/providers/anthropic/request.js';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';
import { createRequestContext, createTestTarget } from '../../../support/anthropic-fixtures.js';

/** A value that exercises each parameter (not its neutral value). */
const sampleValues: Record<string, unknown> = {
  model: 'anthropic/claude-sonnet-4.5',
  messages: [{ role: 'user', content: 'Hi' }],
  stream: true,
  stream_options: { include_usage: true },
  max_completion_tokens: 500,
  max_tokens: 400,
  temperature: 0.5,
  top_p: 0.8,
  top_k: 40,
  stop: ['END'],
  user: 'user-1',
  tools: [{ type: 'function', function: { name: 'f' } }],
  tool_choice: 'auto',
  parallel_tool_calls: false,
  response_format: { type: 'json_object' },
  reasoning_effort: 'low',
  thinking: { type: 'enabled', budget_tokens: 2000 },
  reasoning: { max_tokens: 2000 },
  n: 2,
  audio: { voice: 'alloy', format: 'mp3' },
  functions: [{ name: 'f' }],
  function_call: 'auto',
  seed: 1,
  presence_penalty: 0.4,
  frequency_penalty: 0.4,
  logit_bias: { '1': 5 },
  logprobs: true,
  top_logprobs: 2,
  service_tier: 'flex',
  store: true,
  metadata: { tag: 'x' },
  prediction: { type: 'content', content: 'x' },
  modalities: ['text', 'audio'],
  web_search_options: {},
  verbosity: 'low',
  prompt_cache_key: 'k',
  safety_identifier: 's',
};

function translate(extra: Record<string, unknown>) {
  const request = chatRequestSchema.parse({ model: 'anthropic/claude-sonnet-4.5', messages: [{ role: 'user', content: 'Hi' }], ...extra });
  return toAnthropicRequest(request, createTestTarget(), createRequestContext());
}

describe('anthropicParamSupport', () => {
  it('has one row per parameter and a note on each', () => {
    const params = anthropicParamSupport.map((rule) => rule.param);
    expect(new Set(params).size).toBe(params.length);
    for (const rule of anthropicParamSupport) expect(rule.note.length).toBeGreaterThan(10);
  });

  it('covers every parameter of the OpenAI request schema', () => {
    const params = new Set(anthropicParamSupport.map((rule) => rule.param));
    for (const key of Object.keys(chatRequestSchema.shape)) expect(params, key).toContain(key);
  });

  it.each(anthropicParamSupport.map((rule) => [rule.param, rule.handling] as const))('%s is %s', (param, handling) => {
    const value = sampleValues[param];
    expect(value, `sample value for ${param}`).toBeDefined();
    const run = () => translate({ [param]: value });
    if (handling === 'rejected') {
      expect(run).toThrow(expect.objectContaining({ name: 'GatewayError', code: 'unsupported_parameter', param }));
      return;
    }
    const { warnings } = run();
    const mine = warnings.filter((warning) => warning.param === param);
    expect(mine).toHaveLength(handling === 'dropped' ? 1 : 0);
  });

  it('accepts neutral values of dropped and rejected parameters without a warning', () => {
    const { warnings } = translate({ n: 1, presence_penalty: 0, frequency_penalty: 0, logprobs: false, store: false, modalities: ['text'] });
    expect(warnings).toEqual([]);
  });

  it('warns about parameters it does not know', () => {
    const { warnings } = translate({ transforms: ['middle-out'] });
    expect(warnings).toEqual([{ param: 'transforms', message: expect.stringContaining('not supported') }]);
  });

  it('puts mapped sampling parameters into the body as given', () => {
    const { request } = translate({ temperature: 1, top_p: 0, top_k: 40, stop: 'END', user: 'u-9', max_tokens: 77 });
    expect(JSON.parse(request.body ?? '')).toMatchObject({ temperature: 1, top_p: 0, top_k: 40, stop_sequences: ['END'], metadata: { user_id: 'u-9' }, max_tokens: 77 });
  });

  // Values the OpenAI front door accepts but Anthropic does not (top_p shares its range, so the front door refuses first).
  it.each([['temperature', 1.5]])('rejects %s=%d instead of clamping it', (param, value) => {
    expect(() => translate({ [param]: value })).toThrow(expect.objectContaining({ code: 'invalid_request', param }));
  });

  it('rejects a top_k that is not a positive integer', () => {
    expect(() => translate({ top_k: 0.5 })).toThrow(expect.objectContaining({ code: 'invalid_request', param: 'top_k' }));
  });
});
