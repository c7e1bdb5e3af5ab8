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
import { anthropicErrorBodySchema, type AnthropicErrorBody } from './anthropic-api.js';

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
  const body = parseErrorBody(bodyText);
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
  const options = { upstreamStatus: status };
  if (code === 'invalid_request' || code === 'context_length_exceeded') {
    return new GatewayError(code, { ...options, message: clientMessage(facts.message, facts.secrets) });
  }
  if (code === 'rate_limit_exceeded') return new GatewayError(code, { ...options, retryAfter: facts.retryAfter });
  if (code === 'upstream_unavailable') return new GatewayError(code, { ...options, retryAfter: facts.retryAfter });
  if (code === 'upstream_error' && (facts.errorType === 'not_found_error' || status === 404)) {
    return new GatewayError(code, { ...options, message: 'The model was not found at the upstream provider.' });
  }
  return new GatewayError(code, options);
}

function classifyAnthropicError(facts: AnthropicErrorFacts): ErrorCode {
  const type = facts.errorType ?? typeFromStatus(facts.status);
  const message = facts.message ?? '';
  switch (type) {
    case 'invalid_request_error':
      if (/prompt is too long/i.test(message)) return 'context_length_exceeded';
      // These 400s are about our upstream account, not the client's request: fail over instead of blaming the client.
      if (/credit balance is too low|usage limits?/i.test(message)) return 'upstream_error';
      return 'invalid_request';
    case 'authentication_error':
    case 'permission_error':
      return 'upstream_auth_failed';
    case 'request_too_large':
      return 'payload_too_large';
    case 'rate_limit_error':
      // A spend cap looks like a rate limit but will not clear by waiting: it is the channel's problem.
      return facts.detailCode === 'enforced_spend_limit_reached' ? 'upstream_error' : 'rate_limit_exceeded';
    case 'overloaded_error':
      return 'upstream_unavailable';
    case 'timeout_error':
      return 'upstream_timeout';
    default:
      // billing_error, not_found_error, api_error and types added later.
      return 'upstream_error';
  }
}

function typeFromStatus(status: number): string | undefined {
  if (status === 400 || status === 422) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status === 504) return 'timeout_error';
  return undefined;
}

function parseErrorBody(bodyText: string): AnthropicErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    // HTML from a proxy or Cloudflare (e.g. 413, 502): the status alone decides.
    return undefined;
  }
  const parsed = anthropicErrorBodySchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The sanitized upstream message, or undefined when there is none to show. */
function clientMessage(message: string | undefined, secrets: readonly string[]): string | undefined {
  if (message === undefined || message.trim() === '') return undefined;
  return sanitizeUpstreamMessage(message, secrets);
}
