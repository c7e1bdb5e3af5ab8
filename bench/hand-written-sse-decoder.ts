/**
 * The hand-written SSE decoder the gateway used before src/providers/sse-decoder.ts moved onto eventsource-parser,
 * kept here only so bench/sse-decode.ts can keep measuring the two side by side.
 */
import type { SseEvent } from '../src/providers/sse-decoder.js';

export class HandWrittenSseDecoder {
  private readonly text = new TextDecoder('utf-8');
  private buffer = '';
  private eventName: string | undefined;
  private dataLines: string[] = [];
  private pendingCR = false;

  /** Feeds bytes; returns the events completed by them. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const str = typeof chunk === 'string' ? chunk : this.text.decode(chunk, { stream: true });
    return this.consume(str);
  }

  /** Flushes at end of input: a final event not followed by a blank line is still delivered. */
  end(): SseEvent[] {
    const events = this.consume(this.text.decode());
    if (this.buffer.length > 0) {
      this.processLine(this.buffer, events);
      this.buffer = '';
    }
    this.dispatch(events);
    return events;
  }

  private consume(str: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < str.length; i++) {
      const ch = str.charCodeAt(i);
      if (ch === 10 /* \n */) {
        if (this.pendingCR && i === start && this.buffer.length === 0) {
          // The \n of a \r\n pair whose \r ended the previous chunk.
          this.pendingCR = false;
          start = i + 1;
          continue;
        }
        this.pendingCR = false;
        this.processLine(this.buffer + str.slice(start, i), events);
        this.buffer = '';
        start = i + 1;
      } else if (ch === 13 /* \r */) {
        this.processLine(this.buffer + str.slice(start, i), events);
        this.buffer = '';
        if (str.charCodeAt(i + 1) === 10) i++;
        else this.pendingCR = i === str.length - 1;
        start = i + 1;
      } else {
        this.pendingCR = false;
      }
    }
    this.buffer += str.slice(start);
    return events;
  }

  private processLine(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
    // `id` and `retry` carry nothing the gateway uses.
  }

  private dispatch(events: SseEvent[]): void {
    if (this.dataLines.length === 0) {
      this.eventName = undefined;
      return;
    }
    events.push({ event: this.eventName, data: this.dataLines.join('\n') });
    this.eventName = undefined;
    this.dataLines = [];
  }
}
