/**
 * A bare OpenAI-compatible streaming upstream on 127.0.0.1 that the tests can watch at the socket level:
 * it streams content chunks until the gateway closes the connection (or, with `[[chunks:N]]` in the prompt, N
 * chunks then usage and `[DONE]`), and records when each connection closed. Used as a DeepSeek channel.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StreamingUpstreamOptions {
  /** Characters of content per chunk. */
  chunkChars: number;
  /** Pause between chunks (0: as fast as the socket drains). */
  intervalMs: number;
}

export interface UpstreamCall {
  /** Resolves when the connection carrying this call closed. */
  closed: Promise<void>;
  isClosed(): boolean;
  chunksSent(): number;
}

export interface StreamingUpstream {
  baseUrl: string;
  calls: UpstreamCall[];
  /** Resolves with the next call (already-received calls count, in order). */
  nextCall(): Promise<UpstreamCall>;
  close(): Promise<void>;
}

export async function startStreamingUpstream(options: StreamingUpstreamOptions): Promise<StreamingUpstream> {
  const calls: UpstreamCall[] = [];
  let claimed = 0;
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    void handle(req, res, options).then(undefined, () => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse, { chunkChars, intervalMs }: StreamingUpstreamOptions): Promise<void> {
    let body = '';
    for await (const part of req) body += String(part);
    const finite = /\[\[chunks:(\d+)\]\]/.exec(body);
    const total = finite ? Number(finite[1]) : Number.POSITIVE_INFINITY;
    let sent = 0;
    let closed = false;
    const closedPromise = new Promise<void>((resolve) =>
      res.once('close', () => {
        closed = true;
        resolve();
      }),
    );
    calls.push({ closed: closedPromise, isClosed: () => closed, chunksSent: () => sent });
    for (const wake of waiters.splice(0)) wake();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const frame = (delta: Record<string, unknown>, finish: string | null, usage?: Record<string, number>) =>
      `data: ${JSON.stringify({ id: 'up-1', object: 'chat.completion.chunk', created: 0, model: 'deepseek-chat', choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
    res.write(frame({ role: 'assistant', content: '' }, null));
    const words = 'word '.repeat(Math.ceil(chunkChars / 5)).slice(0, chunkChars);
    while (!closed && sent < total) {
      const flushed = res.write(frame({ content: words }, null));
      sent++;
      if (!flushed) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.once('drain', done);
          res.once('close', done);
        });
      }
      if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    if (closed) return;
    res.write(frame({}, 'stop', { prompt_tokens: 10, completion_tokens: sent * Math.ceil(chunkChars / 5), total_tokens: 10 + sent * Math.ceil(chunkChars / 5) }));
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    nextCall() {
      const index = claimed++;
      if (calls[index]) return Promise.resolve(calls[index]);
      return new Promise((resolve) => {
        const check = () => (calls[index] ? resolve(calls[index]) : waiters.push(check));
        waiters.push(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
