/**
 * The hub format's extensions: the edge passes what a client sends as given (each adapter checks the ones it
 * uses), keeps the client's key order, and the types say where each field lives.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  chatRequestSchema,
  type ChatMessage,
  type ChatRequest,
  type OpenAIChatChunk,
  type OpenAIResponseMessage,
  type OpenAIUsage,
} from '../../../../src/providers/openai/chat-types.js';
import type { ReasoningDetail } from '../../../../src/providers/openai/reasoning-details.js';

const base = { model: 'anthropic/claude-sonnet-4.5', messages: [{ role: 'user', content: 'Hi' }] };

describe('hub format extensions', () => {
  it('passes request-level extensions through as sent, whatever their shape, in the order sent', () => {
    const raw = { ...base, prompt_cache_key: 'conv-1', thinking: { type: 'enabled', budget_tokens: 2048 }, top_k: 'forty', reasoning: { effort: 'low' }, enable_thinking: true };
    const parsed = chatRequestSchema.parse(raw);
    expect(parsed).toEqual(raw);
    expect(Object.keys(parsed).slice(2)).toEqual(['prompt_cache_key', 'thinking', 'top_k', 'reasoning', 'enable_thinking']);
  });

  it('adds no extension keys the client did not send', () => {
    const parsed = chatRequestSchema.parse({
      ...base,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }, { role: 'assistant', content: null, tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{}' } }] }],
      tools: [{ type: 'function', function: { name: 'f' } }],
    });
    expect(JSON.stringify(parsed)).not.toMatch(/cache_control|reasoning_details|extra_content|top_k|thinking/);
    expect('cache_control' in (parsed.tools?.[0] ?? {})).toBe(false);
  });

  it('keeps message, part, tool-call and tool extensions as sent', () => {
    const assistant = {
      role: 'assistant',
      content: [{ type: 'text', text: 'Calling.', cache_control: { type: 'ephemeral' } }],
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' }, extra_content: { google: { thought_signature: 'sig' } } }],
      reasoning_details: [{ type: 'reasoning.text', text: 'Hmm.', signature: 'sig', format: 'anthropic-claude-v1', index: 0 }],
    };
    const tool = { type: 'function', function: { name: 'f' }, cache_control: { type: 'ephemeral', ttl: '1h' } };
    const parsed = chatRequestSchema.parse({ ...base, messages: [base.messages[0], assistant], tools: [tool] });
    expect(parsed.messages[1]).toEqual(assistant);
    expect(parsed.tools?.[0]).toEqual(tool);
  });

  it('declares each extension where it lives', () => {
    expectTypeOf<ChatRequest['top_k']>().toEqualTypeOf<unknown>();
    expectTypeOf<ChatRequest['thinking']>().toEqualTypeOf<unknown>();
    expectTypeOf<Extract<ChatMessage, { role: 'assistant' }>['reasoning_details']>().toEqualTypeOf<unknown>();
    expectTypeOf<OpenAIResponseMessage['reasoning_details']>().toEqualTypeOf<ReasoningDetail[] | undefined>();
    expectTypeOf<OpenAIChatChunk['choices'][number]['delta']['reasoning_details']>().toEqualTypeOf<ReasoningDetail[] | undefined>();
    expectTypeOf<OpenAIUsage['estimated']>().toEqualTypeOf<true | undefined>();
    // The usage object is closed: a misspelt field is a type error, not an untyped extra.
    expectTypeOf<OpenAIUsage>().not.toHaveProperty('estimate');
  });
});
