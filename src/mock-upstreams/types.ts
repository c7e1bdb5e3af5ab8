/**
 * Mock upstreams: local HTTP servers that speak a provider's wire format, used by tests and by demo mode.
 * server.ts mounts one MockProvider per provider under `/<provider-id>` (so a channel's base URL is
 * `<origin>/<provider-id>`), records every call and applies scripted faults. Providers write their bodies
 * through MockContext so the same faults (slow first byte, stall, broken stream) work for every wire format.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface MockCall {
  provider: string;
  method: string;
  /** Path relative to the provider prefix, with query string. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when not JSON. */
  body: unknown;
}

export interface MockRequest {
  method: string;
  /** Path relative to the provider prefix (e.g. `/chat/completions`), without query string. */
  pathname: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  raw: IncomingMessage;
}

/** A scripted misbehaviour for the next matching call (queued with MockUpstreams.enqueueFault). */
export type MockFault =
  /** Answer with this status, headers and body instead of the normal response. */
  | { kind: 'error'; status: number; headers?: Record<string, string>; body: string; contentType?: string }
  /** Wait before the first byte (released by time or by releaseStalls()). */
  | { kind: 'slow-first-byte'; ms: number }
  /** Send the first `afterFrames` SSE frames (or, for JSON bodies, the headers only), then go silent until the client gives up. */
  | { kind: 'stall'; afterFrames: number }
  /** Send the headers and the first half of the body (SSE: of the frames), then go silent until the client gives up. */
  | { kind: 'stall-mid-body' }
  /** Send the first `afterFrames` SSE frames (JSON bodies: half the body), then destroy the socket. */
  | { kind: 'break'; afterFrames: number }
  /** Send the first `afterFrames` SSE frames (JSON bodies: half the body), then end the response cleanly. */
  | { kind: 'truncate'; afterFrames: number };

export interface MockContext {
  provider: string;
  fault: MockFault | undefined;
  /** Sends a JSON response (status 200 unless given). Faults of kind error/slow-first-byte apply. */
  sendJson(res: ServerResponse, body: unknown, status?: number, headers?: Record<string, string>): Promise<void>;
  /** Sends `text/event-stream` frames; each frame is the full text of one event incl. its trailing blank line. */
  sendSse(res: ServerResponse, frames: string[]): Promise<void>;
  /** Sends a raw text body (e.g. DeepSeek's JSON preceded by blank lines). Faults apply as for sendJson. */
  sendText(res: ServerResponse, status: number, text: string, headers?: Record<string, string>): Promise<void>;
  /** Sends a provider-shaped error with the given status. */
  sendError(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): Promise<void>;
}

/** Handles one request for its provider, returning false when the path is not its own (→ 404). */
export type MockProvider = (req: MockRequest, res: ServerResponse, ctx: MockContext) => boolean | Promise<boolean>;
