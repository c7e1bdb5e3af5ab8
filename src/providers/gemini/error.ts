/**
 * Google API errors (`{"error":{"code","message","status","details"}}`, google.rpc.Status) → catalog errors.
 * The upstream message reaches the client only for request errors, where it explains what to fix; every other
 * message goes to `cause` for the logs. Both are scrubbed of URLs and keys first.
 */
import { GatewayError, type ErrorCode } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { parseRetryAfter } from '../../shared/retry-after.js';
import { channelSecrets, sanitizeUpstreamMessage } from '../../shared/upstream-message.js';
import type { UpstreamTarget } from '../types.js';
import { codeForHttpStatus, readErrorBody, retryAfterWhenRetryable } from '../upstream-error-body.js';
import { geminiErrorDataSchema, type GeminiErrorData } from './gemini-api.js';

const codeByStatus: Readonly<Record<string, ErrorCode>> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  UNAUTHENTICATED: 'upstream_auth_failed',
  PERMISSION_DENIED: 'upstream_auth_failed',
  NOT_FOUND: 'upstream_error',
  RESOURCE_EXHAUSTED: 'rate_limit_exceeded',
  INTERNAL: 'upstream_error',
  UNKNOWN: 'upstream_error',
  UNAVAILABLE: 'upstream_unavailable',
  DEADLINE_EXCEEDED: 'upstream_timeout',
};

/** For bodies without a usable `status`. */
const geminiStatusCodes: Readonly<Record<number, ErrorCode>> = { 408: 'upstream_timeout' };

export function parseGeminiError(
  status: number,
  headers: Record<string, string>,
  bodyText: string,
  target: UpstreamTarget,
  clock: Clock,
): GatewayError {
  const data = readErrorData(bodyText);
  const headerRetryAfter = parseRetryAfter(headers, clock);
  if (data === undefined) {
    const code = codeForHttpStatus(status, geminiStatusCodes);
    return new GatewayError(code, {
      upstreamStatus: status,
      ...retryAfterWhenRetryable(code, headerRetryAfter),
      ...(code === 'invalid_request' ? { message: `Gemini rejected the request (HTTP ${status}).` } : {}),
      cause: new Error(`Gemini answered HTTP ${status} with a body that is not a Google error: ${sanitizeUpstreamMessage(bodyText.slice(0, 300), channelSecrets(target))}`),
    });
  }
  return toGeminiGatewayError(data.error, status, headerRetryAfter, target);
}

/**
 * Also used for an `{"error":…}` event inside a 200 stream, where `httpStatus` comes from `error.code` and there
 * are no headers to read a `retry-after` from.
 */
export function toGeminiGatewayError(
  error: GeminiErrorData['error'],
  httpStatus: number,
  headerRetryAfter: number | undefined,
  target: UpstreamTarget,
): GatewayError {
  const message = sanitizeUpstreamMessage(error.message ?? '', channelSecrets(target));
  const code = refineCode((error.status != null ? codeByStatus[error.status] : undefined) ?? codeForHttpStatus(httpStatus, geminiStatusCodes), error, message);
  const detail = `Gemini ${httpStatus} ${error.status ?? ''}: ${message}`;
  const options = { upstreamStatus: httpStatus, cause: new Error(detail), ...retryAfterWhenRetryable(code, headerRetryAfter ?? parseRetryInfo(error.details)) };
  if (code === 'invalid_request' || code === 'context_length_exceeded') {
    return new GatewayError(code, { ...options, message: message === '' ? `Gemini rejected the request (HTTP ${httpStatus}).` : message });
  }
  return new GatewayError(code, options);
}

function refineCode(code: ErrorCode, error: GeminiErrorData['error'], message: string): ErrorCode {
  if (code !== 'invalid_request') return code;
  // Google reports a bad key as 400 INVALID_ARGUMENT with ErrorInfo.reason API_KEY_INVALID.
  if (hasErrorReason(error.details, 'API_KEY_INVALID') || /API_KEY_INVALID|API key not valid/i.test(message)) return 'upstream_auth_failed';
  if (/input token count.*exceeds the maximum|exceeds the maximum number of tokens/i.test(message)) return 'context_length_exceeded';
  return code;
}

function hasErrorReason(details: unknown[] | null | undefined, reason: string): boolean {
  return (details ?? []).some((d) => typeof d === 'object' && d !== null && (d as { reason?: unknown }).reason === reason);
}

/** google.rpc.RetryInfo: `{"@type": "…RetryInfo", "retryDelay": "34.4s"}`. */
function parseRetryInfo(details: unknown[] | null | undefined): number | undefined {
  for (const detail of details ?? []) {
    const delay = (detail as { retryDelay?: unknown } | null)?.retryDelay;
    const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
    if (match?.[1] !== undefined) return Math.ceil(Number(match[1]));
  }
  return undefined;
}

/** Not JSON (an HTML page from a proxy, say) reads as no body: the caller maps by HTTP status. */
function readErrorData(bodyText: string): GeminiErrorData | undefined {
  // streamGenerateContent without alt=sse wraps its error in an array.
  return readErrorBody(geminiErrorDataSchema, bodyText, (json) => (Array.isArray(json) ? json[0] : json));
}
