import { describe, expect, it } from 'vitest';
import { toAnthropicError } from '../../../../src/api/anthropic/anthropic-errors.js';
import { GatewayError, type ErrorCode } from '../../../../src/shared/errors.js';

describe('gateway error → anthropic error', () => {
  it.each<[ErrorCode, number, string]>([
    ['invalid_request', 400, 'invalid_request_error'],
    ['context_length_exceeded', 400, 'invalid_request_error'],
    ['invalid_api_key', 401, 'authentication_error'],
    ['insufficient_quota', 402, 'billing_error'],
    ['spend_limit_exceeded', 402, 'billing_error'],
    ['model_not_allowed', 403, 'permission_error'],
    ['model_not_found', 404, 'not_found_error'],
    ['conflict', 409, 'invalid_request_error'],
    ['payload_too_large', 413, 'request_too_large'],
    ['unsupported_media_type', 415, 'invalid_request_error'],
    ['rate_limit_exceeded', 429, 'rate_limit_error'],
    ['internal_error', 500, 'api_error'],
    ['upstream_error', 502, 'api_error'],
    ['stream_truncated', 502, 'api_error'],
    ['upstream_unavailable', 503, 'overloaded_error'],
    ['no_channel', 503, 'overloaded_error'],
    ['upstream_timeout', 504, 'timeout_error'],
  ])('%s keeps status %i and becomes %s', (code, status, type) => {
    const answer = toAnthropicError(new GatewayError(code));
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ type: 'error', error: { type, message: new GatewayError(code).message } });
  });

  it('follows an overridden status, e.g. an upstream 529 passed through', () => {
    expect(toAnthropicError(new GatewayError('upstream_error', { status: 529 })).body.error.type).toBe('overloaded_error');
    expect(toAnthropicError(new GatewayError('upstream_error', { status: 422 })).body.error.type).toBe('invalid_request_error');
  });

  it('appends the param to the message, since the shape has no param field', () => {
    const error = new GatewayError('invalid_request', { param: 'messages[0].content', message: 'Bad content.' });
    expect(toAnthropicError(error).body.error.message).toBe('Bad content. (param: messages[0].content)');
  });
});
