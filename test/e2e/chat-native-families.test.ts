/**
 * Anthropic Messages and Gemini generateContent behind /chat/completions, end to end with the official
 * `openai` SDK against the mock upstreams (which validate requests the way the real APIs do).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { mockPngBase64 } from '../../src/mock-upstreams/mock-assets.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

async function collect(stream: AsyncIterable<Chunk>) {
  const chunks: Chunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const delta = (c: Chunk) => c.choices[0]?.delta as (Chunk['choices'][number]['delta'] & { reasoning_content?: string }) | undefined;
  return {
    chunks,
    text: chunks.map((c) => delta(c)?.content ?? '').join(''),
    reasoning: chunks.map((c) => delta(c)?.reasoning_content ?? '').join(''),
    finish: chunks.map((c) => c.choices[0]?.finish_reason).find((f) => f),
    usage: chunks.at(-1)?.usage,
  };
}

const weatherTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

const families = [
  { name: 'anthropic', model: 'anthropic/claude-sonnet-4-6', midStreamError: '[[overloaded]]' },
  { name: 'gemini', model: 'google/gemini-2.5-pro', midStreamError: '[[stream_error]]' },
] as const;

describe.each(families)('$name behind /chat/completions', ({ name, model, midStreamError }) => {
  let t: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    t = await startTestGateway({ providers: [name === 'anthropic' ? 'anthropic' : 'google', 'bytedance'] });
    client = t.client();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers non-stream with usage', async () => {
    const completion = await client.chat.completions.create({
      model,
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Hello there' },
      ],
      max_tokens: 200,
    });
    expect(completion.model).toBe(model);
    expect(completion.choices[0]?.message.content).toContain('Hello there');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('streams text and ends with a usage chunk and [DONE]', async () => {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Stream please' }], stream: true, stream_options: { include_usage: true } });
    const { text, finish, usage, chunks } = await collect(stream);
    expect(text).toContain('Stream please');
    expect(finish).toBe('stop');
    expect(usage?.total_tokens).toBeGreaterThan(0);
    expect(chunks.at(-1)?.choices).toEqual([]);
  });

  it('streams tool call arguments the SDK reassembles, then takes the tool result back', async () => {
    const runner = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'What is the weather in Paris? [[tool]]' }], tools: [weatherTool] });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    const args = call?.type === 'function' ? (JSON.parse(call.function.arguments) as { city?: string }) : {};
    expect(typeof args.city).toBe('string');

    const followUp = await client.chat.completions.create({
      model,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'What is the weather in Paris? [[tool]]' },
        final.choices[0]!.message as OpenAI.Chat.Completions.ChatCompletionAssistantMessageParam,
        { role: 'tool', tool_call_id: call!.id, content: '{"temp_c": 21}' },
      ],
    });
    expect(followUp.choices[0]?.finish_reason).toBe('stop');
    expect(followUp.choices[0]?.message.content).toContain('21');
  });

  it('accepts an image as a data URL', async () => {
    const completion = await client.chat.completions.create({
      model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe this picture' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${mockPngBase64}` } },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toContain('Describe this picture');
    const upstreamBody = JSON.stringify(t.upstreams.calls.at(-1)?.body);
    expect(upstreamBody).toContain(mockPngBase64);
  });

  it('returns plain JSON content in JSON mode', async () => {
    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Give me a person as JSON' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'person', schema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'] } },
      },
    });
    const parsed = JSON.parse(completion.choices[0]?.message.content ?? 'null') as { name?: unknown; age?: unknown };
    expect(typeof parsed.name).toBe('string');
    expect(typeof parsed.age).toBe('number');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('returns reasoning as reasoning_content when reasoning_effort is set', async () => {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Think about it' }], reasoning_effort: 'low', max_tokens: 4000, stream: true, stream_options: { include_usage: true } });
    const { reasoning, text, usage } = await collect(stream);
    expect(reasoning.length).toBeGreaterThan(0);
    expect(text).toContain('Think about it');
    expect(usage?.completion_tokens_details?.reasoning_tokens ?? 0).toBeGreaterThanOrEqual(name === 'gemini' ? 1 : 0);
  });

  it('sends a mid-stream upstream error as a final error event, once the cut call is paid for', async () => {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: `Hi ${midStreamError}` }], stream: true });
    const error = await collect(stream).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    // The error event is the last thing sent, after the hold was settled for the delivered text.
    expect((await t.gateway.billing.getBalance(t.userId)).heldNanos).toBe(0n);
    expect((await t.gateway.billing.reconcile(t.userId)).ok).toBe(true);
  });

  it('reports a stream cut before its end as an error', async () => {
    // Anthropic's first frames are message_start and a block start; Gemini's first frame already carries text.
    t.upstreams.enqueueFault(name === 'anthropic' ? 'anthropic' : 'google', { kind: 'truncate', afterFrames: name === 'anthropic' ? 2 : 1 });
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'A long answer please' }], stream: true });
    const error = await collect(stream).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });

  it('rejects a parameter the provider cannot honour with 400 unsupported_parameter', async () => {
    const [param, extra] = name === 'anthropic' ? ['n', { n: 2 }] : ['logit_bias', { logit_bias: { '1': 5 } }];
    const error = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }], ...extra }).then(
      () => undefined,
      (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
    );
    expect({ status: error?.status, code: error?.code, param: error?.param }).toEqual({ status: 400, code: 'unsupported_parameter', param });
  });

  it('drops a parameter it cannot honour with a warning header, never silently', async () => {
    const { response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'Hi' }], ...(name === 'anthropic' ? { seed: 7 } : { service_tier: 'flex' }) } as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(response.headers.get('x-tokenhub-warnings')).toContain(name === 'anthropic' ? 'seed' : 'service_tier');
  });
});

describe('gemini image URLs', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ providers: ['google', 'bytedance'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('fetches an http image and inlines it', async () => {
    const url = `${t.upstreams.baseUrlFor('bytedance')}/mock-assets/picture.png`;
    const completion = await t.client().chat.completions.create({
      model: 'google/gemini-2.5-flash',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this' }, { type: 'image_url', image_url: { url } }] }],
    });
    expect(completion.choices[0]?.message.content).toContain('What is this');
    const body = JSON.stringify(t.upstreams.callsFor('google').at(-1)?.body);
    expect(body).toContain('inlineData');
  });

  it.each(['http://169.254.169.254/latest/meta-data/x.png', 'http://[::ffff:0:a9fe:a9fe]/x.png', 'http://[::ffff:a9fe:a9fe]/x.png'])(
    'refuses the image URL %s, which points at the metadata address',
    async (url) => {
      const calls = t.upstreams.callsFor('google').length;
      const error = await t
        .client()
        .chat.completions.create({
          model: 'google/gemini-2.5-flash',
          messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'image_url', image_url: { url } }] }],
        })
        .then(
          () => undefined,
          (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
        );
      expect(error?.status).toBe(400);
      expect(error?.code).toBe('image_fetch_failed');
      expect(error?.message).toContain('metadata');
      expect(t.upstreams.callsFor('google').length).toBe(calls);
    },
  );
});
