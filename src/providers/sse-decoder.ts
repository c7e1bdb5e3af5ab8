/**
 * Server-sent events decoder shared by every upstream: bytes in (split anywhere, `\n`, `\r\n` or `\r` line
 * ends), complete events out. Parsing is eventsource-parser's (bench/sse-decode.ts measured it about twice as fast
 * as the hand-written decoder it replaced); this class keeps the gateway's pull-style interface over it. Comments
 * (`: keep-alive`) are dropped, so they never reach translators or reset timers meant for real data.
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface SseEvent {
  /** The `event:` name, or undefined for unnamed events. */
  event: string | undefined;
  /** `data:` lines joined with `\n`. */
  data: string;
}

export class SseDecoder {
  private readonly text = new TextDecoder('utf-8');
  private completed: SseEvent[] = [];
  // `id` and `retry` carry nothing the gateway uses; unknown fields are ignored, as the spec asks.
  private readonly parser: EventSourceParser = createParser({
    onEvent: (message) => this.completed.push({ event: message.event, data: message.data }),
  });

  /** Feeds bytes; returns the events completed by them. */
  push(chunk: Uint8Array | string): SseEvent[] {
    this.parser.feed(typeof chunk === 'string' ? chunk : this.text.decode(chunk, { stream: true }));
    return this.take();
  }

  /** Flushes at end of input: a final event not followed by a blank line is still delivered. */
  end(): SseEvent[] {
    const rest = this.text.decode();
    if (rest !== '') this.parser.feed(rest);
    // Ends the last line and then the event: a blank line dispatches whatever data is pending, and nothing else.
    this.parser.feed('\n\n');
    return this.take();
  }

  private take(): SseEvent[] {
    const events = this.completed;
    this.completed = [];
    return events;
  }
}

/** Decodes a whole SSE body at once (fixtures, tests). */
export function decodeSse(body: string | Uint8Array): SseEvent[] {
  const decoder = new SseDecoder();
  return [...decoder.push(body), ...decoder.end()];
}
