import { describe, expect, it } from 'vitest';
import { toResponse, toResponseEcho, toResponsesUsage } from '../../../../src/api/responses/from-chat-completion.js';
import { parseResponsesBody } from '../../../../src/api/responses/responses-schema.js';
import { completion, echo, fullAnswer } from './fixtures.js';

describe('chat completion → responses response', () => {
  it('answers text as one message item, with the response envelope and the request echoed', () => {
    const minimalEcho = toResponseEcho(parseResponsesBody({ model: 'openai/gpt-5', input: 'Hi' }));
    expect(toResponse(completion({ content: 'Hello!' }), minimalEcho)).toEqual({
      id: 'resp_01JABCDEF',
      object: 'response',
      created_at: 1767225600,
      status: 'completed',
      incomplete_details: null,
      error: null,
      model: 'openai/gpt-5',
      output: [
        {
          id: 'msg_01JABCDEF_0',
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Hello!', annotations: [], logprobs: [] }],
        },
      ],
      usage: {
        input_tokens: 1200,
        input_tokens_details: { cached_tokens: 1000, cache_write_tokens: 0 },
        output_tokens: 300,
        output_tokens_details: { reasoning_tokens: 120 },
        total_tokens: 1500,
        cost: 0.0042,
      },
      instructions: null,
      metadata: {},
      max_output_tokens: null,
      parallel_tool_calls: true,
      temperature: null,
      top_p: null,
      tool_choice: 'auto',
      tools: [],
      text: { format: { type: 'text' } },
      reasoning: { effort: null, summary: null },
      truncation: 'disabled',
      store: false,
      background: false,
      previous_response_id: null,
    });
  });

  it('orders reasoning, message and one function_call item per tool call, with ids by output index', () => {
    const response = toResponse(fullAnswer, echo);
    expect(response.status).toBe('completed');
    expect(response.output).toEqual([
      { id: 'rs_01JABCDEF_0', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Need ls and date.' }] },
      { id: 'msg_01JABCDEF_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Running both.', annotations: [], logprobs: [] }] },
      { id: 'fc_01JABCDEF_2', type: 'function_call', call_id: 'call_a', name: 'shell', arguments: '{"cmd":"ls"}', status: 'completed' },
      { id: 'fc_01JABCDEF_3', type: 'function_call', call_id: 'call_b', name: 'shell', arguments: '{"cmd":"date"}', status: 'completed' },
    ]);
    // Echo: the function tools offered (the dropped web_search is not among them) and the request settings.
    expect(response.tools).toEqual([{ type: 'function', name: 'shell', description: 'Runs a command', parameters: { type: 'object' }, strict: false }]);
    expect(response).toMatchObject({ instructions: 'You are a coding agent.', reasoning: { effort: 'medium', summary: 'auto' }, store: false });
  });

  it('answers a refusal as a refusal part and a tool-only answer without a message item', () => {
    expect(toResponse(completion({ refusal: 'I cannot help with that.' }), echo).output).toEqual([
      { id: 'msg_01JABCDEF_0', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] },
    ]);
    const toolsOnly = toResponse(completion({ tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'shell', arguments: '{}' } }] }, 'tool_calls'), echo);
    expect(toolsOnly.output.map((item) => item.type)).toEqual(['function_call']);
  });

  it.each([
    ['length', 'incomplete', { reason: 'max_output_tokens' }],
    ['content_filter', 'incomplete', { reason: 'content_filter' }],
    ['stop', 'completed', null],
    ['tool_calls', 'completed', null],
    [null, 'completed', null],
  ] as const)('finish_reason %s → status %s', (finish, status, details) => {
    const response = toResponse(completion({ content: 'x' }, finish), echo);
    expect(response.status).toBe(status);
    expect(response.incomplete_details).toEqual(details);
  });

  it('counts usage as OpenAI does: input includes cached tokens, output includes reasoning tokens', () => {
    expect(
      toResponsesUsage({
        prompt_tokens: 50,
        completion_tokens: 7,
        total_tokens: 57,
        prompt_tokens_details: { cached_tokens: 20, cache_write_tokens: 30 },
        completion_tokens_details: { reasoning_tokens: 5 },
        estimated: true,
      }),
    ).toEqual({
      input_tokens: 50,
      input_tokens_details: { cached_tokens: 20, cache_write_tokens: 30 },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 5 },
      total_tokens: 57,
      estimated: true,
    });
    expect(toResponsesUsage(undefined)).toMatchObject({ input_tokens: 0, output_tokens: 0, total_tokens: 0 });
  });
});
