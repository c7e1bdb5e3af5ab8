/**
 * The gateway core end to end: the official `openai` SDK against the real server, wired to the mock
 * upstreams, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { request } from 'undici';
import { readCatalogFile } from '../../src/catalog/catalog-file.js';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { chatModelPerProvider, expectApiError } from '../support/openai-assertions.js';

async function collect(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
  const reasoning = chunks.map((c) => (c.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '').join('');
  return { chunks, text, reasoning };
}

describe.each(dialects)('gateway core on %s', (dialect) => {
  let t: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    t = await startTestGateway({
      dialect,
      config: { bodyLimitBytes: 64 * 1024, timeouts: { connectMs: 2000, firstByteMs: 300, idleMs: 300 } },
    });
    client = t.client();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists served models in OpenAI shape, and every catalog model with ?all=1', async () => {
    const page = await client.models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toContain('deepseek/deepseek-chat');
    expect(ids).not.toContain('deepseek/deepseek-coder');
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: expect.any(String), created: expect.any(Number) });
    const all = await request(`${t.baseURL}/models?all=1`);
    const body = (await all.body.json()) as { object: string; data: unknown[] };
    expect(body.object).toBe('list');
    expect(body.data).toHaveLength(readCatalogFile().length);
    const one = await client.models.retrieve('anthropic/claude-sonnet-4-6');
    expect(one.id).toBe('anthropic/claude-sonnet-4-6');
  });

  it.each(Object.entries(chatModelPerProvider))('%s: chat completion, non-stream and stream', async (_provider, model) => {
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello!' }] });
    expect(completion.model).toBe(model);
    expect(completion.choices[0]?.message.content).toContain('Hello!');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));

    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello!' }], stream: true, stream_options: { include_usage: true } });
    const { chunks, text } = await collect(stream);
    expect(text).toContain('Hello!');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(chunks.every((c) => c.model === model)).toBe(true);
  });

  it('forwards the usage chunk only when the client asked for it', async () => {
    const stream = await client.chat.completions.create({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const { chunks } = await collect(stream);
    expect(chunks.some((c) => c.usage)).toBe(false);
    const upstreamBody = t.upstreams.callsFor('deepseek').at(-1)?.body as { stream_options?: { include_usage?: boolean } };
    expect(upstreamBody.stream_options?.include_usage).toBe(true);
  });

  it('rewrites the model to the upstream name', async () => {
    await client.chat.completions.create({ model: 'moonshotai/kimi-k2-0905', messages: [{ role: 'user', content: 'Hi' }] });
    const call = t.upstreams.callsFor('moonshot').at(-1);
    expect((call?.body as { model: string }).model).toBe('kimi-k2-0905-preview');
    expect(call?.headers.authorization).toBe('Bearer test-moonshot-key');
  });

  it('normalizes reasoning to reasoning_content (DeepSeek, MiniMax think tags)', async () => {
    const deepseek = await client.chat.completions.create({ model: 'deepseek/deepseek-reasoner', messages: [{ role: 'user', content: 'Think' }] });
    const message = deepseek.choices[0]?.message as { reasoning_content?: string; content: string | null };
    expect(message.reasoning_content?.length).toBeGreaterThan(0);
    const minimax = await client.chat.completions.create({ model: 'minimax/minimax-m2', messages: [{ role: 'user', content: 'Think' }], stream: true });
    const { text, reasoning } = await collect(minimax);
    expect(reasoning.length).toBeGreaterThan(0);
    expect(text).not.toContain('<think>');
  });

  it('round-trips a tool call', async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    ];
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4.1', messages: [{ role: 'user', content: 'Weather in Paris? [[tool]]' }], tools, stream: true });
    const { chunks } = await collect(stream);
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(calls[0]?.id).toBeTruthy();
    expect(calls[0]?.function?.name).toBe('get_weather');
    const args = calls.map((c) => c.function?.arguments ?? '').join('');
    expect(JSON.parse(args)).toHaveProperty('city');
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'tool_calls')).toBe(true);

    const id = calls[0]!.id!;
    const followUp = await client.chat.completions.create({
      model: 'openai/gpt-4.1',
      tools,
      messages: [
        { role: 'user', content: 'Weather in Paris? [[tool]]' },
        { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'get_weather', arguments: args } }] },
        { role: 'tool', tool_call_id: id, content: '{"temp":21}' },
      ],
    });
    expect(followUp.choices[0]?.finish_reason).toBe('stop');
  });

  it('honours JSON mode', async () => {
    const completion = await client.chat.completions.create({
      model: 'deepseek/deepseek-chat',
      messages: [{ role: 'user', content: 'Give me JSON' }],
      response_format: { type: 'json_object' },
    });
    expect(() => JSON.parse(completion.choices[0]?.message.content ?? '')).not.toThrow();
  });

  it('answers an unknown model with 404 model_not_found', async () => {
    const error = await expectApiError(client.chat.completions.create({ model: 'nope/nothing', messages: [{ role: 'user', content: 'Hi' }] }), 404, 'model_not_found');
    expect(error.param).toBe('model');
  });

  it('answers a bad key with 401 invalid_api_key and a missing key with 401 missing_api_key', async () => {
    await expectApiError(t.client('th-notarealkeynotarealkeynotarealkey00').chat.completions.create({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Hi' }] }), 401, 'invalid_api_key');
    const res = await request(`${t.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.statusCode).toBe(401);
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
  });

  it('answers a revoked key with 403 key_disabled', async () => {
    const { key, plaintext } = await t.gateway.apiKeys.create(t.userId, { name: 'to revoke' });
    await t.gateway.apiKeys.revoke(t.userId, key.id);
    await expectApiError(t.client(plaintext).chat.completions.create({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Hi' }] }), 403, 'key_disabled');
  });

  it('answers malformed JSON, an invalid field and an oversize body with 400/400/413', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${t.apiKey}` };
    const bad = await request(`${t.baseURL}/chat/completions`, { method: 'POST', headers, body: '{"model":' });
    expect(bad.statusCode).toBe(400);
    expect(((await bad.body.json()) as { error: { code: string } }).error.code).toBe('invalid_json');

    const invalid = await expectApiError(client.chat.completions.create({ model: 'deepseek/deepseek-chat', messages: [] }), 400, 'invalid_request');
    expect(invalid.param).toBe('messages');

    const huge = 'x'.repeat(100 * 1024);
    const big = await request(`${t.baseURL}/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: huge }] }) });
    expect(big.statusCode).toBe(413);
    expect(((await big.body.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('passes on upstream 429 with retry-after, and maps 500/503 and timeouts to 502/503/504', async () => {
    const limited = await expectApiError(client.chat.completions.create({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: '[[error:429]]' }] }), 429, 'rate_limit_exceeded');
    expect(limited.headers?.get('retry-after')).toBe('1');
    await expectApiError(client.chat.completions.create({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: '[[error:500]]' }] }), 502, 'upstream_error');
    await expectApiError(client.chat.completions.create({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: '[[error:503]]' }] }), 503, 'upstream_unavailable');
    t.upstreams.enqueueFault('xai', { kind: 'slow-first-byte', ms: 5_000 });
    await expectApiError(client.chat.completions.create({ model: 'x-ai/grok-4', messages: [{ role: 'user', content: 'Hi' }] }), 504, 'upstream_timeout');
    t.upstreams.releaseStalls();
  });

  it('never leaks the upstream URL or key in error bodies', async () => {
    const error = await expectApiError(client.chat.completions.create({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: '[[error:500]]' }] }), 502, 'upstream_error');
    const text = JSON.stringify(error.error);
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toContain('test-deepseek-key');
  });

  it('sends a mid-stream upstream error as a final error event', async () => {
    const stream = await client.chat.completions.create({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: '[[stream-error]]' }], stream: true });
    await expect(collect(stream)).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('reports a broken upstream stream to the client as an error', async () => {
    t.upstreams.enqueueFault('openai', { kind: 'break', afterFrames: 2 });
    const stream = await client.chat.completions.create({ model: 'openai/gpt-4.1', messages: [{ role: 'user', content: '[[long]]' }], stream: true });
    await expect(collect(stream)).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('cancels the upstream request when the client disconnects', async () => {
    t.upstreams.enqueueFault('zhipu', { kind: 'stall', afterFrames: 2 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'z-ai/glm-4.6', messages: [{ role: 'user', content: '[[long]]' }], stream: true },
      { signal: controller.signal },
    );
    const upstreamAborted = t.upstreams.waitForAbort();
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await expect(upstreamAborted).resolves.toBeUndefined();
  });

  it('records every call, failures included, with request ids', async () => {
    const res = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.apiKey}`, 'x-request-id': 'trace-abc-123' },
      body: JSON.stringify({ model: 'nope/nothing', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
    await res.body.dump();
    await t.gateway.requestLog.settled();
    const row = await t.gateway.store.db.selectFrom('request_logs').selectAll().where('request_id', '=', 'trace-abc-123').executeTakeFirst();
    expect(row).toMatchObject({ status: 404, user_id: t.userId, stream: 0 });

    const ok = await client.chat.completions.create({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Hi' }] });
    await t.gateway.requestLog.settled();
    const okRow = await t.gateway.store.db.selectFrom('request_logs').selectAll().where('id', '=', ok.id).executeTakeFirst();
    expect(okRow).toMatchObject({ status: 200, model: 'deepseek/deepseek-chat', provider: 'deepseek', prompt_tokens: ok.usage?.prompt_tokens, completion_tokens: ok.usage?.completion_tokens });
  });

  it('exposes Prometheus metrics to admins only', async () => {
    await client.chat.completions.create({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Hi' }] });
    const asAdmin = await request(`${t.url}/metrics`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(asAdmin.statusCode).toBe(200);
    const text = await asAdmin.body.text();
    expect(text).toMatch(/tokenhub_upstream_calls_total\{provider="deepseek",outcome="ok"\} [1-9]/);
    const asUser = await request(`${t.url}/metrics`, { headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(asUser.statusCode).toBe(403);
    await asUser.body.dump();
  });
});
