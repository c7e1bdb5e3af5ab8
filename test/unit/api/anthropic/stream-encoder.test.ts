import { describe, expect, it } from 'vitest';
import { createAnthropicStreamEncoder } from '../../../../src/api/anthropic/stream-encoder.js';
import { GatewayError } from '../../../../src/shared/errors.js';
import type { ChatStreamEncoder, SseFrame } from '../../../../src/gateway/chat-dialect.js';
import { ANTHROPIC_REASONING_FORMAT } from '../../../../src/providers/openai/reasoning-details.js';
import { chatRequestSchema, type OpenAIChatChunk, type OpenAIFinishReason, type OpenAIUsage } from '../../../../src/providers/openai/chat-types.js';
import { expectBlockDiscipline, rebuildMessage, toEvents } from './stream-events.js';

type Delta = OpenAIChatChunk['choices'][number]['delta'];

const request = chatRequestSchema.parse({ model: 'anthropic/claude-sonnet-4.5', messages: [{ role: 'user', content: 'Hi' }], stream: true });
const ctx = { id: 'gen-01JSTREAM', created: 1767225600, model: 'anthropic/claude-sonnet-4.5', request };
const usage: OpenAIUsage = {
  prompt_tokens: 2212,
  completion_tokens: 96,
  total_tokens: 2308,
  prompt_tokens_details: { cached_tokens: 1800, cache_write_tokens: 300 },
  cost: 0.002,
};

function chunk(delta: Delta, finish: OpenAIFinishReason | null = null, native?: string): OpenAIChatChunk {
  const choice = { index: 0, delta, finish_reason: finish, ...(native !== undefined ? { native_finish_reason: native } : {}) };
  return { id: ctx.id, object: 'chat.completion.chunk', created: ctx.created, model: ctx.model, choices: [choice] };
}

const signed = (text: string, signature: string, index = 0) => ({ type: 'reasoning.text' as const, text, signature, format: ANTHROPIC_REASONING_FORMAT, index });

function run(chunks: OpenAIChatChunk[], finish?: OpenAIFinishReason | null): { encoder: ChatStreamEncoder; frames: SseFrame[] } {
  const encoder = createAnthropicStreamEncoder(ctx);
  const frames = chunks.flatMap((c) => encoder.chunk(c));
  if (finish !== undefined) frames.push(...encoder.finish({ usage, finishReason: finish }));
  return { encoder, frames };
}

const messageStart = {
  type: 'message_start',
  message: {
    id: 'msg_01JSTREAM',
    type: 'message',
    role: 'assistant',
    model: 'anthropic/claude-sonnet-4.5',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 0, output_tokens: 0 },
  },
};
const finalUsage = { input_tokens: 112, cache_creation_input_tokens: 300, cache_read_input_tokens: 1800, output_tokens: 96, cost: 0.002 };

describe('anthropic stream encoder', () => {
  it('streams thinking → signature → text → two tool calls → finish as Anthropic does', () => {
    const { frames } = run(
      [
        chunk({ role: 'assistant', content: '' }),
        chunk({ reasoning_content: 'Let me ' }),
        chunk({ reasoning_content: 'think.' }),
        chunk({ reasoning_details: [signed('Let me think.', 'sig-1')] }),
        chunk({ content: 'Checking ' }),
        chunk({ content: 'both.' }),
        chunk({ tool_calls: [{ index: 0, id: 'call_A', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'call_B', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] }),
        chunk({}, 'tool_calls', 'tool_use'),
        { ...chunk({}), choices: [], usage },
      ],
      'tool_calls',
    );
    const events = toEvents(frames);
    expect(events).toEqual([
      messageStart,
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-1' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Checking ' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'both.' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'call_A', name: 'get_weather', input: {} } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"city":' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'content_block_start', index: 3, content_block: { type: 'tool_use', id: 'call_B', name: 'get_weather', input: {} } },
      { type: 'content_block_delta', index: 3, delta: { type: 'input_json_delta', partial_json: '{"city":"Rome"}' } },
      { type: 'content_block_stop', index: 3 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: finalUsage },
      { type: 'message_stop' },
    ]);
    expectBlockDiscipline(events);
  });

  it('sends a signature that arrives after its block closed as a late signature_delta on that block', () => {
    const { frames } = run(
      [
        chunk({ reasoning_content: 'Hmm.' }),
        chunk({ content: 'Answer.' }),
        chunk({ reasoning_details: [signed('Hmm.', 'sig-late'), { type: 'reasoning.encrypted', data: 'EmwKRedacted', format: ANTHROPIC_REASONING_FORMAT, index: 1 }] }, 'stop', 'end_turn'),
      ],
      'stop',
    );
    const events = toEvents(frames);
    expect(events.slice(1, -2)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Answer.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-late' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'redacted_thinking', data: 'EmwKRedacted' } },
      { type: 'content_block_stop', index: 2 },
    ]);
    expectBlockDiscipline(events, [0]);
    expect(rebuildMessage(events).content[0]).toEqual({ type: 'thinking', thinking: 'Hmm.', signature: 'sig-late' });
  });

  it('ignores repeated details, skips other providers’ formats, and opens a new block for thinking after a signature', () => {
    const { frames } = run(
      [
        chunk({ reasoning_content: 'One.' }),
        chunk({ reasoning_details: [signed('One.', 'sig-1')] }),
        chunk({ reasoning_content: 'Two.' }),
        chunk({
          reasoning_details: [
            signed('One.', 'sig-1'),
            signed('Two.', 'sig-2', 1),
            { type: 'reasoning.encrypted', data: 'opaque', format: 'openai-responses-v1', index: 2 },
            { type: 'reasoning.text', text: 'Unsigned.', signature: null, format: ANTHROPIC_REASONING_FORMAT, index: 3 },
          ],
        }),
      ],
      'stop',
    );
    const events = toEvents(frames);
    expectBlockDiscipline(events);
    expect(rebuildMessage(events).content).toEqual([
      { type: 'thinking', thinking: 'One.', signature: 'sig-1' },
      { type: 'thinking', thinking: 'Two.', signature: 'sig-2' },
    ]);
  });

  it('turns a signed detail that matches no streamed thinking into a complete thinking block', () => {
    const events = toEvents(run([chunk({ content: 'Hi.' }), chunk({ reasoning_details: [signed('Hidden.', 'sig-x')] })], 'stop').frames);
    expectBlockDiscipline(events);
    expect(rebuildMessage(events).content).toEqual([
      { type: 'text', text: 'Hi.' },
      { type: 'thinking', thinking: 'Hidden.', signature: 'sig-x' },
    ]);
  });

  it('still frames an empty stream as a whole message', () => {
    const events = toEvents(run([], 'stop').frames);
    expect(events).toEqual([
      messageStart,
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: finalUsage },
      { type: 'message_stop' },
    ]);
  });

  it.each<[OpenAIFinishReason, string | undefined, string]>([
    ['stop', 'stop_sequence', 'stop_sequence'],
    ['length', undefined, 'max_tokens'],
    ['content_filter', undefined, 'refusal'],
  ])('reports finish %s (native %s) as stop_reason %s', (finish, native, expected) => {
    const events = toEvents(run([chunk({ content: 'x' }, finish, native)], finish).frames);
    expect(events.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: expected } });
  });

  it('ends a failed stream with one Anthropic error event', () => {
    const { encoder, frames } = run([chunk({ content: 'Partial' })]);
    expect(toEvents(frames).map((e) => e.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    const errorFrames = encoder.error(new GatewayError('upstream_unavailable', { message: 'Overloaded' }));
    expect(errorFrames).toEqual([
      { event: 'error', data: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) },
    ]);
  });

  it('marks usage counted by the gateway as estimated', () => {
    const encoder = createAnthropicStreamEncoder(ctx);
    const events = toEvents(encoder.finish({ usage: { ...usage, estimated: true }, finishReason: 'stop' }));
    expect(events.at(-2)?.usage).toEqual({ ...finalUsage, estimated: true });
  });
});
