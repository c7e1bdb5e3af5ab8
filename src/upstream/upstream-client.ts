/**
 * The one way the gateway talks to upstreams: an undici Agent (keep-alive pools per origin) with connect,
 * first-byte and idle-between-chunks timeouts, cancelled at once when the caller's signal aborts.
 * Transport failures become catalog errors here; HTTP error statuses are left to the adapter's parseError.
 */
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { GatewayError } from '../shared/errors.js';

/** A request as an adapter describes it, sent as is. */
export interface UpstreamRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface UpstreamTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Dispatcher.ResponseData['body'];
}

export interface UpstreamClient {
  send(req: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export function createUpstreamClient(timeouts: UpstreamTimeouts): UpstreamClient {
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: 256,
    pipelining: 1,
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.firstByteMs,
    bodyTimeout: timeouts.idleMs,
  });
  return {
    async send(req, signal) {
      try {
        const res = await request(req.url, {
          dispatcher: agent,
          method: req.method,
          headers: req.headers,
          body: req.body,
          signal,
        });
        return { status: res.statusCode, headers: flattenHeaders(res.headers), body: res.body };
      } catch (error) {
        throw toTransportError(error, signal);
      }
    },
    close: () => agent.close(),
  };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Maps undici and socket failures onto the catalog; the message never includes the upstream URL. */
export function toTransportError(error: unknown, signal?: AbortSignal): GatewayError {
  if (error instanceof GatewayError) return error;
  if (signal?.aborted) return new GatewayError('upstream_error', { message: 'The request was cancelled.', cause: error, retryable: false });
  if (
    error instanceof undiciErrors.ConnectTimeoutError ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  ) {
    return new GatewayError('upstream_timeout', { cause: error });
  }
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return new GatewayError('upstream_unavailable', { message: 'The upstream provider could not be reached.', cause: error });
  }
  return new GatewayError('upstream_error', { message: 'The upstream request failed.', cause: error });
}
