import { describe, expect, it } from 'vitest';
import type { AnthropicMessagesRequest } from '../../../../src/providers/anthropic/anthropic-api.js';
import { anthropicReasoningBudgets } from '../../../../src/providers/anthropic/thinking.js';
import { toAnthropicRequest } from '../../../../src/providers/anthropic/request.js';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';
import { createRequestContext, createTestModel, createTestTarget } from '../../../support/anthropic-fixtures.js';

type ModelOverrides = Parameters<typeof createTestModel>[0];

function translate(extra: Record<string, unknown>, model: ModelOverrides = {}, clientHeaders: Record<string, string> = {}) {
  const request = chatRequestSchema.parse({ model: 'anthropic/claude-sonnet-4.5', messages: [{ role: 'user', content: 'Hi' }], ...extra });
  const { request: upstream, warnings } = toAnthropicRequest(request, createTestTarget(createTestModel(model)), createRequestContext(clientHeaders));
  return { body: JSON.parse(upstream.body ?? '') as AnthropicMessagesRequest, warnings, headers: upstream.headers };
}

const tool = { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } };

describe('anthropic tool translation', () => {
  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'any' }],
    [{ type: 'function', function: { name: 'lookup' } }, { type: 'tool', name: 'lookup' }],
  ])('tool_choice %j → %j', (choice, expected) => {
    expect(translate({ tools: [tool], tool_choice: choice }).body.tool_choice).toEqual(expected);
  });

  it('adds disable_parallel_tool_use to the chosen mode, not to none', () => {
    expect(translate({ tools: [tool], tool_choice: 'required', parallel_tool_calls: false }).body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(translate({ tools: [tool], tool_choice: 'none', parallel_tool_calls: false }).body.tool_choice).toEqual({ type: 'none' });
  });

  it('rejects a forcing tool_choice without tools, or naming an unknown tool', () => {
    expect(() => translate({ tool_choice: 'required' })).toThrow(expect.objectContaining({ code: 'invalid_request', param: 'tool_choice' }));
    expect(() => translate({ tools: [tool], tool_choice: { type: 'function', function: { name: 'nope' } } })).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'tool_choice' }),
    );
  });

  it('keeps strict on models with structured outputs and warns elsewhere', () => {
    const strictTool = { type: 'function', function: { ...tool.function, strict: true } };
    expect(translate({ tools: [strictTool] }, { capabilities: { json_schema: true } }).body.tools?.[0]?.strict).toBe(true);
    const plain = translate({ tools: [strictTool] });
    expect(plain.body.tools?.[0]?.strict).toBeUndefined();
    expect(plain.warnings).toEqual([{ param: 'tools[0].function.strict', message: expect.any(String) }]);
  });

  it('refuses tools on a model without tool support, and the reserved JSON tool name', () => {
    expect(() => translate({ tools: [tool] }, { capabilities: { tools: false } })).toThrow(expect.objectContaining({ code: 'unsupported_parameter', param: 'tools' }));
    const clash = { type: 'function', function: { name: 'json_response' } };
    expect(() => translate({ tools: [clash], response_format: { type: 'json_object' } })).toThrow(expect.objectContaining({ param: 'tools' }));
  });

  it('leaves the JSON tool out when the client forces one of its own tools', () => {
    const { body } = translate({ tools: [tool], tool_choice: { type: 'function', function: { name: 'lookup' } }, response_format: { type: 'json_object' } });
    expect(body.tools?.map((t) => t.name)).toEqual(['lookup']);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'lookup' });
  });

  it('rejects tool arguments that are JSON but not an object', () => {
    const messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '[1,2]' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'ok' },
    ];
    expect(() => translate({ messages, tools: [tool] })).toThrow(expect.objectContaining({ param: 'messages[1].tool_calls[0].function.arguments' }));
  });
});

describe('anthropic thinking translation', () => {
  it.each(Object.entries(anthropicReasoningBudgets))('reasoning_effort %s → budget %i with max_tokens derived above it', (effort, budget) => {
    const { body } = translate({ reasoning_effort: effort });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
    expect(body.max_tokens).toBe(budget + 4096);
  });

  it('turns thinking off explicitly for reasoning_effort none, and says nothing when nothing was asked', () => {
    expect(translate({ reasoning_effort: 'none' }).body.thinking).toEqual({ type: 'disabled' });
    expect(translate({}).body.thinking).toBeUndefined();
    expect(translate({ reasoning_effort: 'none' }, { capabilities: { reasoning: false } })).toMatchObject({ warnings: [] });
    expect(translate({ reasoning_effort: 'none' }, { capabilities: { reasoning: false } }).body.thinking).toBeUndefined();
  });

  it('caps the derived max_tokens at the model limit and rejects a budget that leaves no room', () => {
    expect(translate({ reasoning_effort: 'medium' }, { maxOutputTokens: 10000 }).body.max_tokens).toBe(10000);
    expect(() => translate({ reasoning_effort: 'max' }, { maxOutputTokens: 32000 })).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'reasoning_effort' }),
    );
  });

  it('lets the thinking extra win over reasoning and reasoning_effort', () => {
    const { body } = translate({ thinking: { type: 'enabled', budget_tokens: 1500 }, reasoning: { max_tokens: 3000 }, reasoning_effort: 'high' });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 1500 });
  });

  it('passes adaptive thinking on and honours disabled', () => {
    expect(translate({ thinking: { type: 'adaptive' } }).body.thinking).toEqual({ type: 'adaptive' });
    expect(translate({ thinking: { type: 'disabled' }, reasoning_effort: 'high' }).body.thinking).toEqual({ type: 'disabled' });
  });

  it('reads OpenRouter-style reasoning objects', () => {
    expect(translate({ reasoning: { effort: 'low' } }).body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(translate({ reasoning: { enabled: true } }).body.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(translate({ reasoning: { enabled: false, effort: 'high' } }).body.thinking).toEqual({ type: 'disabled' });
    expect(translate({ reasoning: { effort: 'low', exclude: true } }).warnings).toEqual([{ param: 'reasoning.exclude', message: expect.any(String) }]);
  });

  it('rejects malformed thinking and reasoning extras', () => {
    expect(() => translate({ thinking: { type: 'enabled' } })).toThrow(expect.objectContaining({ code: 'invalid_request', param: 'thinking' }));
    expect(() => translate({ reasoning: { effort: 'extreme' } })).toThrow(expect.objectContaining({ code: 'invalid_request', param: 'reasoning' }));
  });

  it('names max_completion_tokens when that is the limit too small for the budget', () => {
    expect(() => translate({ reasoning_effort: 'low', max_completion_tokens: 2048 })).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'max_completion_tokens' }),
    );
  });

  it('keeps thinking on when the continued tool turn brings its reasoning_details back', () => {
    const messages = [
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'lookup', arguments: '{}' } }],
        reasoning_details: [{ type: 'reasoning.text', text: 'Use lookup.', signature: 'sig', format: 'anthropic-claude-v1', index: 0 }],
      },
      { role: 'tool', tool_call_id: 't1', content: 'sunny' },
    ];
    const { body, warnings } = translate({ messages, tools: [tool], reasoning_effort: 'low' });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(body.messages[1]?.content[0]).toEqual({ type: 'thinking', thinking: 'Use lookup.', signature: 'sig' });
    expect(warnings).toEqual([]);
  });
});

describe('anthropic prompt translation', () => {
  it('leaves out reasoning details Anthropic cannot verify, with a warning', () => {
    const messages = [
      { role: 'user', content: 'Hi' },
      {
        role: 'assistant',
        content: 'Hello',
        reasoning_details: [
          { type: 'reasoning.text', text: 'from Gemini', signature: 'abc', format: 'google-gemini-v1' },
          { type: 'reasoning.text', text: 'unsigned' },
          { type: 'reasoning.encrypted', data: 'opaque', format: 'anthropic-claude-v1' },
        ],
      },
      { role: 'user', content: 'Again' },
    ];
    const { body, warnings } = translate({ messages });
    expect(body.messages[1]?.content).toEqual([
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'Hello' },
    ]);
    expect(warnings).toEqual([{ param: 'messages[1].reasoning_details', message: expect.stringContaining('2 reasoning detail') }]);
  });

  it('rejects reasoning_details that are not a list of objects', () => {
    const messages = [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'x', reasoning_details: 'nope' }, { role: 'user', content: 'y' }];
    expect(() => translate({ messages })).toThrow(expect.objectContaining({ code: 'invalid_request', param: 'messages[1].reasoning_details' }));
  });

  it('puts thinking blocks first when two assistant messages merge', () => {
    const messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Part one' },
      { role: 'assistant', content: 'Part two', reasoning_details: [{ type: 'reasoning.text', text: 't', signature: 's' }] },
    ];
    expect(translate({ messages }).body.messages[1]?.content.map((block) => block.type)).toEqual(['thinking', 'text', 'text']);
  });

  it('moves tool results ahead of user text that came before them', () => {
    const messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
      { role: 'user', content: 'While you are at it…' },
      { role: 'tool', tool_call_id: 't1', content: 'done' },
    ];
    expect(translate({ messages, tools: [tool] }).body.messages[2]?.content.map((block) => block.type)).toEqual(['tool_result', 'text']);
  });

  it('passes assistant refusal parts on as text and rejects other assistant parts', () => {
    const refusal = [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] }, { role: 'user', content: 'Why?' }];
    expect(translate({ messages: refusal }).body.messages[1]?.content).toEqual([{ type: 'text', text: 'No.' }]);
    const image = [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] }];
    expect(() => translate({ messages: image })).toThrow(expect.objectContaining({ code: 'unsupported_parameter', param: 'messages[1].content[0]' }));
  });

  it.each([
    ['data:image/png,iVBOR', 'invalid_request'],
    ['ftp://example.com/a.png', 'invalid_request'],
  ])('rejects the image URL %s', (url, code) => {
    const messages = [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }];
    expect(() => translate({ messages })).toThrow(expect.objectContaining({ code, param: 'messages[0].content[0]' }));
  });

  it('refuses images on a model without vision', () => {
    const messages = [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }];
    expect(() => translate({ messages }, { capabilities: { vision: false } })).toThrow(expect.objectContaining({ code: 'unsupported_parameter' }));
  });

  it('does not pass an empty anthropic-beta header on', () => {
    expect(translate({}, {}, { 'anthropic-beta': '' }).headers).not.toHaveProperty('anthropic-beta');
  });

  it('passes listed free betas on, trimmed, and refuses any other value naming the header', () => {
    const beta = ' claude-code-20250219 , interleaved-thinking-2025-05-14';
    expect(translate({}, {}, { 'anthropic-beta': beta }).headers['anthropic-beta']).toBe('claude-code-20250219,interleaved-thinking-2025-05-14');
    for (const costly of ['output-128k-2025-02-19', 'web-search-2025-03-05', 'claude-code-20250219,mcp-client-2025-04-04']) {
      expect(() => translate({}, {}, { 'anthropic-beta': costly })).toThrow(expect.objectContaining({ code: 'unsupported_parameter', param: 'anthropic-beta' }));
    }
  });

  it('passes priced betas only where the model prices what they switch on', () => {
    const longContext = [{ aboveInputTokens: 200_000, inputPerMTok: '6', outputPerMTok: '22.5' }];
    const oneMillion = { 'anthropic-beta': 'context-1m-2025-08-07' };
    expect(() => translate({}, {}, oneMillion)).toThrow(expect.objectContaining({ code: 'unsupported_parameter', param: 'anthropic-beta' }));
    const priced = { pricing: { kind: 'tokens' as const, inputPerMTok: '3', outputPerMTok: '15', longContext } };
    expect(translate({}, priced, oneMillion).headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    const ttl = { 'anthropic-beta': 'extended-cache-ttl-2025-04-11' };
    expect(translate({}, {}, ttl).headers['anthropic-beta']).toBe('extended-cache-ttl-2025-04-11');
    expect(() => translate({}, { pricing: { kind: 'tokens', inputPerMTok: '3', outputPerMTok: '15' } }, ttl)).toThrow(
      expect.objectContaining({ param: 'anthropic-beta' }),
    );
  });

  it('refuses a 1-hour cache breakpoint on a model without a 1-hour write price, and passes it where priced', () => {
    const messages = [{ role: 'user', content: [{ type: 'text', text: 'Long context', cache_control: { type: 'ephemeral', ttl: '1h' } }] }];
    const tools = [{ ...tool, cache_control: { type: 'ephemeral', ttl: '1h' } }];
    const unpriced = { pricing: { kind: 'tokens' as const, inputPerMTok: '3', outputPerMTok: '15' } };
    expect(() => translate({ messages }, unpriced)).toThrow(expect.objectContaining({ code: 'unsupported_parameter', param: 'messages[0].content[0].cache_control' }));
    expect(() => translate({ tools }, unpriced)).toThrow(expect.objectContaining({ code: 'unsupported_parameter', param: 'tools[0].cache_control' }));
    expect(translate({ messages }).body.messages[0]?.content[0]).toMatchObject({ cache_control: { type: 'ephemeral', ttl: '1h' } });
  });
});
