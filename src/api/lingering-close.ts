/**
 * A "lingering close" for answers sent before their request body was fully received: a 413 for a body over the
 * limit, a 401 for a caller whose key failed before its body was read.
 *
 * Node ends such a connection as soon as the answer is written (`Connection: close` → socket.destroySoon()).
 * Closing a socket that still has unread bytes makes the kernel answer them with a reset, and a reset can
 * overtake the answer: a client still uploading sees EPIPE or ECONNRESET instead of the 413. So the answer goes
 * out with `Connection: close`, our side is half-closed (the client can read that the answer is complete), and
 * the rest of the body is read and discarded until the client stops, or up to a bounded size and time, before
 * the socket is closed.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface LingerLimits {
  /** Most body bytes discarded after the answer before the connection is cut. */
  maxBytes: number;
  /** Longest wait for the client to finish its upload after the answer. */
  maxMs: number;
}

/**
 * Enough for a client that uploads a body several times the default 10 MiB limit before it reads the answer,
 * in about the time a slow link takes; discarding costs no memory.
 */
export const DEFAULT_LINGER_LIMITS: LingerLimits = { maxBytes: 128 * 1024 * 1024, maxMs: 10_000 };

export function installLingeringClose(app: FastifyInstance, limits: LingerLimits = DEFAULT_LINGER_LIMITS): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.raw.complete) {
      reply.header('connection', 'close');
      lingerBeforeClosing(request.raw, limits);
    }
    return payload;
  });
}

function lingerBeforeClosing(request: IncomingMessage, limits: LingerLimits): void {
  const socket = request.socket as Socket & { destroySoon: () => void };
  // Destroying with the answer still queued would lose it: close only once everything written has gone out.
  const closeWhenFlushed = () => {
    if (socket.writableFinished) socket.destroy();
    else socket.once('finish', () => socket.destroy());
  };
  let discarded = 0;
  const countDiscarded = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded <= limits.maxBytes) return;
    request.off('data', countDiscarded);
    request.pause();
    closeWhenFlushed();
  };
  // Reading now also keeps the upload flowing: the bytes are discarded as they arrive.
  request.on('data', countDiscarded);
  request.resume();

  const destroySoon = socket.destroySoon;
  socket.destroySoon = function lingeringClose(this: Socket & { destroySoon: () => void }) {
    if (request.complete) {
      destroySoon.call(this);
      return;
    }
    this.end();
    const timer = setTimeout(closeWhenFlushed, limits.maxMs);
    timer.unref();
    request.once('end', closeWhenFlushed);
    this.once('close', () => {
      clearTimeout(timer);
      request.off('end', closeWhenFlushed);
      request.off('data', countDiscarded);
    });
  };
}
