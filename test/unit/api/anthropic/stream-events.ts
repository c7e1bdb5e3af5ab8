/**
 * Test helpers for Anthropic event streams: frames → events (checking the SSE name equals `type`), a message
 * rebuilt from events the way the Anthropic SDKs accumulate them (by block index), and the block-discipline check
 * (one block open at a time, indexes from 0 in opening order).
 */
import { expect } from 'vitest';
import type { SseFrame } from '../../../../src/gateway/chat-dialect.js';

export interface StreamEvent {
  type: string;
  index?: number;
  [field: string]: unknown;
}

export function toEvents(frames: readonly SseFrame[]): StreamEvent[] {
  return frames.map((frame) => {
    const event = JSON.parse(frame.data) as StreamEvent;
    expect(frame.event).toBe(event.type);
    return event;
  });
}

export interface RebuiltBlock {
  type: string;
  [field: string]: unknown;
}

/** Tool input is kept as the raw concatenated JSON text, so it can be compared byte for byte. */
export function rebuildMessage(events: readonly StreamEvent[]): { content: RebuiltBlock[]; stopReason: unknown; usage: unknown } {
  const content: RebuiltBlock[] = [];
  let stopReason: unknown;
  let usage: unknown;
  for (const event of events) {
    if (event.type === 'content_block_start') content[event.index as number] = { ...(event.content_block as RebuiltBlock) };
    if (event.type === 'content_block_delta') {
      const block = content[event.index as number] as RebuiltBlock;
      const delta = event.delta as Record<string, string>;
      if (delta.type === 'text_delta') block.text = `${block.text as string}${delta.text}`;
      if (delta.type === 'thinking_delta') block.thinking = `${block.thinking as string}${delta.thinking}`;
      if (delta.type === 'signature_delta') block.signature = delta.signature;
      if (delta.type === 'input_json_delta') block.input_json = `${(block.input_json as string | undefined) ?? ''}${delta.partial_json}`;
    }
    if (event.type === 'message_delta') {
      stopReason = (event.delta as { stop_reason: unknown }).stop_reason;
      usage = event.usage;
    }
  }
  return { content, stopReason, usage };
}

/**
 * Checks Anthropic's block discipline. `lateSignatures` lists block indexes allowed a signature_delta after their
 * stop (the documented fallback when signatures arrive at the end of the stream).
 */
export function expectBlockDiscipline(events: readonly StreamEvent[], lateSignatures: readonly number[] = []): void {
  expect(events[0]?.type).toBe('message_start');
  let open: number | undefined;
  let next = 0;
  for (const event of events.slice(1)) {
    switch (event.type) {
      case 'content_block_start':
        expect(open).toBeUndefined();
        expect(event.index).toBe(next++);
        open = event.index;
        break;
      case 'content_block_delta':
        if (event.index !== open) {
          expect((event.delta as { type: string }).type).toBe('signature_delta');
          expect(lateSignatures).toContain(event.index);
        }
        break;
      case 'content_block_stop':
        expect(event.index).toBe(open);
        open = undefined;
        break;
      case 'message_delta':
      case 'message_stop':
        expect(open).toBeUndefined();
        break;
      default:
        throw new Error(`unexpected event ${event.type}`);
    }
  }
  expect(events.at(-1)?.type).toBe('message_stop');
}
