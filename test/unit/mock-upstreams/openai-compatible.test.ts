import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countMockTokens } from '../../../src/mock-upstreams/mock-chat-answer.js';
import {
  createOpenAICompatibleMock,
  openAICompatibleMockProviderIds,
  type OpenAICompatibleMockProviderId,
} from '../../../src/mock-upstreams/openai-compatible.js';
import { startMockUpstreams, type MockUpstreams } from '../../../src/mock-upstreams/server.js';
import { getMock, joinDeltas, postMockJson, readSseJson } from './mock-client.js';

let upstreams: MockUpstreams;

beforeAll(async () => {
  const providers = Object.fromEntries(openAICompatibleMockProviderIds.map((id) => [id, createOpenAICompatibleMock(id)]));
  upstreams = await startMockUpstreams({ providers });
});
afterAll(() => upstreams.close());
beforeEach(() => upstreams.reset());

function chatUrl(provider: OpenAICompatibleMockProviderId): string {
  const prefix = provider === 'alibaba' ? '/compatible-mode/v1' : '';
  return `${upstreams.baseUrlFor(provider)}${prefix}/chat/completions`;
}

function chat(provider: OpenAICompatibleMockProviderId, body: Record<string, unknown>, apiKey?: string) {
  return postMockJson(chatUrl(provider), body, apiKey);
}

const hello = { model: 'plain-model', messages: [{ role: 'user', content: 'hello' }] };

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer', minimum: 3 } },
      required: ['city', 'unit', 'days'],
    },
  },
};
const timeTool = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } };

describe('OpenAI-compatible mocks: every provider', () => {
  it.each(openAICompatibleMockProviderIds)('%s echoes the last user text with honest usage', async (provider) => {
    const res = await chat(provider, hello);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    const content: string = body.choices[0].message.content;
    expect(content.endsWith('You said: hello')).toBe(true);
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(body.usage.prompt_tokens).toBe(countMockTokens('hello'));
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it.each(openAICompatibleMockProviderIds)('%s streams the same answer and usage it returns without streaming', async (provider) => {
    // DashScope refuses to think without streaming, so it gets a plain model here.
    const model = provider === 'alibaba' ? 'qwen-plus' : 'thinking-model';
    const request = { ...hello, model, stream_options: { include_usage: true } };
    const whole = JSON.parse((await chat(provider, request)).text.trim());
    const streamed = await chat(provider, { ...request, stream: true });
    expect(streamed.headers['content-type']).toContain('text/event-stream');
    expect(streamed.text.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = readSseJson(streamed.text);
    expect(joinDeltas(chunks, 'content')).toBe(whole.choices[0].message.content);
    const usage = chunks.map((c) => c.usage ?? c.choices[0]?.usage).filter(Boolean).at(-1);
    expect(usage).toEqual(whole.usage);
  });

  it.each(openAICompatibleMockProviderIds)('%s rejects bad-key and a missing key with 401', async (provider) => {
    expect((await chat(provider, hello, 'bad-key')).status).toBe(401);
    const missing = await postMockJson(chatUrl(provider), hello, '');
    expect(missing.status).toBe(401);
  });

  it.each(openAICompatibleMockProviderIds)('%s rejects a request without model or messages with 400', async (provider) => {
    expect((await chat(provider, { messages: hello.messages })).status).toBe(400);
    expect((await chat(provider, { model: 'm', messages: [] })).status).toBe(400);
    expect((await chat(provider, { model: 'm', messages: [{ role: 'robot', content: 'x' }] })).status).toBe(400);
  });

  it.each(openAICompatibleMockProviderIds)('%s answers [[error:429]] with its own 429 and retry-after', async (provider) => {
    const res = await chat(provider, { ...hello, messages: [{ role: 'user', content: 'hi [[error:429]]' }] });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.text.length).toBeGreaterThan(0);
  });

  it.each(openAICompatibleMockProviderIds)('%s lists models', async (provider) => {
    const prefix = provider === 'alibaba' ? '/compatible-mode/v1' : '';
    const res = await getMock(`${upstreams.baseUrlFor(provider)}${prefix}/models`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.object).toBe('list');
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data[0]).toMatchObject({ object: 'model' });
  });
});

describe('OpenAI-compatible mocks: answers', () => {
  it('calls a tool the user names, with arguments valid against its schema', async () => {
    const res = await chat('openai', { ...hello, messages: [{ role: 'user', content: 'use get_weather please' }], tools: [weatherTool, timeTool] });
    const choice = JSON.parse(res.text).choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    expect(choice.message.tool_calls[0].id).toMatch(/^call_/);
    expect(JSON.parse(choice.message.tool_calls[0].function.arguments)).toEqual({ city: 'example city', unit: 'celsius', days: 3 });
  });

  it('calls every named tool in parallel unless parallel_tool_calls is false', async () => {
    const messages = [{ role: 'user', content: 'get_weather and get_time' }];
    const parallel = JSON.parse((await chat('openai', { ...hello, messages, tools: [weatherTool, timeTool] })).text);
    expect(parallel.choices[0].message.tool_calls.map((c: any) => c.function.name)).toEqual(['get_weather', 'get_time']);
    const single = JSON.parse((await chat('openai', { ...hello, messages, tools: [weatherTool, timeTool], parallel_tool_calls: false })).text);
    expect(single.choices[0].message.tool_calls).toHaveLength(1);
  });

  it('honours tool_choice: forced, required and none', async () => {
    const base = { ...hello, tools: [weatherTool, timeTool] };
    const forced = JSON.parse((await chat('deepseek', { ...base, tool_choice: { type: 'function', function: { name: 'get_time' } } })).text.trim());
    expect(forced.choices[0].message.tool_calls[0].function.name).toBe('get_time');
    const required = JSON.parse((await chat('moonshot', { ...base, tool_choice: 'required' })).text);
    expect(required.choices[0].message.tool_calls[0].function.name).toBe('get_weather');
    const none = JSON.parse((await chat('openai', { ...base, messages: [{ role: 'user', content: 'get_time' }], tool_choice: 'none' })).text);
    expect(none.choices[0].message.tool_calls).toBeUndefined();
  });

  it('answers a tool result with text', async () => {
    const messages = [
      { role: 'user', content: 'get_weather' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '21 degrees' },
    ];
    const body = JSON.parse((await chat('openai', { ...hello, messages, tools: [weatherTool] })).text);
    expect(body.choices[0].message.content).toBe('The tool returned: 21 degrees');
  });

  it('returns JSON valid against a json_schema response format', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' }, minItems: 2 } } };
    const res = await chat('openai', { ...hello, response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } });
    expect(JSON.parse(JSON.parse(res.text).choices[0].message.content)).toEqual({ name: 'example name', tags: ['example tags', 'example tags'] });
  });

  it('demands the word json for json_object where OpenAI and DeepSeek do', async () => {
    const noJson = await chat('openai', { ...hello, response_format: { type: 'json_object' } });
    expect(noJson.status).toBe(400);
    const withJson = await chat('openai', { ...hello, messages: [{ role: 'user', content: 'reply in JSON' }], response_format: { type: 'json_object' } });
    expect(JSON.parse(JSON.parse(withJson.text).choices[0].message.content)).toEqual({ answer: 'You said: reply in JSON' });
    expect((await chat('deepseek', { ...hello, response_format: { type: 'json_schema', json_schema: { name: 'x' } } })).status).toBe(400);
  });

  it('truncates at the output token limit with finish_reason length', async () => {
    const body = JSON.parse((await chat('openai', { ...hello, messages: [{ role: 'user', content: 'x'.repeat(200) }], max_tokens: 5 })).text);
    expect(body.choices[0].finish_reason).toBe('length');
    expect(body.usage.completion_tokens).toBe(5);
    expect(body.choices[0].message.content).toHaveLength(20);
  });

  it('reasons for reasoning requests: text where the provider returns it, tokens always', async () => {
    const deepseek = JSON.parse((await chat('deepseek', { ...hello, model: 'deepseek-reasoner' })).text.trim());
    expect(deepseek.choices[0].message.reasoning_content).toContain('hello');
    expect(deepseek.usage.completion_tokens_details.reasoning_tokens).toBe(countMockTokens(deepseek.choices[0].message.reasoning_content));
    const openai = JSON.parse((await chat('openai', { ...hello, model: 'o4-mini' })).text);
    expect(openai.choices[0].message.reasoning_content).toBeUndefined();
    expect(openai.usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    const effort = JSON.parse((await chat('xiaomi', { ...hello, reasoning_effort: 'low' })).text);
    expect(effort.choices[0].message.reasoning_content).toBeDefined();
    const off = JSON.parse((await chat('zhipu', { ...hello, model: 'glm-4.6', thinking: { type: 'disabled' } })).text);
    expect(off.choices[0].message.reasoning_content).toBeUndefined();
  });

  it('streams a usage chunk before [DONE] only when include_usage is set', async () => {
    const withUsage = readSseJson((await chat('openai', { ...hello, stream: true, stream_options: { include_usage: true } })).text);
    expect(withUsage.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 2 } });
    expect(withUsage.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const without = readSseJson((await chat('openai', { ...hello, stream: true })).text);
    expect(without.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true);
  });

  it('interrupts a stream with an in-stream error on [[stream-error]]', async () => {
    const text = (await chat('openai', { ...hello, messages: [{ role: 'user', content: 'go [[stream-error]]' }], stream: true })).text;
    expect(text).not.toContain('[DONE]');
    expect(readSseJson(text).at(-1)).toMatchObject({ error: { type: 'server_error' } });
    expect((await chat('openai', { ...hello, messages: [{ role: 'user', content: '[[stream-error]]' }] })).status).toBe(500);
  });

  it('streams hundreds of chunks on [[long]]', async () => {
    const chunks = readSseJson((await chat('xiaomi', { ...hello, messages: [{ role: 'user', content: '[[long]]' }], stream: true })).text);
    expect(chunks.length).toBeGreaterThan(200);
    expect(joinDeltas(chunks, 'content')).toContain('Sentence 60 of a long answer.');
  });

  it('answers [[error:500]] with a provider-shaped JSON 500', async () => {
    const res = await chat('zhipu', { ...hello, messages: [{ role: 'user', content: '[[error:500]]' }] });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text)).toEqual({ error: { code: '500', message: expect.any(String) } });
  });

  it('reports a raw finish reason on [[finish:…]]', async () => {
    const body = JSON.parse((await chat('zhipu', { ...hello, messages: [{ role: 'user', content: 'x [[finish:sensitive]]' }] })).text);
    expect(body.choices[0].finish_reason).toBe('sensitive');
    expect(body.choices[0].message.content).toBe('You said: x');
  });
});
