/**
 * One media request/response exchange with an upstream, classified by what the gateway can know afterwards:
 * the upstream answered (a status and a body), the request never left (no connection was made), or it may
 * have arrived without an answer coming back. The last case matters for creates: such a task may exist and
 * be billed upstream, so it is never sent again (see video-submit.ts).
 */
import { errors as undiciErrors } from 'undici';
import { GatewayError } from '../shared/errors.js';
import type { UpstreamRequest } from '../providers/task-types.js';
import { parseJsonText } from '../providers/upstream-error-body.js';
import { readLimitedText } from '../upstream/read-limited-text.js';
import { toTransportError, type UpstreamClient } from '../upstream/upstream-client.js';

export type MediaExchange =
  | { kind: 'answered'; status: number; headers: Record<string, string>; text: string; json: unknown }
  | { kind: 'not_sent'; error: GatewayError }
  | { kind: 'lost'; error: GatewayError };

/** Socket errors that happen before a connection exists: nothing reached the upstream. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function wasNeverSent(error: unknown): boolean {
  if (error instanceof undiciErrors.ConnectTimeoutError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && notSentCodes.has(code);
}

export async function exchangeMediaRequest(
  client: UpstreamClient,
  request: UpstreamRequest,
  options: { timeoutMs: number; maxBytes: number },
): Promise<MediaExchange> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    let response;
    try {
      response = await client.send(request, controller.signal);
    } catch (error) {
      const cause = error instanceof GatewayError && error.cause !== undefined ? error.cause : error;
      if (wasNeverSent(cause)) return { kind: 'not_sent', error: toTransportError(cause) };
      const timedOut = controller.signal.aborted;
      return { kind: 'lost', error: timedOut ? new GatewayError('upstream_timeout', { cause: error }) : toTransportError(cause) };
    }
    let text: string;
    try {
      text = await readLimitedText(response.body, options.maxBytes);
    } catch (error) {
      return { kind: 'lost', error: new GatewayError('upstream_timeout', { message: 'The upstream answer was cut off.', cause: error }) };
    }
    return { kind: 'answered', status: response.status, headers: response.headers, text, json: parseJsonText(text) };
  } finally {
    clearTimeout(timer);
  }
}
