/**
 * The Gemini adapter and the Gemini mock upstream against each other over real HTTP: undici → the mock
 * upstream server on 127.0.0.1, with its fault injection.
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayError } from '../../../../src/shared/errors.js';
import { createGeminiMock } from '../../../../src/mock-upstreams/gemini.js';
import { startMockUpstreams, type MockUpstreams } from '../../../../src/mock-upstreams/server.js';
import { geminiAdapter } from '../../../../src/providers/gemini/adapter.js';
import { chatRequestSchema, type OpenAIChatChunk, type OpenAIChatCompletion } from '../../../../src/providers/openai/chat-types.js';
import { SseDecoder } from '../../../../src/providers/sse-decoder.js';
import type { UpstreamTarget } from '../../../../src/providers/types.js';
import { makeGeminiTarget, makeRequestContext, makeResponseContext } from './gemini-test-support.js';

let upstreams: MockUpstreams;
let baseUrl: string;

beforeAll(async () => {
  upstreams = await startMockUpstreams({ providers: { google: createGeminiMock() } });
  baseUrl = upstreams.baseUrlFor('google');
});

beforeEach(() => upstreams.reset());

afterAll(async () => {
  await upstreams.close();
});

function target(model = 'gemini-2.5-flash', apiKey?: string): UpstreamTarget {
  const t = makeGeminiTarget(model, baseUrl);
  return apiKey === undefined ? t : { ...t, apiKey };
}

type Outcome = { completion: OpenAIChatCompletion; error?: undefined } | { completion?: undefined; error: GatewayError };

async function complete(raw: Record<string, unknown>, t = target()): Promise<Outcome> {
  const chat = chatRequestSchema.parse({ model: `google/${t.upstreamModel}`, ...raw });
  const { request: upstream } = await geminiAdapter.toUpstream(chat, t, makeRequestContext());
  const res = await request(upstream.url, { method: upstream.method, headers: upstream.headers, body: upstream.body ?? null });
  const text = await res.body.text();
  const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
  if (res.statusCode !== 200) return { error: geminiAdapter.parseError(res.statusCode, headers, text, t) };
  return { completion: geminiAdapter.fromUpstream(JSON.parse(text), t, makeResponseContext(chat)).completion };
}

interface StreamOutcome {
  raw: string;
  chunks: OpenAIChatChunk[];
  error: GatewayError | undefined;
  truncated: boolean | undefined;
  content: string;
}

async function stream(raw: Record<string, unknown>, t = target()): Promise<StreamOutcome> {
  const chat = chatRequestSchema.parse({ model: `google/${t.upstreamModel}`, stream: true, ...raw });
  const { request: upstream } = await geminiAdapter.toUpstream(chat, t, makeRequestContext());
  const res = await request(upstream.url, { method: upstream.method, headers: upstream.headers, body: upstream.body ?? null });
  const rawText = await res.body.text();
  const translator = geminiAdapter.createStreamTranslator(t, makeResponseContext(chat));
  const decoder = new SseDecoder();
  const chunks: OpenAIChatChunk[] = [];
  for (const event of [...decoder.push(rawText), ...decoder.end()]) {
    const step = translator.push(event);
    chunks.push(...step.chunks);
    if (step.error !== undefined) return { raw: rawText, chunks, error: step.error, truncated: undefined, content: joinContent(chunks) };
  }
  const end = translator.end();
  chunks.push(...end.chunks);
  return { raw: rawText, chunks, error: end.error, truncated: end.truncated, content: joinContent(chunks) };
}

function joinContent(chunks: OpenAIChatChunk[]): string {
  return chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
}

const weatherTool = {
  type: 'function',
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('gemini adapter against the gemini mock', () => {
  it('echoes a conversation with usage', async () => {
    const { completion } = await complete({ messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Hello' }] });
    expect(completion?.choices[0]?.message.content).toBe('Echo: Hello');
    expect(completion?.choices[0]?.finish_reason).toBe('stop');
    expect(completion?.usage?.completion_tokens).toBe(Math.ceil('Echo: Hello'.length / 4));
  });

  it('streams data-only SSE framed with CRLF and no [DONE], ending cleanly', async () => {
    const out = await stream({ messages: [{ role: 'user', content: 'Tell me something fairly long please' }] });
    expect(out.raw).toContain('\r\n\r\n');
    expect(out.raw).not.toContain('[DONE]');
    expect(out.content).toBe('Echo: Tell me something fairly long please');
    expect(out.truncated).toBe(false);
    expect(out.chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it.each(['invalid-key', 'bad-key'])('refuses the key %s like Google, which the adapter reports as an upstream auth failure', async (key) => {
    const { error } = await complete({ messages: [{ role: 'user', content: 'hi' }] }, target('gemini-2.5-flash', key));
    expect(error?.code).toBe('upstream_auth_failed');
    expect(error?.upstreamStatus).toBe(400);
  });

  it('blocks a [[blocked]] prompt without candidates, in both modes', async () => {
    const messages = [{ role: 'user', content: 'please [[blocked]]' }];
    const { completion } = await complete({ messages });
    expect(completion?.choices[0]).toMatchObject({ message: { content: null }, finish_reason: 'content_filter', native_finish_reason: 'SAFETY' });
    const out = await stream({ messages });
    expect(out.truncated).toBe(false);
    expect(out.chunks).toHaveLength(1);
    expect(out.chunks[0]?.choices[0]).toMatchObject({ finish_reason: 'content_filter', native_finish_reason: 'SAFETY' });
  });

  it.each([
    ['[[safety]]', 'content_filter', 'SAFETY'],
    ['[[max_tokens]] a long enough prompt', 'length', 'MAX_TOKENS'],
    ['[[finish:RECITATION]]', 'content_filter', 'RECITATION'],
    ['[[finish:MALFORMED_FUNCTION_CALL]]', 'stop', 'MALFORMED_FUNCTION_CALL'],
  ])('maps the finish of %s to %s', async (prompt, finish, native) => {
    const { completion } = await complete({ messages: [{ role: 'user', content: prompt }] });
    expect(completion?.choices[0]).toMatchObject({ finish_reason: finish, native_finish_reason: native });
    const out = await stream({ messages: [{ role: 'user', content: prompt }] });
    expect(out.chunks.at(-1)?.choices[0]).toMatchObject({ finish_reason: finish, native_finish_reason: native });
  });

  it('answers JSON that follows the requested schema', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, size: { type: 'string', enum: ['s', 'm'] }, count: { type: 'integer' } }, required: ['name'] };
    const { completion } = await complete({
      messages: [{ role: 'user', content: 'json please' }],
      response_format: { type: 'json_schema', json_schema: { name: 'thing', schema } },
    });
    expect(JSON.parse(completion?.choices[0]?.message.content ?? '')).toEqual({ name: 'mock', size: 's', count: 1 });
  });

  it('returns one choice per requested candidate', async () => {
    const { completion } = await complete({ n: 2, messages: [{ role: 'user', content: 'twice' }] });
    expect(completion?.choices.map((c) => [c.index, c.message.content])).toEqual([
      [0, 'Echo: twice'],
      [1, 'Echo: twice'],
    ]);
  });

  it('carries the thought signature through a multi-turn tool call on Gemini 3', async () => {
    const t = target('gemini-3-flash-preview');
    const first = await complete({ reasoning_effort: 'low', tools: [weatherTool], messages: [{ role: 'user', content: 'use get_weather for Paris' }] }, t);
    const message = first.completion?.choices[0]?.message;
    expect(first.completion?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(message?.reasoning_content).toContain('Thinking about');
    const call = message?.tool_calls?.[0];
    expect(call?.id).toMatch(/__ts_/);
    const second = await complete(
      {
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'use get_weather for Paris' },
          { role: 'assistant', content: message?.content ?? null, tool_calls: message?.tool_calls },
          { role: 'tool', tool_call_id: call?.id, content: '{"temp":21}' },
        ],
      },
      t,
    );
    expect(second.error).toBeUndefined();
    expect(second.completion?.choices[0]?.message.content).toBe('Tool results: get_weather={"temp":21}');
  });

  it('streams a tool call as a header delta and an arguments delta', async () => {
    const out = await stream({ tools: [weatherTool], tool_choice: 'required', messages: [{ role: 'user', content: 'weather?' }] });
    const calls = out.chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls).toEqual([
      { index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 0, function: { arguments: '{"city":"mock"}' } },
    ]);
    expect(out.chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('passes a Gemini 3 history whose signature was lost, thanks to the documented sentinel', async () => {
    const { error } = await complete(
      {
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'weather?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_from_elsewhere', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
          { role: 'tool', tool_call_id: 'call_from_elsewhere', content: 'cold' },
        ],
      },
      target('gemini-3-pro-preview'),
    );
    expect(error).toBeUndefined();
  });

  it('itself refuses what Google refuses: a missing signature on Gemini 3 and non-alternating roles', async () => {
    const post = async (model: string, contents: unknown) => {
      const res = await request(`${baseUrl}/models/${model}:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
        body: JSON.stringify({ contents }),
      });
      return { status: res.statusCode, body: (await res.body.json()) as { error: { status: string; message: string } } };
    };
    const unsigned = await post('gemini-3-pro-preview', [
      { role: 'user', parts: [{ text: 'x' }] },
      { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] },
    ]);
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.error.message).toContain('thought_signature');
    const doubled = await post('gemini-2.5-flash', [
      { role: 'user', parts: [{ text: 'a' }] },
      { role: 'user', parts: [{ text: 'b' }] },
    ]);
    expect(doubled.body.error).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringContaining('alternate') });
  });

  it('answers streamGenerateContent without alt=sse as a JSON array', async () => {
    const res = await request(`${baseUrl}/models/gemini-2.5-flash:streamGenerateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    const body = (await res.body.json()) as unknown[];
    expect(Array.isArray(body)).toBe(true);
    expect(body.length).toBeGreaterThan(0);
  });

  it.each([
    [429, 'rate_limit_exceeded', 7],
    [503, 'upstream_unavailable', undefined],
    [504, 'upstream_timeout', undefined],
    [404, 'upstream_error', undefined],
  ])('turns a forced %i into %s', async (status, code, retryAfter) => {
    const { error } = await complete({ messages: [{ role: 'user', content: `[[error:${status}]]` }] });
    expect(error).toMatchObject({ code, upstreamStatus: status });
    expect(error?.retryAfter).toBe(retryAfter);
  });

  it('reports an error event in the middle of a stream', async () => {
    const out = await stream({ messages: [{ role: 'user', content: 'go [[stream_error]]' }] });
    expect(out.content.length).toBeGreaterThan(0);
    expect(out.error?.code).toBe('upstream_unavailable');
  });

  it('reports a stream the upstream ended early as truncated', async () => {
    upstreams.enqueueFault('google', { kind: 'truncate', afterFrames: 1 });
    const out = await stream({ messages: [{ role: 'user', content: 'a reply long enough for several frames' }] });
    expect(out.error).toBeUndefined();
    expect(out.truncated).toBe(true);
    expect(out.content).toBe('Echo: a reply lo');
  });

  it('sends the key in x-goog-api-key and the path with the model and method', async () => {
    await complete({ messages: [{ role: 'user', content: 'hi' }] });
    const [call] = upstreams.callsFor('google');
    expect(call?.path).toBe('/models/gemini-2.5-flash:generateContent');
    expect(call?.headers['x-goog-api-key']).toBe('test-gemini-key-0000');
    expect(call?.headers.authorization).toBeUndefined();
  });
});
