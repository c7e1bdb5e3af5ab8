import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayError } from '../../../../src/shared/errors.js';
import { createAnthropicMock } from '../../../../src/mock-upstreams/anthropic.js';
import { startMockUpstreams, type MockUpstreams } from '../../../../src/mock-upstreams/server.js';
import { anthropicAdapter } from '../../../../src/providers/anthropic/anthropic-adapter.js';
import { chatRequestSchema, type OpenAIChatChunk, type OpenAIChatCompletion, type OpenAIResponseMessage } from '../../../../src/providers/openai/chat-types.js';
import { SseDecoder } from '../../../../src/providers/sse-decoder.js';
import type { StreamTranslator, TranslationWarning, UpstreamTarget } from '../../../../src/providers/types.js';
import { createRequestContext, createResponseContext, createTestModel, createTestTarget } from '../../../support/anthropic-fixtures.js';

let upstreams: MockUpstreams;
let baseUrl: string;
beforeAll(async () => {
  upstreams = await startMockUpstreams({ providers: { anthropic: createAnthropicMock() } });
  baseUrl = upstreams.baseUrlFor('anthropic');
});
afterAll(async () => {
  await upstreams.close();
});

interface Outcome {
  completion?: OpenAIChatCompletion;
  chunks: OpenAIChatChunk[];
  error?: GatewayError;
  warnings: TranslationWarning[];
  translator?: StreamTranslator;
  truncated?: boolean;
}

function target(capabilities: Parameters<typeof createTestModel>[0] = {}): UpstreamTarget {
  return { ...createTestTarget(createTestModel(capabilities), baseUrl), apiKey: 'test-key' };
}

/** What the gateway does around the adapter: build, send with undici, then translate the body or the error. */
async function call(raw: Record<string, unknown>, upstream: UpstreamTarget = target()): Promise<Outcome> {
  const request = chatRequestSchema.parse({ model: 'anthropic/claude-sonnet-4.5', ...raw });
  const { request: built, warnings } = await anthropicAdapter.toUpstream(request, upstream, createRequestContext());
  const res = await fetch(built.url, { method: built.method, headers: built.headers, body: built.body });
  if (!res.ok) {
    const error = anthropicAdapter.parseError(res.status, Object.fromEntries(res.headers), await res.text(), upstream);
    return { error, chunks: [], warnings };
  }
  const ctx = createResponseContext(request);
  if (request.stream !== true) return { completion: anthropicAdapter.fromUpstream(await res.json(), upstream, ctx).completion, chunks: [], warnings };
  const translator = anthropicAdapter.createStreamTranslator(upstream, ctx);
  const decoder = new SseDecoder();
  const chunks: OpenAIChatChunk[] = [];
  let error: GatewayError | undefined;
  for await (const bytes of res.body as AsyncIterable<Uint8Array>) {
    for (const event of decoder.push(bytes)) {
      const step = translator.push(event);
      chunks.push(...step.chunks);
      error ??= step.error;
    }
  }
  const end = translator.end();
  return { chunks: [...chunks, ...end.chunks], error, warnings, translator, truncated: end.truncated };
}

/** Rebuilds the assistant message a client would keep from a stream. */
function collectStream(chunks: OpenAIChatChunk[]): OpenAIResponseMessage {
  const message: OpenAIResponseMessage = { role: 'assistant', content: '' };
  const calls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> = [];
  for (const chunk of chunks) {
    const delta = chunk.choices[0]?.delta;
    if (delta === undefined) continue;
    if (delta.content) message.content += delta.content;
    if (delta.reasoning_details) message.reasoning_details = delta.reasoning_details;
    for (const call of delta.tool_calls ?? []) {
      const slot = (calls[call.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (call.id) slot.id = call.id;
      if (call.function?.name) slot.function.name = call.function.name;
      slot.function.arguments += call.function?.arguments ?? '';
    }
  }
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}

const weatherTool = {
  type: 'function',
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};
const question = { role: 'user', content: 'What is the weather in Paris? Use get_weather.' };

describe('anthropic adapter against the mock upstream', () => {
  it('round-trips plain text, non-stream and stream, with the same usage', async () => {
    const plain = await call({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }] });
    expect(plain.completion?.choices[0]).toMatchObject({ message: { content: 'Echo: Hello there' }, finish_reason: 'stop' });
    const streamed = await call({ stream: true, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }] });
    expect(collectStream(streamed.chunks).content).toBe('Echo: Hello there');
    expect(streamed.translator?.finishReason).toBe('stop');
    expect(streamed.truncated).toBe(false);
    expect(streamed.translator?.usage?.outputTokens).toBe(plain.completion?.usage?.completion_tokens);
    expect(streamed.translator?.usage?.inputTokens).toBe(plain.completion?.usage?.prompt_tokens);
  });

  it('keeps a multi-turn tool conversation with thinking working through reasoning_details', async () => {
    const first = await call({ messages: [question], tools: [weatherTool], reasoning_effort: 'low' });
    const assistant = first.completion?.choices[0]?.message as OpenAIResponseMessage;
    expect(first.completion?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(assistant.reasoning_details?.[0]).toMatchObject({ type: 'reasoning.text', signature: expect.stringMatching(/^mocksig_/) });
    const call1 = assistant.tool_calls?.[0];
    expect(call1?.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });

    const second = await call({
      messages: [question, assistant, { role: 'tool', tool_call_id: call1?.id, content: '18°C' }],
      tools: [weatherTool],
      reasoning_effort: 'low',
    });
    expect(second.error).toBeUndefined();
    expect(second.warnings).toEqual([]);
    expect(second.completion?.choices[0]?.message.content).toBe('Tool results: 18°C');
  });

  it('does the same when the first turn was streamed', async () => {
    const first = await call({ stream: true, messages: [question], tools: [weatherTool], reasoning_effort: 'low' });
    const assistant = collectStream(first.chunks);
    expect(assistant.reasoning_details).toHaveLength(1);
    expect(first.translator?.finishReason).toBe('tool_calls');
    const second = await call({
      stream: true,
      messages: [question, assistant, { role: 'tool', tool_call_id: assistant.tool_calls?.[0]?.id, content: '18°C' }],
      tools: [weatherTool],
      reasoning_effort: 'low',
    });
    expect(second.error).toBeUndefined();
    expect(collectStream(second.chunks).content).toBe('Tool results: 18°C');
  });

  it('finishes the tool loop, without thinking, for clients that drop reasoning_details', async () => {
    const first = await call({ messages: [question], tools: [weatherTool], reasoning_effort: 'low' });
    const { reasoning_details: _dropped, reasoning_content: _alsoDropped, ...plainAssistant } = first.completion?.choices[0]?.message as OpenAIResponseMessage;
    const second = await call({
      messages: [question, plainAssistant, { role: 'tool', tool_call_id: plainAssistant.tool_calls?.[0]?.id, content: '18°C' }],
      tools: [weatherTool],
      reasoning_effort: 'low',
    });
    expect(second.error).toBeUndefined();
    expect(second.warnings.map((w) => w.param)).toEqual(['reasoning_details']);
    expect(second.completion?.choices[0]?.message.content).toBe('Tool results: 18°C');
  });

  it('returns JSON mode answers as plain JSON content with finish_reason stop', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, celsius: { type: 'number' } }, required: ['city', 'celsius'] };
    const response_format = { type: 'json_schema', json_schema: { name: 'weather', schema } };
    const messages = [{ role: 'user', content: 'Weather in Paris as JSON' }];
    for (const upstream of [target(), target({ capabilities: { json_schema: true } })]) {
      const plain = await call({ messages, response_format }, upstream);
      expect(JSON.parse(plain.completion?.choices[0]?.message.content ?? '')).toEqual({ city: 'Paris', celsius: 1 });
      expect(plain.completion?.choices[0]?.finish_reason).toBe('stop');
      const streamed = await call({ messages, response_format, stream: true }, upstream);
      expect(JSON.parse(collectStream(streamed.chunks).content ?? '')).toEqual({ city: 'Paris', celsius: 1 });
      expect(streamed.translator?.finishReason).toBe('stop');
    }
    const object = await call({ messages: [{ role: 'user', content: 'Anything' }], response_format: { type: 'json_object' } });
    expect(JSON.parse(object.completion?.choices[0]?.message.content ?? '')).toEqual({ answer: 'Anything' });
  });

  it('lets the client call its own tool while JSON mode is on', async () => {
    const response_format = { type: 'json_object' };
    const outcome = await call({ messages: [question], tools: [weatherTool], response_format });
    expect(outcome.completion?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(outcome.completion?.choices[0]?.message.tool_calls?.[0]?.function.name).toBe('get_weather');
  });

  it('turns upstream failures into catalog errors', async () => {
    expect((await call({ messages: [{ role: 'user', content: '[[overloaded]]' }] })).error).toMatchObject({ code: 'upstream_unavailable', status: 503 });
    expect((await call({ messages: [{ role: 'user', content: '[[rate-limit]]' }] })).error).toMatchObject({ code: 'rate_limit_exceeded', retryAfter: 7 });
    expect((await call({ messages: [{ role: 'user', content: '[[too-long]]' }] })).error).toMatchObject({ code: 'context_length_exceeded' });
    const badKey = await call({ messages: [{ role: 'user', content: 'Hi' }] }, { ...target(), apiKey: 'sk-ant-invalid' });
    expect(badKey.error).toMatchObject({ code: 'upstream_auth_failed', status: 502 });
    const midStream = await call({ stream: true, messages: [{ role: 'user', content: '[[overloaded]] please' }] });
    expect(midStream.error).toMatchObject({ code: 'upstream_unavailable' });
    expect(collectStream(midStream.chunks).content).toMatch(/^Echo: /);
    expect(midStream.truncated).toBe(false);
  });

  it('sends the auth and version headers and the translated body upstream', async () => {
    upstreams.reset();
    await call({ messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], user: 'u-1' });
    const [recorded] = upstreams.callsFor('anthropic');
    expect(recorded).toMatchObject({ method: 'POST', path: '/v1/messages', headers: { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01' } });
    expect(recorded?.body).toMatchObject({ system: [{ type: 'text', text: 'Be brief.' }], metadata: { user_id: 'u-1' }, max_tokens: 4096 });
  });

  it('reports a stream that ends without message_stop as truncated', async () => {
    upstreams.enqueueFault('anthropic', { kind: 'truncate', afterFrames: 4 });
    const outcome = await call({ stream: true, messages: [{ role: 'user', content: 'Hello there' }] });
    expect(outcome.error).toBeUndefined();
    expect(outcome.truncated).toBe(true);
    expect(outcome.translator?.finishReason).toBeNull();
    expect(outcome.translator?.usage?.inputTokens).toBeGreaterThan(0);
  });

  it('maps an HTML error page from a proxy in front of the upstream', async () => {
    upstreams.enqueueFault('anthropic', { kind: 'error', status: 502, body: '<html><h1>502 Bad Gateway</h1></html>', contentType: 'text/html' });
    const outcome = await call({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(outcome.error).toMatchObject({ code: 'upstream_error', status: 502, upstreamStatus: 502 });
    expect(outcome.error?.message).not.toContain('<html>');
  });

  it('reports refusals as content_filter', async () => {
    const outcome = await call({ messages: [{ role: 'user', content: '[[refusal]]' }] });
    expect(outcome.completion?.choices[0]).toMatchObject({ finish_reason: 'content_filter', native_finish_reason: 'refusal' });
  });
});
