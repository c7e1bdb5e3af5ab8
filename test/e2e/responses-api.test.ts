/**
 * The OpenAI Responses front door (`/api/v1/responses`) end to end with the official `openai` SDK, the way Codex
 * CLI uses it: stateless requests carrying the whole conversation, streaming, function tools, reasoning, through
 * the same billing as `/chat/completions`, against the mock upstreams.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

describe('OpenAI Responses front door', () => {
  let t: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    t = await startTestGateway({ providers: ['anthropic', 'deepseek'] });
    client = t.client();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a plain input with instructions, billed like any call', async () => {
    const { data: response, response: raw } = await client.responses
      .create({ model: 'deepseek/deepseek-chat', instructions: 'Be terse.', input: 'Hello from responses' })
      .withResponse();
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'deepseek/deepseek-chat', store: false });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output_text).toContain('Hello from responses');
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    expect(response.usage?.output_tokens).toBeGreaterThan(0);
    expect((response.usage as { cost?: number }).cost).toBeGreaterThan(0);

    const generationId = raw.headers.get('x-tokenhub-generation-id');
    await t.gateway.requestLog.settled();
    const record = await fetch(`${t.baseURL}/generation?id=${generationId}`, { headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(await record.json()).toMatchObject({ data: { model: 'deepseek/deepseek-chat', provider: 'deepseek' } });
  });

  it('records its calls under the responses endpoint, streamed or not', async () => {
    const whole = await client.responses.create({ model: 'deepseek/deepseek-chat', input: 'Which door?' }).withResponse();
    const streamed = await client.responses.create({ model: 'deepseek/deepseek-chat', input: 'Which door, streamed?', stream: true }).withResponse();
    for await (const _event of streamed.data) {
      // read to the end
    }
    const ids = [whole.response.headers.get('x-tokenhub-generation-id'), streamed.response.headers.get('x-tokenhub-generation-id')];
    await t.gateway.requestLog.settled();
    const rows = await t.gateway.store.db.selectFrom('request_logs').select(['id', 'endpoint', 'stream']).where('id', 'in', ids as string[]).orderBy('stream').execute();
    expect(rows.map((row) => ({ endpoint: row.endpoint, stream: row.stream }))).toEqual([
      { endpoint: 'responses', stream: 0 },
      { endpoint: 'responses', stream: 1 },
    ]);
  });

  it('streams text deltas the SDK assembles into the final response', async () => {
    const stream = client.responses.stream({ model: 'anthropic/claude-sonnet-4-6', input: [{ role: 'user', content: 'Stream through responses' }] });
    let streamed = '';
    stream.on('response.output_text.delta', (event) => {
      streamed += event.delta;
    });
    const final = await stream.finalResponse();
    expect(streamed).toContain('Stream through responses');
    expect(final.output_text).toBe(streamed);
    expect(final.status).toBe('completed');
    expect(final.usage?.output_tokens).toBeGreaterThan(0);
  });

  describe.each([false, true])('a Codex-style tool loop (stream: %s)', (stream) => {
    it.each(['deepseek/deepseek-chat', 'anthropic/claude-sonnet-4-6'])('on %s: a function call, then its output sent back in full', async (model) => {
      const ask = (input: OpenAI.Responses.ResponseInput) => {
        const params = { model, input, tools: [weatherTool] };
        return stream ? client.responses.stream(params).finalResponse() : client.responses.create(params);
      };
      const question: OpenAI.Responses.ResponseInputItem = { role: 'user', content: 'What is the weather in Paris? [[tool]]' };
      const first = await ask([question]);
      const call = first.output.find((item) => item.type === 'function_call');
      expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
      if (call?.type !== 'function_call') throw new Error('no function call');
      expect(JSON.parse(call.arguments)).toMatchObject({ city: expect.any(String) });

      const second = await ask([question, ...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: 'Sunny, 21°C' }]);
      expect(second.status).toBe('completed');
      expect(second.output_text).toContain('Sunny, 21°C');
    });
  });

  it('returns reasoning as a reasoning item with its summary text', async () => {
    const response = await client.responses.create({
      model: 'anthropic/claude-sonnet-4-6',
      input: 'Think about this',
      reasoning: { effort: 'low' },
      max_output_tokens: 8000,
    });
    const reasoning = response.output.find((item) => item.type === 'reasoning');
    expect(reasoning?.type === 'reasoning' && reasoning.summary[0]?.text).toContain('Think about this');
    expect(response.output.at(-1)).toMatchObject({ type: 'message', role: 'assistant' });
  });

  it('leaves out hosted tools it cannot run and names them in x-tokenhub-warnings', async () => {
    const { data: response, response: raw } = await client.responses
      .create({ model: 'deepseek/deepseek-chat', input: 'Search nothing', tools: [{ type: 'web_search' }, weatherTool] })
      .withResponse();
    expect(response.status).toBe('completed');
    expect(decodeURIComponent(raw.headers.get('x-tokenhub-warnings') ?? '')).toContain('tools[0]');
  });

  it('refuses previous_response_id with a 400 naming it: responses are not stored', async () => {
    const error = await client.responses.create({ model: 'deepseek/deepseek-chat', input: 'Hi', previous_response_id: 'resp_123' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('previous_response_id');
  });

  it('fails a stream the upstream breaks, and the cut call leaves no open hold', async () => {
    const stream = client.responses.stream({ model: 'deepseek/deepseek-chat', input: 'Go [[stream-error]]' });
    await expect(stream.finalResponse()).rejects.toThrow();
    const balance = await t.gateway.billing.getBalance(t.userId);
    expect(balance.heldNanos).toBe(0n);
    expect((await t.gateway.billing.reconcile(t.userId)).ok).toBe(true);
  });
});
