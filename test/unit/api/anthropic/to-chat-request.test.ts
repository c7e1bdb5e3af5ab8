import { describe, expect, it } from 'vitest';
import { parseAnthropicMessagesBody } from '../../../../src/api/anthropic/messages-schema.js';
import { toChatRequest } from '../../../../src/api/anthropic/to-chat-request.js';
import type { AnthropicMessagesRequest } from '../../../../src/providers/anthropic/anthropic-api.js';
import { ANTHROPIC_REASONING_FORMAT } from '../../../../src/providers/openai/reasoning-details.js';
import { toAnthropicRequest } from '../../../../src/providers/anthropic/request.js';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';
import { createRequestContext, createTestTarget } from '../../../support/anthropic-fixtures.js';

const base = { model: 'claude-sonnet-4-5', max_tokens: 1024 };

/** Parsed as the route parses it, translated, and checked to be a request the pipeline's own schema accepts. */
function translate(body: Record<string, unknown>) {
  const request = toChatRequest(parseAnthropicMessagesBody({ ...base, ...body }));
  expect(chatRequestSchema.safeParse(request).success).toBe(true);
  return request;
}

function rejection(body: Record<string, unknown>) {
  try {
    translate(body);
  } catch (error) {
    return { code: (error as { code: string }).code, status: (error as { status: number }).status, param: (error as { param: string }).param };
  }
  throw new Error('expected the request to be rejected');
}

const weatherTool = { name: 'get_weather', description: 'Weather by city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };

describe('anthropic request → chat request: system text', () => {
  it('puts top-level system first, inline system messages where they appear, and drops empty blocks', () => {
    const request = translate({
      system: [
        { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: '' },
        { type: 'text', text: 'Be brief.' },
      ],
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'system', content: 'Reminder: today is Monday.' },
        { role: 'system', content: [{ type: 'text', text: '  ' }] },
        { role: 'user', content: 'And now?' },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'system',
        content: [
          { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Be brief.' },
        ],
      },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Reminder: today is Monday.' },
      { role: 'user', content: 'And now?' },
    ]);
  });

  it('keeps a string system prompt a string and leaves out an empty one', () => {
    expect(translate({ system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] }).messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(translate({ system: '', messages: [{ role: 'user', content: 'Hi' }] }).messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });
});

describe('anthropic request → chat request: user content', () => {
  it('turns text and both image kinds into parts, keeping cache_control on text', () => {
    const request = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'text', text: 'What is in these?', cache_control: { type: 'ephemeral', ttl: '1h' } },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          { type: 'text', text: 'What is in these?', cache_control: { type: 'ephemeral', ttl: '1h' } },
        ],
      },
    ]);
  });

  it('sends tool results first, in block order, then the rest of the turn as a user message', () => {
    const request = translate({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking both.' },
            { type: 'tool_use', id: 'toolu_A', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_B', name: 'get_weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Here you go.' },
            { type: 'tool_result', tool_use_id: 'toolu_A', content: '18°C' },
            { type: 'tool_result', tool_use_id: 'toolu_B', content: [{ type: 'text', text: '24°C' }, { type: 'text', text: 'sunny' }], is_error: false },
          ],
        },
      ],
      tools: [weatherTool],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        tool_calls: [
          { id: 'toolu_A', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_B', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_A', content: '18°C' },
      { role: 'tool', tool_call_id: 'toolu_B', content: '24°C\nsunny' },
      { role: 'user', content: [{ type: 'text', text: 'Here you go.' }] },
    ]);
  });

  it('keeps images of a tool result as parts, leaves is_error out, and moves a block cache_control to the last text', () => {
    const request = translate({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_S',
              is_error: true,
              content: [
                { type: 'text', text: 'Screenshot:' },
                { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
              ],
            },
            { type: 'tool_result', tool_use_id: 'toolu_T', content: 'File not found', is_error: true, cache_control: { type: 'ephemeral' } },
            { type: 'tool_result', tool_use_id: 'toolu_U' },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'tool',
        tool_call_id: 'toolu_S',
        content: [
          { type: 'text', text: 'Screenshot:' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_T', content: [{ type: 'text', text: 'File not found', cache_control: { type: 'ephemeral' } }] },
      { role: 'tool', tool_call_id: 'toolu_U', content: '' },
    ]);
  });
});

describe('anthropic request → chat request: assistant thinking', () => {
  const thinkingTurn = {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: 'User wants weather.', signature: 'EqQBCkYI-signed' },
      { type: 'redacted_thinking', data: 'EmwKAhgBRedacted' },
      { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
    ],
  };
  const body = {
    max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 2048 },
    tools: [weatherTool],
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      thinkingTurn,
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: '18°C' }] },
    ],
  };

  it('carries thinking as reasoning_content and as reasoning_details in the Anthropic adapter shape', () => {
    const assistant = translate(body).messages[1];
    expect(assistant).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'toolu_01A', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      reasoning_content: 'User wants weather.',
      reasoning_details: [
        { type: 'reasoning.text', text: 'User wants weather.', signature: 'EqQBCkYI-signed', format: ANTHROPIC_REASONING_FORMAT, index: 0 },
        { type: 'reasoning.encrypted', data: 'EmwKAhgBRedacted', format: ANTHROPIC_REASONING_FORMAT, index: 1 },
      ],
    });
  });

  it('reaches the Anthropic upstream with the signed blocks unchanged and thinking still on', () => {
    const request = translate(body);
    const { request: upstream, warnings } = toAnthropicRequest(request, createTestTarget(), createRequestContext());
    const sent = JSON.parse(upstream.body ?? '') as AnthropicMessagesRequest;
    expect(sent.messages[1]).toEqual(thinkingTurn);
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(sent.max_tokens).toBe(4096);
    expect(warnings).toEqual([]);
  });
});

describe('anthropic request → chat request: parameters', () => {
  it('maps sampling, stop, user, thinking and streaming', () => {
    const request = translate({
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      thinking: { type: 'disabled' },
      stream: true,
    });
    expect(request).toEqual({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 1024,
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop: ['END'],
      user: 'user-42',
      thinking: { type: 'disabled' },
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('maps tools to function tools, keeping a tool cache_control', () => {
    const request = translate({ messages: [{ role: 'user', content: 'Hi' }], tools: [{ ...weatherTool, cache_control: { type: 'ephemeral' } }] });
    expect(request.tools).toEqual([
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather by city', parameters: weatherTool.input_schema },
        cache_control: { type: 'ephemeral' },
      },
    ]);
  });

  it.each([
    [{ type: 'auto' }, 'auto', undefined],
    [{ type: 'any' }, 'required', undefined],
    [{ type: 'none' }, 'none', undefined],
    [{ type: 'tool', name: 'get_weather' }, { type: 'function', function: { name: 'get_weather' } }, undefined],
    [{ type: 'any', disable_parallel_tool_use: true }, 'required', false],
    [{ type: 'auto', disable_parallel_tool_use: false }, 'auto', undefined],
  ])('tool_choice %j → %j (parallel_tool_calls %s)', (choice, expected, parallel) => {
    const request = translate({ messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool], tool_choice: choice });
    expect(request.tool_choice).toEqual(expected);
    expect(request.parallel_tool_calls).toBe(parallel);
  });
});

describe('anthropic request validation', () => {
  it.each([
    ['an unknown block type', { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Yes?' }, { role: 'user', content: [{ type: 'document', source: {} }] }] }, 'messages[2].content[0].type'],
    ['an unknown block inside a tool result', { messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'search_result' }] }] }] }, 'messages[0].content[0].content[0].type'],
    ['an image source of type file', { messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] }, 'messages[0].content[0].source.type'],
    ['a server tool', { messages: [{ role: 'user', content: 'Hi' }], tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools[0].type'],
    ['a tool_use block in a user message', { messages: [{ role: 'user', content: [{ type: 'tool_use', id: 't', name: 'n', input: {} }] }] }, 'messages[0].content[0].type'],
    ['an image in an assistant message', { messages: [{ role: 'assistant', content: [{ type: 'image', source: { type: 'url', url: 'https://x' } }] }] }, 'messages[0].content[0].type'],
    ['content that is neither string nor array', { messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    ['an unknown role', { messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].role'],
  ])('rejects %s with a 400 naming it', (_name, body, param) => {
    expect(rejection(body)).toEqual({ code: 'invalid_request', status: 400, param });
  });

  it('requires max_tokens, like Anthropic', () => {
    expect(() => parseAnthropicMessagesBody({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] })).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'max_tokens', message: expect.stringContaining('max_tokens is required') }),
    );
  });

  it('tolerates fields it does not translate', () => {
    expect(() => translate({ messages: [{ role: 'user', content: 'Hi', extra: 1 }], service_tier: 'auto', context_management: {} })).not.toThrow();
  });
});
