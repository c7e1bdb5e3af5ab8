/**
 * A real node:http server hosting mock providers under `/<provider-id>`: records every call, applies queued
 * faults and tells tests when a client hung up mid-response (the gateway must cancel upstream calls when its
 * own client aborts, and tests wait for that on the socket's 'close' instead of sleeping).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createMockContext, type MockContextHooks } from './mock-context.js';
import type { MockCall, MockFault, MockProvider, MockRequest } from './types.js';

/** Structured logger (pino-compatible subset). */
export interface MockUpstreamsLogger {
  warn(details: object, message: string): void;
}

export interface StartMockUpstreamsOptions {
  providers: Record<string, MockProvider>;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0 (any free port). */
  port?: number;
  logger?: MockUpstreamsLogger;
}

export interface MockUpstreams {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `${origin}/${provider}`: the base URL a channel for that provider points at. */
  baseUrlFor(provider: string): string;
  /** Every request received, in arrival order. */
  readonly calls: MockCall[];
  callsFor(provider: string): MockCall[];
  /** Queues a fault for the next call to `provider` (FIFO, one fault per call). */
  enqueueFault(provider: string, fault: MockFault): void;
  /** Responses whose client disconnected before the response ended. */
  readonly aborted: number;
  /** Resolves on the next client abort not yet claimed by an earlier waitForAbort() (already-seen aborts count). */
  waitForAbort(): Promise<void>;
  /** Ends stalled responses and lets slow-first-byte responses go now. */
  releaseStalls(): void;
  /** Clears calls, queued faults and abort counters, and releases stalls. */
  reset(): void;
  /** Destroys open sockets and stops listening. */
  close(): Promise<void>;
}

export async function startMockUpstreams(options: StartMockUpstreamsOptions): Promise<MockUpstreams> {
  const state = createMockServerState();
  const server = createServer((req, res) => {
    handleMockRequest(req, res, options, state).catch((error: unknown) => failMockRequest(res, error, options.logger, state));
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  return {
    origin,
    baseUrlFor: (provider) => `${origin}/${provider}`,
    calls: state.calls,
    callsFor: (provider) => state.calls.filter((call) => call.provider === provider),
    enqueueFault: (provider, fault) => enqueueMockFault(state, provider, fault),
    get aborted() {
      return state.aborted;
    },
    waitForAbort: () => waitForMockAbort(state),
    releaseStalls: () => releaseMockHolds(state),
    reset: () => resetMockServerState(state),
    close: async () => {
      state.closing = true;
      releaseMockHolds(state);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

interface AbortWaiter {
  target: number;
  resolve: () => void;
}

interface MockServerState {
  calls: MockCall[];
  faults: Map<string, MockFault[]>;
  holds: Set<() => void>;
  broken: WeakSet<ServerResponse>;
  aborted: number;
  claimedAborts: number;
  abortWaiters: AbortWaiter[];
  closing: boolean;
}

function createMockServerState(): MockServerState {
  return {
    calls: [],
    faults: new Map(),
    holds: new Set(),
    broken: new WeakSet(),
    aborted: 0,
    claimedAborts: 0,
    abortWaiters: [],
    closing: false,
  };
}

async function handleMockRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: StartMockUpstreamsOptions,
  state: MockServerState,
): Promise<void> {
  res.once('close', () => {
    if (!res.writableEnded && !state.broken.has(res) && !state.closing) recordMockAbort(state);
  });
  const url = new URL(req.url ?? '/', 'http://mock.invalid');
  const [, providerId = '', ...rest] = url.pathname.split('/');
  const pathname = `/${rest.join('/')}`;
  const headers = flattenMockHeaders(req);
  const body = parseMockBody(await readMockBody(req));
  state.calls.push({ provider: providerId, method: req.method ?? 'GET', path: `${pathname}${url.search}`, headers, body });
  const provider = Object.hasOwn(options.providers, providerId) ? options.providers[providerId] : undefined;
  if (!provider) {
    sendMockNotFound(res, `No mock provider "${providerId}" (path ${url.pathname}).`);
    return;
  }
  const fault = state.faults.get(providerId)?.shift();
  if (fault?.kind === 'error') {
    res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json', ...fault.headers });
    res.end(fault.body);
    return;
  }
  const mockRequest: MockRequest = { method: req.method ?? 'GET', pathname, query: url.searchParams, headers, body, raw: req };
  const ctx = createMockContext(providerId, fault, createMockHooks(state));
  const handled = await provider(mockRequest, res, ctx);
  if (!handled && !res.headersSent) sendMockNotFound(res, `Mock provider "${providerId}" has no route ${req.method} ${pathname}.`);
}

function createMockHooks(state: MockServerState): MockContextHooks {
  return {
    markBroken: (res) => state.broken.add(res),
    hold: (res, ms) =>
      new Promise<void>((resolve) => {
        if (state.closing || res.destroyed) return resolve();
        const release = () => {
          state.holds.delete(release);
          res.off('close', release);
          if (timer) clearTimeout(timer);
          resolve();
        };
        const timer = ms === undefined ? undefined : setTimeout(release, ms);
        state.holds.add(release);
        res.once('close', release);
      }),
  };
}

function enqueueMockFault(state: MockServerState, provider: string, fault: MockFault): void {
  const queue = state.faults.get(provider) ?? [];
  queue.push(fault);
  state.faults.set(provider, queue);
}

function releaseMockHolds(state: MockServerState): void {
  for (const release of [...state.holds]) release();
}

function recordMockAbort(state: MockServerState): void {
  state.aborted++;
  const ready = state.abortWaiters.filter((waiter) => waiter.target <= state.aborted);
  state.abortWaiters = state.abortWaiters.filter((waiter) => waiter.target > state.aborted);
  for (const waiter of ready) waiter.resolve();
}

function waitForMockAbort(state: MockServerState): Promise<void> {
  state.claimedAborts++;
  const target = state.claimedAborts;
  if (state.aborted >= target) return Promise.resolve();
  return new Promise((resolve) => state.abortWaiters.push({ target, resolve }));
}

function resetMockServerState(state: MockServerState): void {
  releaseMockHolds(state);
  state.calls.length = 0;
  state.faults.clear();
  state.aborted = 0;
  // Waiters still pending keep their order but count from the fresh start.
  state.abortWaiters.forEach((waiter, i) => (waiter.target = i + 1));
  state.claimedAborts = state.abortWaiters.length;
}

function flattenMockHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readMockBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseMockBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (error instanceof SyntaxError) return text; // Not JSON: MockCall.body keeps the raw text.
    throw error;
  }
}

function sendMockNotFound(res: ServerResponse, message: string): void {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'not_found', code: 'mock_route_not_found' } }));
}

function failMockRequest(res: ServerResponse, error: unknown, logger: MockUpstreamsLogger | undefined, state: MockServerState): void {
  const message = error instanceof Error ? error.message : String(error);
  logger?.warn({ err: error }, 'mock upstream handler failed');
  if (res.destroyed) return; // The client left while the request body was still arriving.
  if (res.headersSent) {
    state.broken.add(res);
    res.destroy(error instanceof Error ? error : new Error(message));
    return;
  }
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message: `Mock provider failed: ${message}`, type: 'mock_error' } }));
}
