import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicMock, signAnthropicMockThinking } from '../../../../src/mock-upstreams/anthropic.js';
import { startMockUpstreams, type MockUpstreams } from '../../../../src/mock-upstreams/server.js';
import { decodeSse } from '../../../../src/providers/sse-decoder.js';

let upstreams: MockUpstreams;
let baseUrl: string;
beforeAll(async () => {
  upstreams = await startMockUpstreams({ providers: { anthropic: createAnthropicMock() } });
  baseUrl = upstreams.baseUrlFor('anthropic');
});
afterAll(async () => {
  await upstreams.close();
});

const headers = { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const tool = { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

async function post(body: unknown, extraHeaders: Record<string, string> = headers) {
  const res = await fetch(`${baseUrl}/v1/messages`, { method: 'POST', headers: extraHeaders, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
}

function base(messages: unknown[], extra: Record<string, unknown> = {}) {
  return { model: 'claude-sonnet-4-5', max_tokens: 256, messages, ...extra };
}

async function expectInvalid(body: unknown, fragment: string) {
  const res = await post(body);
  expect(res.status).toBe(400);
  expect(res.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  expect(res.json.error.message).toContain(fragment);
}

const toolTurn = (id: string, blocks: unknown[] = []) => ({ role: 'assistant', content: [...blocks, { type: 'tool_use', id, name: 'get_weather', input: { city: 'Paris' } }] });
const resultTurn = (id: string) => ({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: '18°C' }] });

describe('anthropic mock validation', () => {
  it('answers a valid request with an echo, usage and a request id', async () => {
    const res = await post(base([{ role: 'user', content: 'Hello there' }]));
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_mock_/);
    expect(res.json).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Echo: Hello there' }], stop_reason: 'end_turn' });
    expect(res.json.usage.input_tokens).toBeGreaterThan(0);
    expect(res.json.usage.output_tokens).toBeGreaterThan(0);
  });

  it('refuses a missing or invalid x-api-key with 401', async () => {
    const { 'x-api-key': _omitted, ...noKey } = headers;
    expect((await post(base([{ role: 'user', content: 'Hi' }]), noKey)).json.error.type).toBe('authentication_error');
    expect((await post(base([{ role: 'user', content: 'Hi' }]), { ...headers, 'x-api-key': 'sk-ant-invalid' })).status).toBe(401);
  });

  it('requires anthropic-version', async () => {
    const { 'anthropic-version': _omitted, ...noVersion } = headers;
    const res = await post(base([{ role: 'user', content: 'Hi' }]), noVersion);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('anthropic-version');
  });

  it('requires max_tokens', async () => {
    await expectInvalid({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, 'max_tokens');
  });

  it('requires alternating roles that start with user', async () => {
    await expectInvalid(base([{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }]), 'roles must alternate');
    await expectInvalid(base([{ role: 'assistant', content: 'a' }]), 'first message must use the "user" role');
  });

  it('rejects empty and whitespace-only text', async () => {
    await expectInvalid(base([{ role: 'user', content: [{ type: 'text', text: '  ' }] }]), 'non-whitespace text');
    await expectInvalid(base([{ role: 'user', content: '' }]), 'non-empty content');
    await expectInvalid(base([{ role: 'user', content: 'Hi' }], { system: [{ type: 'text', text: '' }] }), 'system.0');
  });

  it('rejects tool results that match no tool_use of the previous turn', async () => {
    const extra = { role: 'user', content: [...resultTurn('toolu_1').content, ...resultTurn('toolu_2').content] };
    await expectInvalid(base([{ role: 'user', content: 'Hi' }, toolTurn('toolu_1'), extra], { tools: [tool] }), 'unexpected `tool_use_id` found in `tool_result` blocks: toolu_2');
    await expectInvalid(base([resultTurn('toolu_9')], { tools: [tool] }), 'toolu_9');
  });

  it('rejects a tool_use left without its result', async () => {
    await expectInvalid(base([{ role: 'user', content: 'Hi' }, toolTurn('toolu_1'), { role: 'user', content: 'never mind' }], { tools: [tool] }), 'without `tool_result`');
  });

  it('rejects tool results placed after other content', async () => {
    const late = { role: 'user', content: [{ type: 'text', text: 'here' }, { type: 'tool_result', tool_use_id: 'toolu_1' }] };
    await expectInvalid(base([{ role: 'user', content: 'Hi' }, toolTurn('toolu_1'), late], { tools: [tool] }), 'must come before');
  });

  it('checks tool definitions and tool_choice', async () => {
    await expectInvalid(base([{ role: 'user', content: 'Hi' }], { tools: [{ name: 'bad name', input_schema: { type: 'object' } }] }), 'tools.0.name');
    await expectInvalid(base([{ role: 'user', content: 'Hi' }], { tools: [tool], tool_choice: { type: 'tool', name: 'other' } }), 'not found in tools');
    await expectInvalid(base([{ role: 'user', content: 'Hi' }], { tool_choice: { type: 'any' } }), 'tools must be provided');
  });

  it('enforces the thinking budget rules', async () => {
    const user = [{ role: 'user', content: 'Hi' }];
    await expectInvalid(base(user, { thinking: { type: 'enabled', budget_tokens: 512 } }), 'greater than or equal to 1024');
    await expectInvalid(base(user, { max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 2000 } }), 'greater than `thinking.budget_tokens`');
    await expectInvalid(base(user, { max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2000 }, tools: [tool], tool_choice: { type: 'any' } }), 'forces tool use');
    const interleaved = await post(base(user, { max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 3000 } }), { ...headers, 'anthropic-beta': 'interleaved-thinking-2025-05-14' });
    expect(interleaved.status).toBe(200);
  });

  it('requires the continued tool turn to start with its thinking block while thinking is on', async () => {
    const thinking = { type: 'enabled', budget_tokens: 1024 };
    const messages = [{ role: 'user', content: 'Hi' }, toolTurn('toolu_1'), resultTurn('toolu_1')];
    await expectInvalid(base(messages, { max_tokens: 2048, thinking, tools: [tool] }), 'Expected `thinking` or `redacted_thinking`');
    const withoutThinking = await post(base(messages, { tools: [tool] }));
    expect(withoutThinking.status).toBe(200);
    const signed = { type: 'thinking', thinking: 'Use the tool.', signature: signAnthropicMockThinking('Use the tool.') };
    const ok = await post(base([{ role: 'user', content: 'Hi' }, toolTurn('toolu_1', [signed]), resultTurn('toolu_1')], { max_tokens: 2048, thinking, tools: [tool] }));
    expect(ok.status).toBe(200);
    expect(ok.json.content).toEqual([{ type: 'text', text: 'Tool results: 18°C' }]);
  });

  it('rejects thinking blocks whose signature does not match', async () => {
    const forged = { type: 'thinking', thinking: 'Changed text.', signature: signAnthropicMockThinking('Use the tool.') };
    await expectInvalid(base([{ role: 'user', content: 'Hi' }, toolTurn('toolu_1', [forged]), resultTurn('toolu_1')], { tools: [tool] }), 'Invalid `signature`');
  });

  it('rejects temperatures above 1', async () => {
    await expectInvalid(base([{ role: 'user', content: 'Hi' }], { temperature: 1.2 }), 'temperature');
  });

  it('does not claim other paths', async () => {
    const res = await fetch(`${baseUrl}/v1/complete`, { method: 'POST', headers, body: '{}' });
    expect(res.status).toBe(404);
    await res.text();
  });
});

describe('anthropic mock answers', () => {
  it('cuts at stop sequences and at max_tokens', async () => {
    const stopped = await post(base([{ role: 'user', content: 'one two three' }], { stop_sequences: ['three'] }));
    expect(stopped.json).toMatchObject({ content: [{ text: 'Echo: one two ' }], stop_reason: 'stop_sequence', stop_sequence: 'three' });
    const cut = await post(base([{ role: 'user', content: 'one two three four' }], { max_tokens: 2 }));
    expect(cut.json).toMatchObject({ content: [{ text: 'Echo: one' }], stop_reason: 'max_tokens' });
  });

  it('calls a named tool with input sampled from its schema', async () => {
    const res = await post(base([{ role: 'user', content: 'Weather in Paris? use get_weather' }], { tools: [tool] }));
    expect(res.json.stop_reason).toBe('tool_use');
    expect(res.json.content.at(-1)).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } });
  });

  it('answers structured output requests with JSON text', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' }, n: { type: 'integer' } } };
    const res = await post(base([{ role: 'user', content: 'Status?' }], { output_config: { format: { type: 'json_schema', schema } } }));
    expect(JSON.parse(res.json.content[0].text)).toEqual({ ok: true, n: 1 });
  });

  it('writes a cache on first sight of a cache_control prefix and reads it afterwards', async () => {
    const system = [{ type: 'text', text: `Long instructions ${'x'.repeat(400)}`, cache_control: { type: 'ephemeral' } }];
    const body = base([{ role: 'user', content: 'Hi' }], { system });
    const first = (await post(body)).json.usage;
    const second = (await post(body)).json.usage;
    expect(first.cache_creation_input_tokens).toBeGreaterThan(100);
    expect(first.cache_read_input_tokens).toBe(0);
    expect(second.cache_read_input_tokens).toBe(first.cache_creation_input_tokens);
    expect(second.cache_creation_input_tokens).toBe(0);
  });

  it('streams the full event sequence with pings and a closing message_stop', async () => {
    const res = await post(base([{ role: 'user', content: 'Hello there friend' }], { stream: true, thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 2048 }));
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const names = decodeSse(res.text).map((event) => event.event);
    expect(names[0]).toBe('message_start');
    expect(names).toContain('ping');
    expect(names.slice(-2)).toEqual(['message_delta', 'message_stop']);
    const types = decodeSse(res.text).map((event) => JSON.parse(event.data) as { type: string; delta?: { type: string } });
    expect(types.filter((e) => e.delta?.type === 'signature_delta')).toHaveLength(1);
  });

  it('plays the special prompts', async () => {
    const limited = await post(base([{ role: 'user', content: '[[rate-limit]]' }]));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    const tooLong = await post(base([{ role: 'user', content: '[[too-long]]' }]));
    expect(tooLong.json.error.message).toContain('prompt is too long');
    expect((await post(base([{ role: 'user', content: '[[overloaded]]' }]))).status).toBe(529);
    const refused = await post(base([{ role: 'user', content: '[[refusal]]' }]));
    expect(refused.json.stop_reason).toBe('refusal');
    const streamed = await post(base([{ role: 'user', content: '[[overloaded]] now' }], { stream: true }));
    expect(streamed.status).toBe(200);
    const events = decodeSse(streamed.text);
    expect(events.at(-1)).toMatchObject({ event: 'error' });
    expect(events.map((e) => e.event)).not.toContain('message_stop');
  });
});
