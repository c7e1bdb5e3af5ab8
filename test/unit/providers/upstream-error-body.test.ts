import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseAnthropicError } from '../../../src/providers/anthropic/error.js';
import { parseGeminiError } from '../../../src/providers/gemini/error.js';
import { parseJsonLenient } from '../../../src/providers/openai-compatible/error.js';
import { errorCodeForStatus } from '../../../src/providers/task-types.js';
import {
  codeForHttpStatus,
  parseJsonText,
  readErrorBody,
  retryAfterWhenRetryable,
} from '../../../src/providers/upstream-error-body.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { createTestTarget } from '../../support/anthropic-fixtures.js';
import { makeGeminiTarget } from './gemini/gemini-test-support.js';

const clock = new ManualClock(Date.UTC(2026, 9, 21, 7, 27, 0));
const htmlPage = '<html><body>502 Bad Gateway</body></html>';
const errorSchema = z.object({ error: z.object({ type: z.string() }) });

describe('shared upstream error body reading', () => {
  it('parseJsonText reads JSON and turns anything else into undefined', () => {
    expect(parseJsonText('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonText(htmlPage)).toBeUndefined();
    expect(parseJsonText('')).toBeUndefined();
  });

  it('parseJsonLenient still skips the blank lines a queued DeepSeek request sends first', () => {
    expect(parseJsonLenient('\n\n  {"id":"x"}\n')).toEqual({ id: 'x' });
    expect(parseJsonLenient('   ')).toBeUndefined();
  });

  it('readErrorBody returns the family shape, and undefined for HTML or another shape', () => {
    expect(readErrorBody(errorSchema, '{"error":{"type":"x"}}')).toEqual({ error: { type: 'x' } });
    expect(readErrorBody(errorSchema, htmlPage)).toBeUndefined();
    expect(readErrorBody(errorSchema, '{"message":"no"}')).toBeUndefined();
    expect(readErrorBody(errorSchema, '[{"error":{"type":"y"}}]', (json) => (Array.isArray(json) ? json[0] : json))).toEqual({ error: { type: 'y' } });
  });

  it('retryAfterWhenRetryable passes a wait on only for rate limits and unavailability', () => {
    expect(retryAfterWhenRetryable('rate_limit_exceeded', 7)).toEqual({ retryAfter: 7 });
    expect(retryAfterWhenRetryable('upstream_unavailable', 3)).toEqual({ retryAfter: 3 });
    expect(retryAfterWhenRetryable('rate_limit_exceeded', undefined)).toEqual({});
    expect(retryAfterWhenRetryable('upstream_error', 7)).toEqual({});
    expect(retryAfterWhenRetryable('invalid_request', 7)).toEqual({});
  });

  it('codeForHttpStatus lets a family row override the common one and defaults to upstream_error', () => {
    expect(codeForHttpStatus(408)).toBe('upstream_error');
    expect(codeForHttpStatus(408, { 408: 'upstream_timeout' })).toBe('upstream_timeout');
    expect(codeForHttpStatus(400, { 400: 'upstream_error' })).toBe('upstream_error');
    expect(codeForHttpStatus(418)).toBe('upstream_error');
  });

  // Each family's reading of a status with no usable body; the rows differ on 408, 413 and 529 on purpose.
  it.each([
    [400, 'invalid_request', 'invalid_request', 'invalid_request'],
    [401, 'upstream_auth_failed', 'upstream_auth_failed', 'upstream_auth_failed'],
    [403, 'upstream_auth_failed', 'upstream_auth_failed', 'upstream_auth_failed'],
    [404, 'upstream_error', 'upstream_error', 'upstream_error'],
    [408, 'upstream_error', 'upstream_timeout', 'upstream_timeout'],
    [413, 'payload_too_large', 'upstream_error', 'invalid_request'],
    [422, 'invalid_request', 'invalid_request', 'invalid_request'],
    [429, 'rate_limit_exceeded', 'rate_limit_exceeded', 'rate_limit_exceeded'],
    [500, 'upstream_error', 'upstream_error', 'upstream_error'],
    [502, 'upstream_error', 'upstream_error', 'upstream_error'],
    [503, 'upstream_unavailable', 'upstream_unavailable', 'upstream_unavailable'],
    [504, 'upstream_timeout', 'upstream_timeout', 'upstream_timeout'],
    [529, 'upstream_unavailable', 'upstream_error', 'upstream_unavailable'],
  ])('HTTP %i with an HTML body: anthropic %s, gemini %s, video tasks %s', (status, anthropic, gemini, task) => {
    expect(parseAnthropicError(status, {}, htmlPage, createTestTarget(), clock).code).toBe(anthropic);
    expect(parseGeminiError(status, {}, htmlPage, makeGeminiTarget('gemini-2.5-flash'), clock).code).toBe(gemini);
    expect(errorCodeForStatus(status)).toBe(task);
  });

  it('anthropic and gemini pass retry-after on for a 429 but not for a 500', () => {
    for (const [status, expected] of [[429, 12], [500, undefined]] as const) {
      expect(parseAnthropicError(status, { 'retry-after': '12' }, htmlPage, createTestTarget(), clock).retryAfter).toBe(expected);
      expect(parseGeminiError(status, { 'retry-after': '12' }, htmlPage, makeGeminiTarget('gemini-2.5-flash'), clock).retryAfter).toBe(expected);
    }
  });
});
