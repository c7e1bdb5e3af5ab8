/**
 * Anthropic error responses (https://docs.claude.com/en/api/errors) → catalog errors. Only input errors carry the
 * upstream message on to the client, sanitized; everything else uses the catalog text, because upstream
 * messages about limits and billing name our account, not the client's request.
 */
import { GatewayError, type ErrorCode } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { parseRetryAfter } from '../../shared/retry-after.js';
import { channelSecrets, sanitizeUpstreamMessage } from '../../shared/upstream-message.js';
import type { UpstreamTarget } from '../types.js';
import { codeForHttpStatus, readErrorBody, retryAfterWhenRetryable } from '../upstream-error-body.js';
import { anthropicErrorBodySchema } from './anthropic-api.js';

/** Status implied by each `error.type`, used when the HTTP status alone is ambiguous or missing (stream errors). */
const statusByErrorType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

interface AnthropicErrorFacts {
  status: number;
  errorType: string | undefined;
  message: string | undefined;
  detailCode: string | undefined;
  retryAfter: number | undefined;
  secrets: readonly string[];
}

export function parseAnthropicError(
  status: number,
  headers: Record<string, string>,
  bodyText: string,
  target: UpstreamTarget,
  clock: Clock,
): GatewayError {
  // HTML from a proxy or Cloudflare (e.g. 413, 502) reads as no body: the status alone decides.
  const body = readErrorBody(anthropicErrorBodySchema, bodyText);
  return toAnthropicGatewayError({
    status,
    errorType: body?.error.type,
    message: body?.error.message,
    detailCode: body?.error.details?.error_code,
    retryAfter: parseRetryAfter(headers, clock),
    secrets: channelSecrets(target),
  });
}

/** An `event: error` received after HTTP 200: the same mapping, with the status implied by the error type. */
export function parseAnthropicStreamError(error: { type: string; message?: string | undefined }, target: UpstreamTarget): GatewayError {
  return toAnthropicGatewayError({
    status: statusByErrorType[error.type] ?? 500,
    errorType: error.type,
    message: error.message,
    detailCode: undefined,
    retryAfter: undefined,
    secrets: channelSecrets(target),
  });
}

function toAnthropicGatewayError(facts: AnthropicErrorFacts): GatewayError {
  const { status } = facts;
  const code = classifyAnthropicError(facts);
  const options = { upstreamStatus: status, ...retryAfterWhenRetryable(code, facts.retryAfter) };
  if (code === 'invalid_request' || code === 'context_length_exceeded') {
    return new GatewayError(code, { ...options, message: clientMessage(facts.message, facts.secrets) });
  }
  if (code === 'upstream_error' && (facts.errorType === 'not_found_error' || status === 404)) {
    return new GatewayError(code, { ...options, message: 'The model was not found at the upstream provider.' });
  }
  return new GatewayError(code, options);
}

/** billing_error, not_found_error, api_error and types added later are the channel's problem: upstream_error. */
const codeByErrorType = new Map<string, ErrorCode>([
  ['invalid_request_error', 'invalid_request'],
  ['authentication_error', 'upstream_auth_failed'],
  ['permission_error', 'upstream_auth_failed'],
  ['request_too_large', 'payload_too_large'],
  ['rate_limit_error', 'rate_limit_exceeded'],
  ['overloaded_error', 'upstream_unavailable'],
  ['timeout_error', 'upstream_timeout'],
]);

/** For bodies without an `error.type`. */
const anthropicStatusCodes: Readonly<Record<number, ErrorCode>> = { 413: 'payload_too_large', 529: 'upstream_unavailable' };

function classifyAnthropicError(facts: AnthropicErrorFacts): ErrorCode {
  const code =
    facts.errorType === undefined ? codeForHttpStatus(facts.status, anthropicStatusCodes) : (codeByErrorType.get(facts.errorType) ?? 'upstream_error');
  const message = facts.message ?? '';
  if (code === 'invalid_request') {
    if (/prompt is too long/i.test(message)) return 'context_length_exceeded';
    // These 400s are about our upstream account, not the client's request: fail over instead of blaming the client.
    if (/credit balance is too low|usage limits?/i.test(message)) return 'upstream_error';
  }
  // A spend cap looks like a rate limit but will not clear by waiting: it is the channel's problem.
  if (code === 'rate_limit_exceeded' && facts.detailCode === 'enforced_spend_limit_reached') return 'upstream_error';
  return code;
}

/** The sanitized upstream message, or undefined when there is none to show. */
function clientMessage(message: string | undefined, secrets: readonly string[]): string | undefined {
  if (message === undefined || message.trim() === '') return undefined;
  return sanitizeUpstreamMessage(message, secrets);
}
