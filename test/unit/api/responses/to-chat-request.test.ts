import { describe, expect, it } from 'vitest';
import { parseResponsesBody } from '../../../../src/api/responses/responses-schema.js';
import { toChatRequest } from '../../../../src/api/responses/to-chat-request.js';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';

const translate = (body: Record<string, unknown>) => toChatRequest(parseResponsesBody({ model: 'openai/gpt-5', ...body }));
const messagesOf = (body: Record<string, unknown>) => translate(body).request.messages;

function rejection(body: Record<string, unknown>): unknown {
  try {
    translate(body);
  } catch (error) {
    const { code, status, param } = error as { code: string; status: number; param: string };
    return { code, status, param };
  }
  throw new Error('expected a rejection');
}

const shellTool = { type: 'function', name: 'shell', description: 'Runs a command', parameters: { type: 'object', properties: { cmd: { type: 'string' } } }, strict: false };

describe('responses request → chat request: messages', () => {
  it('puts instructions first as a system message and a string input as one user message', () => {
    expect(translate({ instructions: 'Be brief.', input: 'Hi' })).toEqual({
      request: { model: 'openai/gpt-5', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] },
      dropped: [],
    });
  });

  it('keeps roles (developer stays developer), reads typeless items as messages and text parts as text', () => {
    expect(
      messagesOf({
        input: [
          { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Use tabs.' }] },
          { role: 'system', content: 'sys' },
          { role: 'user', content: [{ type: 'input_text', text: 'Hello' }] },
          { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi ' }, { type: 'output_text', text: 'there' }] },
        ],
      }),
    ).toEqual([
      { role: 'developer', content: [{ type: 'text', text: 'Use tabs.' }] },
      { role: 'system', content: 'sys' },
      { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      { role: 'assistant', content: 'Hi there' },
    ]);
  });

  it('translates images by URL with their detail, and refuses file_id images by name', () => {
    const image = { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'high' };
    expect(messagesOf({ input: [{ role: 'user', content: [{ type: 'input_text', text: 'What?' }, image, { ...image, detail: 'original' }] }] })).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'high' } },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
    ]);
    expect(rejection({ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1', detail: 'auto' }] }] })).toEqual({
      code: 'invalid_request',
      status: 400,
      param: 'input[0].content[0].file_id',
    });
  });

  it('groups consecutive function calls into one assistant message and outputs into tool messages', () => {
    const messages = messagesOf({
      input: [
        { role: 'user', content: 'List files and the date' },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Two tools needed.' }], encrypted_content: 'gAAAA' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_a', name: 'shell', arguments: '{"cmd":"ls"}' },
        { type: 'function_call', call_id: 'call_b', name: 'shell', arguments: '{"cmd":"date"}' },
        { type: 'function_call_output', call_id: 'call_a', output: 'a.txt' },
        { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: 'Mon' }, { type: 'input_text', text: 'Jan 5' }] },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Now once more.' }] },
        { type: 'function_call', call_id: 'call_c', name: 'shell', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_c', output: [{ type: 'input_image', image_url: 'https://x/y.png' }] },
      ],
    });
    expect(messages).toEqual([
      { role: 'user', content: 'List files and the date' },
      {
        role: 'assistant',
        content: 'Checking.',
        // The reasoning summary travels as reasoning_content; encrypted_content is dropped.
        reasoning_content: 'Two tools needed.',
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'shell', arguments: '{"cmd":"ls"}' } },
          { id: 'call_b', type: 'function', function: { name: 'shell', arguments: '{"cmd":"date"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'a.txt' },
      { role: 'tool', tool_call_id: 'call_b', content: 'Mon\nJan 5' },
      { role: 'assistant', content: null, reasoning_content: 'Now once more.', tool_calls: [{ id: 'call_c', type: 'function', function: { name: 'shell', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_c', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
    ]);
    // What the pipeline receives is a valid chat request.
    expect(chatRequestSchema.safeParse({ model: 'm', messages }).success).toBe(true);
  });

  it('keeps parallel calls together when reasoning sits between them', () => {
    const messages = messagesOf({
      input: [
        { role: 'user', content: 'go' },
        { type: 'function_call', call_id: 'call_a', name: 'shell', arguments: '{}' },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'and another' }] },
        { type: 'function_call', call_id: 'call_b', name: 'shell', arguments: '{}' },
      ],
    });
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({ role: 'assistant', reasoning_content: 'and another', tool_calls: [{ id: 'call_a' }, { id: 'call_b' }] });
  });
});

describe('responses request → chat request: parameters', () => {
  it('maps output budget, sampling, reasoning effort, user, stream and json_schema format', () => {
    const { request } = translate({
      input: 'x',
      max_output_tokens: 500,
      temperature: 0.2,
      top_p: 0.9,
      user: 'u-1',
      reasoning: { effort: 'xhigh', summary: 'auto' },
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true, description: 'An answer' }, verbosity: 'low' },
      stream: true,
      store: false,
      metadata: { run: '1' },
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'k',
      service_tier: 'auto',
      truncation: 'disabled',
    });
    expect(request).toEqual({
      model: 'openai/gpt-5',
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 500,
      temperature: 0.2,
      top_p: 0.9,
      user: 'u-1',
      reasoning_effort: 'xhigh',
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true, description: 'An answer' } },
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(translate({ input: 'x', text: { format: { type: 'json_object' } } }).request.response_format).toEqual({ type: 'json_object' });
    expect(translate({ input: 'x', text: { format: { type: 'text' } } }).request.response_format).toBeUndefined();
  });

  it('flattens function tools into chat tools and maps every tool_choice form', () => {
    const base = { input: 'x', tools: [shellTool], parallel_tool_calls: false };
    expect(translate({ ...base, tool_choice: 'required' }).request).toMatchObject({
      tools: [{ type: 'function', function: { name: 'shell', description: 'Runs a command', parameters: shellTool.parameters, strict: false } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    expect(translate({ ...base, tool_choice: { type: 'function', name: 'shell' } }).request.tool_choice).toEqual({ type: 'function', function: { name: 'shell' } });
    // Without tools, OpenAI refuses tool_choice and parallel_tool_calls: they are left out.
    expect(translate({ input: 'x', tool_choice: 'auto', parallel_tool_calls: true }).request).not.toHaveProperty('tool_choice');
  });

  it('drops hosted tools (and a tool_choice naming one) and reports them', () => {
    const { request, dropped } = translate({
      input: 'x',
      tools: [{ type: 'web_search' }, shellTool, { type: 'custom', name: 'apply_patch', format: { type: 'grammar' } }, { type: 'local_shell' }],
      tool_choice: { type: 'web_search' },
    });
    expect(request.tools?.map((tool) => tool.function.name)).toEqual(['shell']);
    expect(request).not.toHaveProperty('tool_choice');
    expect(dropped.map((entry) => entry.param)).toEqual(['tools[0]', 'tools[2]', 'tools[3]', 'tool_choice']);
    expect(dropped[1]?.message).toContain('"custom"');
  });

  it.each([
    ['previous_response_id', { input: 'x', previous_response_id: 'resp_1' }, 'previous_response_id'],
    ['conversation', { input: 'x', conversation: 'conv_1' }, 'conversation'],
    ['background', { input: 'x', background: true }, 'background'],
    ['an unknown input item type', { input: [{ role: 'user', content: 'x' }, { type: 'item_reference', id: 'msg_1' }] }, 'input[1].type'],
    ['a hosted-tool call in history', { input: [{ type: 'web_search_call', id: 'ws_1', status: 'completed' }] }, 'input[0].type'],
    ['an input_file part', { input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] }, 'input[0].content[0].type'],
    ['a refusal in a user message', { input: [{ role: 'user', content: [{ type: 'refusal', refusal: 'no' }] }] }, 'input[0].content[0].type'],
    ['a function tool without a name', { input: 'x', tools: [{ type: 'function', parameters: {} }] }, 'tools[0].name'],
    ['a function call without call_id', { input: [{ type: 'function_call', name: 'shell', arguments: '{}' }] }, 'input[0].call_id'],
    ['a missing input', {}, 'input'],
  ])('rejects %s with a 400 naming it', (_name, body, param) => {
    expect(rejection(body)).toEqual({ code: 'invalid_request', status: 400, param });
  });
});
