/**
 * Writes server-sent events to a raw Node response with backpressure. Data is JSON-encoded by the caller's
 * choice of `sendJson`; event names are checked so a value can never break the framing.
 */
import type { ServerResponse } from 'node:http';

export interface SseWriterOptions {
  /**
   * How long a write may wait for a client that stopped reading (its socket buffer full) before the response
   * is destroyed, which aborts the call as if the client had left. Unset: wait as long as the socket lives.
   */
  stallTimeoutMs?: number | undefined;
}

export class SseWriter {
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseWriterOptions = {},
  ) {}

  get isClosed(): boolean {
    return this.closed || this.res.destroyed || this.res.writableEnded;
  }

  async sendJson(value: unknown, event?: string): Promise<void> {
    await this.sendRaw(JSON.stringify(value), event);
  }

  async sendRaw(data: string, event?: string): Promise<void> {
    if (this.isClosed) return;
    if (event !== undefined && /[\r\n]/.test(event)) throw new Error('SSE event names cannot contain line breaks');
    // JSON.stringify never emits raw line breaks, but `[DONE]`-style literals are passed by us alone.
    const frame = `${event === undefined ? '' : `event: ${event}\n`}data: ${data}\n\n`;
    if (!this.res.write(frame)) await this.drain();
  }

  end(): void {
    if (this.isClosed) return;
    this.closed = true;
    this.res.end();
  }

  private drain(): Promise<void> {
    return new Promise((resolve) => {
      const { stallTimeoutMs } = this.options;
      // A paused reader keeps the upstream connection pinned (undici's idle timer does not run while the body
      // is not read), so the wait is bounded; destroying the response emits 'close', which ends the wait.
      const timer =
        stallTimeoutMs === undefined
          ? undefined
          : setTimeout(() => this.res.destroy(), stallTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }
}
