import { describe, expect, it } from 'vitest';
import { toResponse } from '../../../../src/api/responses/from-chat-completion.js';
import { createResponsesStreamEncoder } from '../../../../src/api/responses/stream-encoder.js';
import { GatewayError } from '../../../../src/shared/errors.js';
import type { SseFrame } from '../../../../src/gateway/chat-dialect.js';
import { chunk, completion, echo, fullAnswer, fullAnswerChunks, streamContext, usage } from './fixtures.js';

interface StreamEvent {
  type: string;
  sequence_number: number;
  output_index?: number;
  item_id?: string;
  item?: { id: string; type: string; [field: string]: unknown };
  response?: { status: string; output: unknown[]; [field: string]: unknown };
  [field: string]: unknown;
}

function toEvents(frames: readonly SseFrame[]): StreamEvent[] {
  return frames.map((frame) => {
    const event = JSON.parse(frame.data) as StreamEvent;
    expect(frame.event).toBe(event.type);
    return event;
  });
}

function encode(chunks = fullAnswerChunks, finishReason: 'tool_calls' | 'length' = 'tool_calls'): StreamEvent[] {
  const encoder = createResponsesStreamEncoder(streamContext, echo);
  const frames = chunks.flatMap((c) => encoder.chunk(c));
  frames.push(...encoder.finish({ usage, finishReason }));
  return toEvents(frames);
}

/** Output items rebuilt from the item events alone (added → deltas → done), keyed by output index. */
function rebuildOutput(events: readonly StreamEvent[]): unknown[] {
  const output: Array<Record<string, unknown>> = [];
  for (const event of events) {
    const item = output[event.output_index ?? -1];
    if (event.type === 'response.output_item.added') output[event.output_index as number] = structuredClone(event.item as Record<string, unknown>);
    if (event.type === 'response.output_item.done') {
      // The done item is what the deltas built; only its status moves on.
      expect({ ...event.item, status: 'any' }).toEqual({ ...item, status: 'any' });
      output[event.output_index as number] = event.item as Record<string, unknown>;
    }
    if (event.type === 'response.reasoning_summary_part.added') (item?.summary as unknown[]).push(event.part);
    if (event.type === 'response.reasoning_summary_text.delta') (item?.summary as Array<{ text: string }>)[0]!.text += event.delta as string;
    if (event.type === 'response.content_part.added') (item?.content as unknown[]).push(event.part);
    if (event.type === 'response.output_text.delta') (item?.content as Array<{ text: string }>)[event.content_index as number]!.text += event.delta as string;
    if (event.type === 'response.function_call_arguments.delta') (item as { arguments: string }).arguments += event.delta as string;
  }
  return output;
}

describe('chat chunks → responses stream events', () => {
  it('sends the lifecycle, item and delta events in order, numbered from 0', () => {
    const events = encode();
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.map((e) => `${e.type}${e.output_index === undefined ? '' : `@${e.output_index}`}`)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added@0',
      'response.reasoning_summary_part.added@0',
      'response.reasoning_summary_text.delta@0',
      'response.reasoning_summary_text.delta@0',
      'response.reasoning_summary_text.done@0',
      'response.reasoning_summary_part.done@0',
      'response.output_item.done@0',
      'response.output_item.added@1',
      'response.content_part.added@1',
      'response.output_text.delta@1',
      'response.output_text.delta@1',
      'response.output_text.done@1',
      'response.content_part.done@1',
      'response.output_item.done@1',
      'response.output_item.added@2',
      'response.function_call_arguments.delta@2',
      'response.output_item.added@3',
      'response.function_call_arguments.delta@3',
      'response.function_call_arguments.delta@2',
      'response.function_call_arguments.delta@3',
      'response.function_call_arguments.done@2',
      'response.output_item.done@2',
      'response.function_call_arguments.done@3',
      'response.output_item.done@3',
      'response.completed',
    ]);
    const created = events[0]?.response;
    expect(created).toMatchObject({ id: 'resp_01JABCDEF', status: 'in_progress', output: [], usage: null, model: 'openai/gpt-5' });
  });

  it('keeps item ids and output indexes consistent, and the events rebuild the non-stream response', () => {
    const events = encode();
    const idsByIndex = new Map<number, string>();
    for (const event of events) {
      if (event.output_index === undefined) continue;
      const id = event.item?.id ?? event.item_id;
      if (!idsByIndex.has(event.output_index)) idsByIndex.set(event.output_index, id as string);
      expect(id).toBe(idsByIndex.get(event.output_index));
    }
    const expected = toResponse(fullAnswer, echo);
    expect(rebuildOutput(events)).toEqual(expected.output);
    expect(events.at(-1)?.response).toEqual(expected);
    expect(events.find((e) => e.type === 'response.function_call_arguments.done' && e.output_index === 3)).toMatchObject({ name: 'shell', arguments: '{"cmd":"date"}' });
    expect(events.find((e) => e.type === 'response.output_text.done')).toMatchObject({ text: 'Running both.', content_index: 0, logprobs: [] });
  });

  it('ends a stream cut by the output budget with response.incomplete', () => {
    const events = encode([chunk({ content: 'Long ans' })], 'length');
    const last = events.at(-1);
    expect(last?.type).toBe('response.incomplete');
    expect(last?.response).toEqual(toResponse(completion({ content: 'Long ans' }, 'length'), echo));
  });

  it('streams a refusal as a refusal part', () => {
    const events = encode([chunk({ refusal: 'No.' })]);
    expect(events.filter((e) => e.type.startsWith('response.refusal') || e.type.startsWith('response.content_part')).map((e) => e.type)).toEqual([
      'response.content_part.added',
      'response.refusal.delta',
      'response.refusal.done',
      'response.content_part.done',
    ]);
    expect(events.at(-1)?.response?.output).toEqual(toResponse(completion({ refusal: 'No.' }), echo).output);
  });

  it('reports a failure after the stream began as response.failed, then an error event', () => {
    const encoder = createResponsesStreamEncoder(streamContext, echo);
    const frames = [...encoder.chunk(chunk({ content: 'Hal' })), ...encoder.error(new GatewayError('upstream_timeout'))];
    const events = toEvents(frames);
    const [failed, error] = events.slice(-2);
    expect(failed).toMatchObject({ type: 'response.failed', response: { status: 'failed', usage: null, error: { code: 'server_error', message: expect.any(String) } } });
    expect(error).toMatchObject({ type: 'error', code: 'server_error', param: null, error: { type: 'upstream_error', code: 'server_error' } });
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  });

  it('starts with response.created even when the stream fails before any chunk', () => {
    const encoder = createResponsesStreamEncoder(streamContext, echo);
    const events = toEvents(encoder.error(new GatewayError('rate_limit_exceeded')));
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'response.failed', 'error']);
    expect(events[2]?.response).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
  });
});
