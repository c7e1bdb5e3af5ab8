import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAICompatibleMock, openAICompatibleMockProviderIds } from '../../../src/mock-upstreams/openai-compatible.js';
import { startMockUpstreams, type MockUpstreams } from '../../../src/mock-upstreams/server.js';
import { joinDeltas, postMockJson, readSseJson } from './mock-client.js';

let upstreams: MockUpstreams;

beforeAll(async () => {
  const providers = Object.fromEntries(openAICompatibleMockProviderIds.map((id) => [id, createOpenAICompatibleMock(id)]));
  upstreams = await startMockUpstreams({ providers });
});
afterAll(() => upstreams.close());
beforeEach(() => upstreams.reset());

const say = (content: string) => [{ role: 'user', content }];
const streaming = { stream: true, stream_options: { include_usage: true } };
const tools = [
  {
    type: 'function',
    function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
  },
];

async function rawStream(provider: string, body: Record<string, unknown>, path = '/chat/completions'): Promise<string> {
  const res = await postMockJson(`${upstreams.baseUrlFor(provider)}${path}`, { ...streaming, ...body });
  expect(res.status).toBe(200);
  return res.text;
}

describe('DeepSeek quirks', () => {
  it('sends `: keep-alive` comments in streams and reasoning_content before content, with explicit nulls', async () => {
    const text = await rawStream('deepseek', { model: 'deepseek-reasoner', messages: say('9.11 vs 9.8') });
    expect(text.startsWith(': keep-alive\n\n')).toBe(true);
    expect(text.match(/^: keep-alive$/gm)?.length).toBeGreaterThanOrEqual(2);
    const chunks = readSseJson(text);
    expect(chunks[0]?.choices[0].delta).toMatchObject({ role: 'assistant', content: null, reasoning_content: 'The' });
    const firstText = chunks.find((c) => typeof c.choices[0]?.delta.content === 'string');
    expect(firstText?.choices[0].delta.reasoning_content).toBeNull();
    expect(joinDeltas(chunks, 'reasoning_content')).toContain('9.11 vs 9.8');
  });

  it('prefixes non-streaming bodies with blank lines and splits prompt tokens into cache hits and misses', async () => {
    const res = await postMockJson(`${upstreams.baseUrlFor('deepseek')}/chat/completions`, {
      model: 'deepseek-chat',
      messages: say('a long enough prompt to cache [[cache-hit]]'),
    });
    expect(res.text.startsWith('\n\n{')).toBe(true);
    const { usage } = JSON.parse(res.text);
    expect(usage.prompt_cache_hit_tokens).toBe(Math.floor(usage.prompt_tokens / 2));
    expect(usage.prompt_cache_hit_tokens + usage.prompt_cache_miss_tokens).toBe(usage.prompt_tokens);
    expect(usage.prompt_cache_hit_tokens).toBeGreaterThan(0);
  });

  it('also answers under /v1', async () => {
    const res = await postMockJson(`${upstreams.baseUrlFor('deepseek')}/v1/chat/completions`, { model: 'deepseek-chat', messages: say('hi') });
    expect(res.status).toBe(200);
  });
});

describe('MiniMax quirks', () => {
  it('streams reasoning inside content as <think> tags cut mid-tag across chunks', async () => {
    const chunks = readSseJson(await rawStream('minimax', { model: 'MiniMax-M2', messages: say('hello') }));
    const pieces = chunks.map((c) => c.choices[0]?.delta.content ?? '');
    expect(pieces.some((p) => p.includes('<think>') || p.includes('</think>'))).toBe(false);
    expect(pieces.join('')).toMatch(/^<think>\n.*hello.*\n<\/think>\n\nYou said: hello$/s);
    expect(pieces.findIndex((p) => p.endsWith('<th'))).toBeGreaterThanOrEqual(0);
    expect(pieces.findIndex((p) => p.endsWith('</th'))).toBeGreaterThan(0);
  });

  it('moves reasoning to reasoning_details with reasoning_split', async () => {
    const chunks = readSseJson(await rawStream('minimax', { model: 'MiniMax-M2', messages: say('hello'), reasoning_split: true }));
    expect(joinDeltas(chunks, 'content')).toBe('You said: hello');
    const details = chunks.flatMap((c) => c.choices[0]?.delta.reasoning_details ?? []);
    expect(details.length).toBeGreaterThan(0);
    expect(details[0]).toMatchObject({ type: 'reasoning.text', text: 'The' });
  });

  it('answers HTTP 200 with a failing base_resp on [[base-resp:1008]]', async () => {
    const res = await postMockJson(`${upstreams.baseUrlFor('minimax')}/chat/completions`, { model: 'MiniMax-M2', messages: say('[[base-resp:1008]]') });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ choices: null, base_resp: { status_code: 1008, status_msg: 'insufficient balance' } });
  });

  it('wraps ordinary responses and HTTP errors in base_resp', async () => {
    const ok = JSON.parse((await postMockJson(`${upstreams.baseUrlFor('minimax')}/chat/completions`, { model: 'MiniMax-M2', messages: say('hi') })).text);
    expect(ok.base_resp).toEqual({ status_code: 0, status_msg: '' });
    const denied = await postMockJson(`${upstreams.baseUrlFor('minimax')}/chat/completions`, { model: 'MiniMax-M2', messages: say('hi') }, 'bad-key');
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.text).base_resp.status_code).toBe(1004);
  });
});

describe('Moonshot quirks', () => {
  it('puts usage inside choices[0] of the finish chunk and nowhere else', async () => {
    const chunks = readSseJson(await rawStream('moonshot', { model: 'kimi-k2.5', messages: say('hi [[cache-hit]]') }));
    const last = chunks.at(-1);
    expect(last?.choices[0]).toMatchObject({ finish_reason: 'stop', usage: { prompt_tokens: 4, cached_tokens: 2 } });
    expect(chunks.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true);
  });

  it('shapes errors as {error:{message,type}}', async () => {
    const res = await postMockJson(`${upstreams.baseUrlFor('moonshot')}/chat/completions`, { model: 'kimi-k2.5', messages: say('hi') }, 'bad-key');
    expect(JSON.parse(res.text)).toEqual({ error: { message: expect.any(String), type: 'invalid_authentication_error' } });
  });
});

describe('Zhipu quirks', () => {
  it('streams chunks without `object`, with reasoning_content, whole tool calls and usage on the finish chunk', async () => {
    const chunks = readSseJson(await rawStream('zhipu', { model: 'glm-4.6', messages: say('get_weather in Beijing'), tools }));
    expect(chunks.every((c) => !('object' in c))).toBe(true);
    expect(joinDeltas(chunks, 'reasoning_content').length).toBeGreaterThan(0);
    const calls = chunks.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    expect(calls).toEqual([{ index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '{"location":"example location"}' } }]);
    expect(chunks.at(-1)).toMatchObject({ choices: [{ finish_reason: 'tool_calls' }], usage: { prompt_tokens: expect.any(Number) } });
  });

  it('streams tool arguments in fragments only with tool_stream', async () => {
    const chunks = readSseJson(await rawStream('zhipu', { model: 'glm-4.6', messages: say('get_weather'), tools, tool_stream: true }));
    const calls = chunks.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.map((c) => c.function.arguments).join('')).toBe('{"location":"example location"}');
  });

  it('shapes errors with digit-string business codes', async () => {
    const res = await postMockJson(`${upstreams.baseUrlFor('zhipu')}/chat/completions`, { model: 'glm-4.6', messages: say('[[error:429]]') });
    expect(res.status).toBe(429);
    expect(JSON.parse(res.text)).toEqual({ error: { code: '1302', message: expect.any(String) } });
  });
});

describe('xAI quirks', () => {
  it('streams each tool call whole, without index, and usage on the finish chunk', async () => {
    const chunks = readSseJson(await rawStream('xai', { model: 'grok-4', messages: say('get_weather'), tools }));
    const withCalls = chunks.filter((c) => c.choices[0].delta.tool_calls);
    expect(withCalls).toHaveLength(1);
    const call = withCalls[0]?.choices[0].delta.tool_calls[0];
    expect('index' in call).toBe(false);
    expect(JSON.parse(call.function.arguments)).toEqual({ location: 'example location' });
    expect(chunks.at(-1)).toMatchObject({ choices: [{ finish_reason: 'tool_calls' }], usage: { completion_tokens: expect.any(Number) } });
  });

  it('counts reasoning outside completion_tokens but inside total_tokens', async () => {
    const res = await postMockJson(`${upstreams.baseUrlFor('xai')}/chat/completions`, { model: 'grok-3-mini', messages: say('2+2?'), reasoning_effort: 'low' });
    const { usage } = JSON.parse(res.text);
    const reasoning = usage.completion_tokens_details.reasoning_tokens;
    expect(reasoning).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens + reasoning);
  });

  it('answers a bad key with the flat {code, error} body', async () => {
    const res = await postMockJson(`${upstreams.baseUrlFor('xai')}/chat/completions`, { model: 'grok-4', messages: say('hi') }, 'bad-key');
    expect(res.status).toBe(401);
    expect(typeof JSON.parse(res.text).error).toBe('string');
  });
});

describe('OpenAI quirks', () => {
  it('pads chunks with obfuscation unless turned off, and sends system_fingerprint and a refusal:null role chunk', async () => {
    const chunks = readSseJson(await rawStream('openai', { model: 'gpt-4.1-mini', messages: say('hi') }));
    expect(chunks.every((c) => typeof c.obfuscation === 'string' && typeof c.system_fingerprint === 'string')).toBe(true);
    expect(chunks[0]?.choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    const plain = readSseJson(
      await rawStream('openai', { model: 'gpt-4.1-mini', messages: say('hi'), stream_options: { include_usage: true, include_obfuscation: false } }),
    );
    expect(plain.some((c) => 'obfuscation' in c)).toBe(false);
  });

  it('streams tool arguments incrementally keyed by index', async () => {
    const chunks = readSseJson(await rawStream('openai', { model: 'gpt-4.1-mini', messages: say('get_weather'), tools }));
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(calls.slice(1).every((c) => c.index === 0 && c.id === undefined)).toBe(true);
    expect(calls.map((c) => c.function.arguments).join('')).toBe('{"location":"example location"}');
  });
});

describe('DashScope compatible-mode quirks', () => {
  it('lives under /compatible-mode/v1 only', async () => {
    const res = await postMockJson(`${upstreams.baseUrlFor('alibaba')}/chat/completions`, { model: 'qwen-plus', messages: say('hi') });
    expect(res.status).toBe(404);
  });

  it('refuses to think without streaming, and thinks while streaming', async () => {
    const url = `${upstreams.baseUrlFor('alibaba')}/compatible-mode/v1/chat/completions`;
    const refused = await postMockJson(url, { model: 'qwen-plus', messages: say('hi'), enable_thinking: true });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text)).toMatchObject({
      error: { code: 'invalid_parameter_error', message: 'parameter.enable_thinking must be set to false for non-streaming calls' },
      request_id: expect.any(String),
    });
    const chunks = readSseJson(await rawStream('alibaba', { model: 'qwen-plus', messages: say('hi'), enable_thinking: true }, '/compatible-mode/v1/chat/completions'));
    expect(joinDeltas(chunks, 'reasoning_content').length).toBeGreaterThan(0);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens_details: { reasoning_tokens: expect.any(Number) } } });
  });
});

describe('Xiaomi MiMo quirks', () => {
  it('reports reasoning tokens and null prompt_tokens_details', async () => {
    const res = await postMockJson(`${upstreams.baseUrlFor('xiaomi')}/chat/completions`, {
      model: 'mimo-v2-flash',
      messages: say('hi'),
      thinking: { type: 'enabled' },
    });
    const body = JSON.parse(res.text);
    expect(body.choices[0].message.reasoning_content).toBeDefined();
    expect(body.usage.prompt_tokens_details).toBeNull();
    expect(body.usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
  });
});
