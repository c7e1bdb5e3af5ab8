/**
 * A failure after a Responses stream began, in the two forms clients read. Before the stream starts nothing
 * differs from the other OpenAI routes: the Responses API answers errors in the same `{"error":{…}}` shape.
 *
 * - `response.failed` carries the response with `error: {code, message}`. Codex reads this event; it retries
 *   codes it knows to be transient (server_error, rate_limit_exceeded) and stops on context_length_exceeded and
 *   insufficient_quota, so gateway codes are mapped onto those.
 * - The `error` event follows it. The openai SDKs throw on any event that carries an `error` object at the top
 *   level (which is what OpenAI sends), so `stream.finalResponse()` rejects instead of resolving with a failed
 *   snapshot. The flat code/message/param fields of the documented event type are sent too.
 */
import type { GatewayError } from '../../shared/errors.js';

export interface ResponseErrorDetails {
  code: string;
  message: string;
}

export function toResponseError(error: GatewayError): ResponseErrorDetails {
  return { code: toResponseErrorCode(error), message: error.message };
}

/** The `error` stream event, without its sequence number. */
export function toErrorEvent(error: GatewayError): Record<string, unknown> & { type: 'error' } {
  const code = toResponseErrorCode(error);
  return {
    type: 'error',
    code,
    message: error.message,
    param: error.param,
    error: { type: error.type, code, message: error.message, param: error.param },
  };
}

function toResponseErrorCode(error: GatewayError): string {
  switch (error.code) {
    case 'context_length_exceeded':
      return 'context_length_exceeded';
    case 'insufficient_quota':
    case 'spend_limit_exceeded':
      return 'insufficient_quota';
  }
  if (error.status === 429) return 'rate_limit_exceeded';
  // OpenAI's code for a prompt it will not run; any other 4xx here is a problem with the request itself.
  if (error.status >= 400 && error.status < 500) return 'invalid_prompt';
  return 'server_error';
}
