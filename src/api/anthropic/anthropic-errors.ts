/**
 * GatewayError → Anthropic's error shape (`{"type":"error","error":{"type","message"}}`,
 * https://docs.claude.com/en/api/errors), for the `/messages` front door, both as an HTTP answer and as the
 * `error` event of a stream.
 *
 * The HTTP status stays ours: Anthropic SDKs and Claude Code retry on 408/409/429/5xx by status, so a 503 is
 * retried exactly like Anthropic's 529, and our monitoring keeps one meaning per status. Only the error `type`
 * follows Anthropic: "no upstream can take this now" (503) is their `overloaded_error`.
 */
import type { GatewayError } from '../../shared/errors.js';

export interface AnthropicErrorAnswer {
  status: number;
  body: { type: 'error'; error: { type: string; message: string } };
}

export function toAnthropicError(error: GatewayError): AnthropicErrorAnswer {
  // Anthropic's shape has no `param`, so it goes into the message where a client or a person will see it.
  const message = error.param ? `${error.message} (param: ${error.param})` : error.message;
  return { status: error.status, body: { type: 'error', error: { type: toAnthropicErrorType(error), message } } };
}

function toAnthropicErrorType(error: GatewayError): string {
  if (error.code === 'upstream_unavailable' || error.code === 'no_channel') return 'overloaded_error';
  switch (error.status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      // Anthropic's own type for a 504.
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
  }
  // Anthropic uses invalid_request_error for every other 4xx, and api_error for its own failures.
  return error.status >= 400 && error.status < 500 ? 'invalid_request_error' : 'api_error';
}
