import { describe, expect, it } from 'vitest';
import { geminiAdapter } from '../../../../src/providers/gemini/adapter.js';
import type { GeminiRequest } from '../../../../src/providers/gemini/gemini-api.js';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';
import { makeGeminiTarget, makeRequestContext, makeResponseContext, readFixture } from './gemini-test-support.js';

async function toBody(raw: Record<string, unknown>, model = 'gemini-2.5-flash', fetched: string[] = []): Promise<GeminiRequest> {
  const request = chatRequestSchema.parse({ model: `google/${model}`, ...raw });
  const { request: upstream } = await geminiAdapter.toUpstream(request, makeGeminiTarget(model), makeRequestContext(fetched));
  return JSON.parse(upstream.body ?? '{}') as GeminiRequest;
}

const userThenCall = (args: string) => [
  { role: 'user', content: 'go' },
  { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: args } }] },
];

describe('gemini contents', () => {
  it('fetches only http(s) image URLs and inlines data URLs without fetching', async () => {
    const fetched: string[] = [];
    const body = await toBody(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
              { type: 'image_url', image_url: { url: 'https://images.example/cat.png' } },
            ],
          },
        ],
      },
      'gemini-2.5-flash',
      fetched,
    );
    expect(fetched).toEqual(['https://images.example/cat.png']);
    expect(body.contents[0]?.parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
    ]);
  });

  it.each([
    [[{ type: 'image_url', image_url: { url: 'data:image/png,rawbytes' } }], 'invalid_request', 'messages[0].content[0].image_url.url'],
    [[{ type: 'video_url', video_url: { url: 'https://v.example/a.mp4' } }], 'unsupported_parameter', 'messages[0].content[0]'],
    [[{ type: 'file', file: { file_id: 'file-abc' } }], 'unsupported_parameter', 'messages[0].content[0].file'],
  ])('refuses user part %j with %s at %s', async (content, code, param) => {
    await expect(toBody({ messages: [{ role: 'user', content }] })).rejects.toMatchObject({ code, param });
  });

  it.each([
    ['{"a":', 'Tool call arguments are not valid JSON.'],
    ['[1,2]', 'Tool call arguments must be a JSON object for Gemini.'],
  ])('refuses tool call arguments %s', async (args, message) => {
    await expect(toBody({ messages: userThenCall(args) })).rejects.toMatchObject({
      code: 'invalid_request',
      param: 'messages[1].tool_calls[0].function.arguments',
      message,
    });
  });

  it('wraps tool output that only looks like JSON as text', async () => {
    const body = await toBody({ messages: [...userThenCall('{}'), { role: 'tool', tool_call_id: 'call_1', content: '{not json' }] });
    expect(body.contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'f', response: { result: '{not json' } } }] });
  });

  it('resolves a reused tool-call id to the most recent call with that id', async () => {
    const body = await toBody({
      messages: [
        ...userThenCall('{}'),
        { role: 'tool', tool_call_id: 'call_1', content: 'one' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'g', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'two' },
      ],
    });
    expect(body.contents[4]?.parts[0]?.functionResponse?.name).toBe('g');
  });

  it('adds no signature sentinel for Gemini 2.5, which does not validate signatures', async () => {
    const body = await toBody({ messages: userThenCall('{}') }, 'gemini-2.5-pro');
    expect(body.contents[1]?.parts[0]).toEqual({ functionCall: { name: 'f', args: {} } });
  });

  it('restores the thought signature of a tool call the client got from an earlier response', async () => {
    const upstreamBody: unknown = JSON.parse(readFixture('responses/thinking-tool-calls.upstream-response.json'));
    const { completion } = geminiAdapter.fromUpstream(upstreamBody, makeGeminiTarget('gemini-3-pro-preview'), makeResponseContext());
    const assistant = completion.choices[0]?.message;
    const calls = assistant?.tool_calls ?? [];
    const body = await toBody(
      {
        messages: [
          { role: 'user', content: 'Weather in Paris and Rome?' },
          { role: 'assistant', content: assistant?.content ?? null, tool_calls: calls },
          ...calls.map((c, i) => ({ role: 'tool', tool_call_id: c.id, content: `{"temp":${20 + i}}` })),
        ],
      },
      'gemini-3-pro-preview',
    );
    expect(body.contents[1]?.parts).toEqual([
      { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiQBjz1rX0nYbQx8z2Vg4Q7m1Q9vRk3T0b1m6l2kQ8wYHc0AAA==' },
      { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
    ]);
    expect(body.contents[2]?.parts.map((p) => p.functionResponse)).toEqual([
      { name: 'get_weather', response: { temp: 20 } },
      { name: 'get_weather', response: { temp: 21 } },
    ]);
  });
});

describe('gemini thought signatures sent back in the hub extensions', () => {
  const withSignatureFrom = (assistantExtras: Record<string, unknown>, callExtras: Record<string, unknown> = {}) => [
    { role: 'user', content: 'go' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' }, ...callExtras }], ...assistantExtras },
    { role: 'tool', tool_call_id: 'call_1', content: 'done' },
  ];

  it("takes the signature from the call's own reasoning_details entry, skipping entries that are not objects", async () => {
    const body = await toBody({
      messages: withSignatureFrom({
        reasoning_details: [
          null,
          'text',
          { type: 'reasoning.encrypted', id: 'call_other', data: 'sig-other', format: 'google-gemini-v1' },
          { type: 'reasoning.encrypted', id: 'call_1', data: 'sig-anthropic', format: 'anthropic-claude-v1' },
          { type: 'reasoning.encrypted', id: 'call_1', data: 'sig-1', format: 'google-gemini-v1' },
        ],
      }),
    });
    expect(body.contents[1]?.parts).toEqual([{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'sig-1' }]);
  });

  it("takes the signature from Google's extra_content on the tool call", async () => {
    const body = await toBody({ messages: withSignatureFrom({}, { extra_content: { google: { thought_signature: 'sig-extra' } } }) });
    expect(body.contents[1]?.parts).toEqual([{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'sig-extra' }]);
  });

  it.each([[{ extra_content: 'sig' }], [{ extra_content: { google: 'sig' } }], [{ extra_content: { google: { thought_signature: 7 } } }]])(
    'ignores a malformed extra_content %j',
    async (callExtras) => {
      const body = await toBody({ messages: withSignatureFrom({}, callExtras) });
      expect(body.contents[1]?.parts).toEqual([{ functionCall: { name: 'f', args: {} } }]);
    },
  );
});
