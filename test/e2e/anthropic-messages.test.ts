/**
 * The Anthropic Messages front door (`/api/v1/messages`) end to end with the official `@anthropic-ai/sdk`,
 * configured the way Claude Code is (`baseURL` = `<host>/api`), against the mock upstreams: Claude models through
 * the native Anthropic adapter (signed thinking survives a tool loop), other models through theirs, the same
 * billing as `/chat/completions`, and errors in Anthropic's shape.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('Anthropic Messages front door', () => {
  let t: TestGateway;
  let client: Anthropic;

  beforeAll(async () => {
    t = await startTestGateway({ providers: ['anthropic', 'deepseek', 'alibaba', 'google'] });
    client = new Anthropic({ apiKey: t.apiKey, baseURL: `${t.url}/api`, maxRetries: 0 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a Claude model named by its Anthropic id, billed like any call', async () => {
    const { data: message, response } = await client.messages
      .create({ model: 'claude-haiku-4-5-20251001', max_tokens: 200, system: 'Be terse.', messages: [{ role: 'user', content: 'Hello there' }] })
      .withResponse();
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'anthropic/claude-haiku-4-5', stop_reason: 'end_turn' });
    expect(message.id).toMatch(/^msg_/);
    expect(message.content).toEqual([{ type: 'text', text: expect.stringContaining('Hello there') }]);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);

    const cost = Number(response.headers.get('x-tokenhub-cost-usd'));
    expect(cost).toBeGreaterThan(0);
    const generationId = response.headers.get('x-tokenhub-generation-id');
    expect(generationId).toMatch(/^gen-/);
    await t.gateway.requestLog.settled();
    const record = await fetch(`${t.baseURL}/generation?id=${generationId}`, { headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(record.status).toBe(200);
    expect(await record.json()).toMatchObject({ data: { model: 'anthropic/claude-haiku-4-5', provider: 'anthropic' } });
  });

  it('records its calls under the messages endpoint, streamed or not', async () => {
    const params = { model: 'claude-haiku-4-5-20251001', max_tokens: 50, messages: [{ role: 'user' as const, content: 'Which door?' }] };
    const whole = await client.messages.create(params).withResponse();
    const streamed = await client.messages.create({ ...params, stream: true }).withResponse();
    for await (const _event of streamed.data) {
      // read to the end
    }
    const ids = [whole.response.headers.get('x-tokenhub-generation-id'), streamed.response.headers.get('x-tokenhub-generation-id')];
    await t.gateway.requestLog.settled();
    const rows = await t.gateway.store.db.selectFrom('request_logs').select(['id', 'endpoint', 'stream']).where('id', 'in', ids as string[]).orderBy('stream').execute();
    expect(rows.map((row) => ({ endpoint: row.endpoint, stream: row.stream }))).toEqual([
      { endpoint: 'messages', stream: 0 },
      { endpoint: 'messages', stream: 1 },
    ]);
  });

  it('answers any other catalog model too, with inline system messages as Claude Code sends them', async () => {
    const messages = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Ping from deepseek' },
    ] as unknown as Anthropic.MessageParam[];
    const message = await client.messages.create({ model: 'deepseek/deepseek-chat', max_tokens: 100, messages });
    expect(message.model).toBe('deepseek/deepseek-chat');
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Ping from deepseek') });
    expect(message.stop_reason).toBe('end_turn');
  });

  it('lowers a max_tokens above the model’s output ceiling (Claude Code sends 32000) and names it in the warnings', async () => {
    const { data: events, response } = await client.messages
      .create({ model: 'qwen/qwen-max', max_tokens: 32_000, stream: true, messages: [{ role: 'user', content: 'Small model' }] })
      .withResponse();
    let text = '';
    for await (const event of events) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    expect(text).toContain('Small model');
    expect(response.headers.get('x-tokenhub-warnings')).toContain('max_tokens');
    expect(t.upstreams.callsFor('alibaba').at(-1)?.body).toMatchObject({ max_tokens: 8192 });
  });

  it('calls a coding-agent tool on Gemini even when its schema uses JSON Schema beyond Gemini’s OpenAPI subset', async () => {
    const bash: Anthropic.Tool = {
      name: 'bash',
      description: 'Run a shell command',
      input_schema: {
        type: 'object',
        properties: { command: { type: 'string' }, timeout: { type: 'number', exclusiveMinimum: 0 } },
        required: ['command'],
        additionalProperties: false,
      },
    };
    const { data: message, response } = await client.messages
      .create({ model: 'google/gemini-2.5-flash', max_tokens: 1000, tools: [bash], messages: [{ role: 'user', content: 'Run the tests [[tool]]' }] })
      .withResponse();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.find((block) => block.type === 'tool_use')).toMatchObject({ name: 'bash', input: { command: expect.any(String) } });
    expect(decodeURIComponent(response.headers.get('x-tokenhub-warnings') ?? '')).toContain('tools[0].function.parameters');
    expect(t.upstreams.callsFor('google').at(-1)?.body).toMatchObject({ tools: [{ functionDeclarations: [{ name: 'bash', parametersJsonSchema: bash.input_schema }] }] });
  });

  it('streams events the SDK assembles into the same message', async () => {
    const stream = client.messages.stream({ model: 'anthropic/claude-sonnet-4-6', max_tokens: 200, messages: [{ role: 'user', content: 'Stream please' }] });
    let streamed = '';
    stream.on('text', (text) => {
      streamed += text;
    });
    const final = await stream.finalMessage();
    expect(streamed).toContain('Stream please');
    expect(final.content).toEqual([{ type: 'text', text: streamed }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('streams from an OpenAI-compatible model as Anthropic events', async () => {
    const final = await client.messages.stream({ model: 'deepseek/deepseek-chat', max_tokens: 100, messages: [{ role: 'user', content: 'Stream from deepseek' }] }).finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Stream from deepseek') });
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  describe.each([false, true])('a tool loop with thinking (stream: %s)', (stream) => {
    it('returns signed thinking and a tool call, and takes both back with the tool result', async () => {
      const ask = async (messages: Anthropic.MessageParam[]) => {
        const params = { model: 'anthropic/claude-sonnet-4-6', max_tokens: 4000, thinking: { type: 'enabled' as const, budget_tokens: 2000 }, tools: [weatherTool], messages };
        return stream ? client.messages.stream(params).finalMessage() : client.messages.create(params);
      };
      const question: Anthropic.MessageParam = { role: 'user', content: 'What is the weather in Paris? [[tool]]' };
      const first = await ask([question]);
      expect(first.stop_reason).toBe('tool_use');
      const thinking = first.content.find((block) => block.type === 'thinking');
      expect(thinking).toMatchObject({ type: 'thinking', thinking: expect.stringContaining('weather in Paris') });
      expect(thinking?.type === 'thinking' && thinking.signature.length).toBeGreaterThan(10);
      const toolUse = first.content.find((block) => block.type === 'tool_use');
      expect(toolUse).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } });
      if (toolUse?.type !== 'tool_use') throw new Error('no tool call');

      // The mock refuses the continuation unless the signed thinking block comes back unchanged and first.
      const second = await ask([
        question,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'Sunny, 21°C' }] },
      ]);
      expect(second.stop_reason).toBe('end_turn');
      expect(second.content.find((block) => block.type === 'text')).toMatchObject({ text: expect.stringContaining('Sunny, 21°C') });
    });
  });

  it('streams each thinking block with its signature before the block stops, as Anthropic does', async () => {
    const stream = client.messages.stream({
      model: 'anthropic/claude-sonnet-4-6',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2000 },
      messages: [{ role: 'user', content: 'Think first' }],
    });
    const events: Anthropic.MessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const at = (match: (event: Anthropic.MessageStreamEvent) => boolean) => events.findIndex(match);
    const signatures = events.filter((e) => e.type === 'content_block_delta' && e.delta.type === 'signature_delta');
    const signature = at((e) => e.type === 'content_block_delta' && e.delta.type === 'signature_delta');
    const thinkingStop = at((e) => e.type === 'content_block_stop' && e.index === 0);
    const textStart = at((e) => e.type === 'content_block_start' && e.content_block.type === 'text');
    expect(events[at((e) => e.type === 'content_block_start')]).toMatchObject({ index: 0, content_block: { type: 'thinking' } });
    expect(signatures).toHaveLength(1);
    expect(signature).toBeGreaterThan(0);
    expect(signature).toBeLessThan(thinkingStop);
    expect(thinkingStop).toBeLessThan(textStart);
    expect(events.at(-1)).toEqual({ type: 'message_stop' });
  });

  it('keeps cache_control breakpoints, so a repeated prefix is read from the cache and billed as such', async () => {
    const system: Anthropic.TextBlockParam[] = [{ type: 'text', text: 'Shared instructions. '.repeat(200), cache_control: { type: 'ephemeral' } }];
    const ask = () =>
      client.messages.create({ model: 'anthropic/claude-sonnet-4-6', max_tokens: 100, system, messages: [{ role: 'user', content: 'Cached?' }] }).withResponse();
    const first = await ask();
    const second = await ask();
    expect(first.data.usage.cache_creation_input_tokens).toBeGreaterThan(1000);
    expect(second.data.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: first.data.usage.cache_creation_input_tokens });
    expect(Number(second.response.headers.get('x-tokenhub-cost-usd'))).toBeLessThan(Number(first.response.headers.get('x-tokenhub-cost-usd')));
  });

  it('lists models in Anthropic’s page shape for Claude Code’s model discovery', async () => {
    const models: Anthropic.ModelInfo[] = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.find((model) => model.id === 'anthropic/claude-sonnet-4-6')).toMatchObject({ type: 'model', display_name: expect.any(String) });
    expect(models.every((model) => !Number.isNaN(Date.parse(model.created_at)))).toBe(true);
    const plain = (await (await fetch(`${t.baseURL}/models`)).json()) as Record<string, unknown>;
    expect(plain).not.toHaveProperty('has_more');
  });

  it('counts input tokens', async () => {
    const counted = await client.messages.countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'How many tokens is this sentence?' }] });
    expect(counted.input_tokens).toBeGreaterThan(5);
    expect(counted.input_tokens).toBeLessThan(40);
  });

  it('takes the key as a Bearer token too (Claude Code’s ANTHROPIC_AUTH_TOKEN)', async () => {
    const bearer = new Anthropic({ authToken: t.apiKey, apiKey: null, baseURL: `${t.url}/api`, maxRetries: 0 });
    const message = await bearer.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] });
    expect(message.model).toBe('anthropic/claude-haiku-4-5');
  });

  describe('errors in Anthropic’s shape', () => {
    const errorOf = async (call: Promise<unknown>) => {
      const error = await call.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(Anthropic.APIError);
      return error as InstanceType<typeof Anthropic.APIError>;
    };

    it('a bad key is a 401 authentication_error', async () => {
      const stranger = new Anthropic({ apiKey: 'th-not-a-real-key', baseURL: `${t.url}/api`, maxRetries: 0 });
      const error = await errorOf(stranger.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }));
      expect(error.status).toBe(401);
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    });

    it('a body without max_tokens is a 400 invalid_request_error naming it', async () => {
      const body = { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Hi' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming;
      const error = await errorOf(client.messages.create(body));
      expect(error.status).toBe(400);
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') } });
    });

    it('an unknown model is a 404 not_found_error', async () => {
      const error = await errorOf(client.messages.create({ model: 'claude-nonexistent-9', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }));
      expect(error.status).toBe(404);
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    });

    it('an upstream overload mid-stream reaches the client as an error event, and the cut stream is settled', async () => {
      const stream = client.messages.stream({ model: 'anthropic/claude-sonnet-4-6', max_tokens: 200, messages: [{ role: 'user', content: 'Go [[overloaded]]' }] });
      const error = await errorOf(stream.finalMessage());
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
      const reconciled = await t.gateway.billing.reconcile(t.userId);
      expect(reconciled.ok).toBe(true);
      expect((await t.gateway.billing.getBalance(t.userId)).heldNanos).toBe(0n);
    });
  });
});
