/**
 * Mock upstreams: local HTTP servers that speak a provider's wire format, used by tests and by demo mode.
 * Each provider family contributes a MockProvider; server.ts mounts them, records every call and applies
 * scripted faults (errors, 429 with retry-after, slow first byte, stalls, broken streams).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface MockCall {
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when not JSON. */
  body: unknown;
}

export interface MockRequest {
  method: string;
  /** Path with query string. */
  url: string;
  pathname: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  raw: IncomingMessage;
}

/** Handles one request for its provider, returning false when the path is not its own. */
export type MockProvider = (req: MockRequest, res: ServerResponse) => boolean | Promise<boolean>;
