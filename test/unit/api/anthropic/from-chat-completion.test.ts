import { describe, expect, it } from 'vitest';
import { toAnthropicMessage, toAnthropicStopReason, toAnthropicUsage, toToolInput } from '../../../../src/api/anthropic/from-chat-completion.js';
import type { OpenAIChatCompletion, OpenAIFinishReason, OpenAIResponseMessage } from '../../../../src/providers/openai/chat-types.js';
import { fromAnthropicResponse } from '../../../../src/providers/anthropic/response.js';
import { createResponseContext, createTestTarget, readFixture } from '../../../support/anthropic-fixtures.js';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';

function completion(message: Partial<OpenAIResponseMessage> & Record<string, unknown>, finish: OpenAIFinishReason | null = 'stop', native?: string): OpenAIChatCompletion {
  return {
    id: 'gen-01JABCDEF',
    object: 'chat.completion',
    created: 1767225600,
    model: 'anthropic/claude-sonnet-4.5',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: null, ...message },
        finish_reason: finish,
        ...(native !== undefined ? { native_finish_reason: native } : {}),
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_tokens_details: { cached_tokens: 0 } },
  };
}

describe('chat completion → anthropic message', () => {
  it('answers text with the msg_ form of the generation id', () => {
    expect(toAnthropicMessage(completion({ content: 'Hello!' }))).toEqual({
      id: 'msg_01JABCDEF',
      type: 'message',
      role: 'assistant',
      model: 'anthropic/claude-sonnet-4.5',
      content: [{ type: 'text', text: 'Hello!' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 20 },
    });
  });

  it('orders thinking, text, then tool_use, and parses arguments into input', () => {
    const message = toAnthropicMessage(
      completion(
        {
          content: 'Checking.',
          reasoning_content: 'User wants weather.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'now', arguments: '' } },
          ],
        },
        'tool_calls',
      ),
    );
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'User wants weather.', signature: '' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'now', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
  });

  it('returns signed and redacted thinking from reasoning_details, as the Anthropic adapter produced them', () => {
    const request = chatRequestSchema.parse({ model: 'anthropic/claude-sonnet-4.5', messages: [{ role: 'user', content: 'Hi' }] });
    for (const name of ['resp-tool-use-thinking', 'resp-redacted-thinking']) {
      const upstream = JSON.parse(readFixture(`${name}.upstream-response.json`)) as { content: Array<{ type: string }> };
      const { completion: translated } = fromAnthropicResponse(upstream, createTestTarget(), createResponseContext(request));
      const thinking = upstream.content.filter((block) => block.type === 'thinking' || block.type === 'redacted_thinking');
      expect(thinking.length).toBeGreaterThan(0);
      expect(toAnthropicMessage(translated).content.slice(0, thinking.length)).toEqual(thinking);
    }
  });

  it('returns no content blocks for an empty answer', () => {
    expect(toAnthropicMessage(completion({ content: '' })).content).toEqual([]);
  });

  it('wraps tool arguments that are not a JSON object instead of inventing an empty call', () => {
    expect(toToolInput('{"a":1}')).toEqual({ a: 1 });
    expect(toToolInput('  ')).toEqual({});
    expect(toToolInput('{"a":1')).toEqual({ _raw: '{"a":1' });
    expect(toToolInput('[1,2]')).toEqual({ _raw: '[1,2]' });
  });
});

describe('stop reasons', () => {
  it.each<[OpenAIFinishReason | null, string | undefined, string | null]>([
    ['stop', undefined, 'end_turn'],
    ['stop', 'stop_sequence', 'stop_sequence'],
    ['stop', 'end_turn', 'end_turn'],
    ['stop', 'pause_turn', 'pause_turn'],
    ['length', undefined, 'max_tokens'],
    ['length', 'model_context_window_exceeded', 'model_context_window_exceeded'],
    ['tool_calls', undefined, 'tool_use'],
    ['content_filter', undefined, 'refusal'],
    ['content_filter', 'refusal', 'refusal'],
    [null, undefined, null],
    // An OpenAI-family reason that is not Anthropic's is ignored.
    ['length', 'MAX_TOKENS', 'max_tokens'],
    // JSON mode answered through the adapter's synthetic tool: no tool_use block, so not tool_use.
    ['stop', 'tool_use', 'end_turn'],
    // Unknown future reasons map to stop upstream; they are not Anthropic values the client knows.
    ['stop', 'compaction', 'end_turn'],
  ])('%s (native %s) → %s', (finish, native, expected) => {
    expect(toAnthropicStopReason(finish, native)).toBe(expected);
  });
});

describe('usage', () => {
  it('takes cache reads and writes out of input_tokens and keeps cost and estimated', () => {
    expect(
      toAnthropicUsage({
        prompt_tokens: 2212,
        completion_tokens: 96,
        total_tokens: 2308,
        prompt_tokens_details: { cached_tokens: 1800, cache_write_tokens: 300 },
        cost: 0.00214,
        estimated: true,
      }),
    ).toEqual({ input_tokens: 112, cache_creation_input_tokens: 300, cache_read_input_tokens: 1800, output_tokens: 96, cost: 0.00214, estimated: true });
  });

  it('never goes below zero and reads absent usage as zero', () => {
    expect(toAnthropicUsage({ prompt_tokens: 10, completion_tokens: 1, total_tokens: 11, prompt_tokens_details: { cached_tokens: 50 } }).input_tokens).toBe(0);
    expect(toAnthropicUsage(undefined)).toEqual({ input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 });
  });
});
