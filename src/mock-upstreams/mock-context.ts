/**
 * The MockContext handed to providers for one call: it writes their bodies and applies the call's scripted
 * fault, so every wire format misbehaves the same way.
 *
 * Streams (sendSse): `slow-first-byte` holds the headers, then sends everything; `stall` sends `afterFrames`
 * frames then stays silent until the client leaves or the server releases stalls (the response then ends);
 * `break` sends `afterFrames` frames then destroys the socket; `truncate` sends `afterFrames` frames then
 * ends cleanly. Plain bodies (sendJson, sendError, sendText) have no frames, so there `stall` sends the
 * headers and withholds the body, `break` sends the headers and the first half of the body then destroys the
 * socket, and `truncate` sends the first half of the body and ends cleanly. `stall-mid-body` sends the first
 * half (of the body, or of the frames) and then stays silent like `stall`.
 */
import type { ServerResponse } from 'node:http';
import type { MockContext, MockFault } from './types.js';

export interface MockContextHooks {
  /** Resolves after `ms` (never by time when undefined), on releaseStalls(), or when the client goes away. */
  hold(res: ServerResponse, ms?: number): Promise<void>;
  /** Records that the mock destroyed this socket on purpose, so it is not counted as a client abort. */
  markBroken(res: ServerResponse): void;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};

export function createMockContext(provider: string, fault: MockFault | undefined, hooks: MockContextHooks): MockContext {
  const sendText = async (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) => {
    if (!(await waitForFirstByte(res, fault, hooks))) return;
    await writeMockBody(res, status, { ...JSON_HEADERS, ...headers }, text, fault, hooks);
  };
  return {
    provider,
    fault,
    sendText,
    sendJson: (res, body, status = 200, headers = {}) => sendText(res, status, JSON.stringify(body), headers),
    sendError: (res, status, body, headers = {}) => sendText(res, status, JSON.stringify(body), headers),
    sendSse: async (res, frames) => {
      if (!(await waitForFirstByte(res, fault, hooks))) return;
      await writeMockStream(res, frames, fault, hooks);
    },
  };
}

/** Returns false when the client left while the first byte was held back. */
async function waitForFirstByte(res: ServerResponse, fault: MockFault | undefined, hooks: MockContextHooks): Promise<boolean> {
  if (fault?.kind === 'slow-first-byte') await hooks.hold(res, fault.ms);
  return isWritable(res);
}

async function writeMockBody(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  text: string,
  fault: MockFault | undefined,
  hooks: MockContextHooks,
): Promise<void> {
  switch (fault?.kind) {
    case 'stall':
      res.writeHead(status, headers);
      res.flushHeaders();
      await hooks.hold(res);
      if (isWritable(res)) res.end();
      return;
    case 'stall-mid-body':
      res.writeHead(status, headers);
      await writeChunk(res, halfOf(text));
      await hooks.hold(res);
      if (isWritable(res)) res.end();
      return;
    case 'break':
      res.writeHead(status, headers);
      await writeChunk(res, halfOf(text));
      destroyOnPurpose(res, hooks);
      return;
    case 'truncate':
      res.writeHead(status, headers);
      res.end(halfOf(text));
      return;
    default:
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
  }
}

async function writeMockStream(res: ServerResponse, frames: string[], fault: MockFault | undefined, hooks: MockContextHooks): Promise<void> {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  // Frames must leave as separate writes so clients see them arrive one by one.
  res.socket?.setNoDelay(true);
  const limit = mockFrameLimit(fault, frames.length);
  for (const frame of frames.slice(0, limit)) {
    if (!isWritable(res)) return;
    await writeChunk(res, frame);
  }
  if (!isWritable(res)) return;
  if (fault?.kind === 'stall' || fault?.kind === 'stall-mid-body') await hooks.hold(res);
  if (fault?.kind === 'break') {
    destroyOnPurpose(res, hooks);
    return;
  }
  if (isWritable(res)) res.end();
}

/** How many frames a stream sends before its fault (if any) takes over. */
function mockFrameLimit(fault: MockFault | undefined, frames: number): number {
  if (fault?.kind === 'stall' || fault?.kind === 'break' || fault?.kind === 'truncate') return fault.afterFrames;
  if (fault?.kind === 'stall-mid-body') return Math.floor(frames / 2);
  return frames;
}

function halfOf(text: string): string {
  return text.slice(0, Math.floor(text.length / 2));
}

function isWritable(res: ServerResponse): boolean {
  return !res.destroyed && !res.writableEnded;
}

/** Resolves once the chunk reached the socket, or once the response is gone. */
function writeChunk(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    const onClose = () => resolve();
    res.once('close', onClose);
    // A write error here means the client went away; the 'close' listener in server.ts counts that.
    res.write(chunk, () => {
      res.off('close', onClose);
      resolve();
    });
  });
}

function destroyOnPurpose(res: ServerResponse, hooks: MockContextHooks): void {
  hooks.markBroken(res);
  res.socket?.destroy();
  res.destroy();
}
