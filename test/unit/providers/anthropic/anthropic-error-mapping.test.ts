import { describe, expect, it } from 'vitest';
import { parseAnthropicError, parseAnthropicStreamError } from '../../../../src/providers/anthropic/error.js';
import type { UpstreamTarget } from '../../../../src/providers/types.js';
import { ManualClock } from '../../../../src/shared/clock.js';
import { createTestTarget } from '../../../support/anthropic-fixtures.js';

const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message } });
const clock = new ManualClock(Date.UTC(2026, 9, 21, 7, 27, 0));
const parse = (status: number, headers: Record<string, string>, text: string, target: UpstreamTarget) =>
  parseAnthropicError(status, headers, text, target, clock);

describe('parseAnthropicError', () => {
  it('never lets the channel key, a key-shaped string or a URL through to the client', () => {
    const target = createTestTarget();
    const leakyKey = ['sk', 'ant', 'api03', 'AbCdEfGhIjKlMnOp'].join('-');
    const message = `bad image at https://files.internal/x.png?token=1; key ${target.apiKey}; other ${leakyKey}; Authorization: Bearer abc`;
    const error = parse(400, {}, body('invalid_request_error', message), target);
    expect(error.code).toBe('invalid_request');
    expect(error.message).not.toContain(target.apiKey);
    expect(error.message).not.toContain(leakyKey);
    expect(error.message).not.toContain('files.internal');
    expect(error.message).not.toContain('abc');
  });

  it('keeps catalog text for non-input errors so upstream account details stay private', () => {
    const error = parse(429, {}, body('rate_limit_error', 'org 1234 exceeded 50,000 tokens per minute'), createTestTarget());
    expect(error.message).not.toContain('org 1234');
    expect(error.retryAfter).toBeUndefined();
  });

  it('reads retry-after in any header case, as seconds or an HTTP date on the injected clock', () => {
    const target = createTestTarget();
    expect(parse(429, { 'RETRY-AFTER': '2.5' }, body('rate_limit_error', 'x'), target).retryAfter).toBe(3);
    expect(parse(429, { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' }, body('rate_limit_error', 'x'), target).retryAfter).toBe(60);
    expect(parse(429, { 'retry-after': 'later' }, body('rate_limit_error', 'x'), target).retryAfter).toBeUndefined();
    expect(parse(529, { 'retry-after': '4' }, body('overloaded_error', 'Overloaded'), target).retryAfter).toBe(4);
  });

  it('classifies by status when the body is empty or not Anthropic-shaped', () => {
    const target = createTestTarget();
    expect(parse(401, {}, '', target).code).toBe('upstream_auth_failed');
    expect(parse(429, {}, '{"message":"slow down"}', target).code).toBe('rate_limit_exceeded');
    expect(parse(503, {}, 'Service Unavailable', target).code).toBe('upstream_unavailable');
    expect(parse(422, {}, '[]', target).code).toBe('invalid_request');
    expect(parse(409, {}, '', target).code).toBe('upstream_error');
  });

  it('keeps the catalog message when the upstream sent an empty one', () => {
    expect(parse(400, {}, body('invalid_request_error', ' '), createTestTarget()).message).toBe('The request is invalid.');
  });
});

describe('parseAnthropicStreamError', () => {
  it.each([
    ['overloaded_error', 'upstream_unavailable', 503],
    ['rate_limit_error', 'rate_limit_exceeded', 429],
    ['api_error', 'upstream_error', 502],
    ['invalid_request_error', 'invalid_request', 400],
    ['brand_new_error', 'upstream_error', 502],
  ])('%s mid-stream → %s', (type, code, status) => {
    const error = parseAnthropicStreamError({ type, message: 'x' }, createTestTarget());
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it('redacts the channel key from a mid-stream message, whatever its shape', () => {
    const target = { ...createTestTarget(), apiKey: 'plainkey0123456789' };
    const error = parseAnthropicStreamError({ type: 'invalid_request_error', message: 'bad header plainkey0123456789 sent' }, target);
    expect(error.message).not.toContain('plainkey0123456789');
  });
});
