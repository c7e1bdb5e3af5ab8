import { describe, expect, it } from 'vitest';
import { arkErrorStructure } from '../../../src/providers/ark/ark-error.js';
import { dashScopeErrorStructure } from '../../../src/providers/dashscope/dashscope-error.js';
import { klingErrorStructure } from '../../../src/providers/kling/kling-error.js';
import { mapTaskErrorCode, parseTaskError, taskErrorFromBody } from '../../../src/providers/task-error-structure.js';
import type { CatalogModel } from '../../../src/catalog/schema.js';
import type { TaskTarget } from '../../../src/providers/task-types.js';
import { ManualClock } from '../../../src/shared/clock.js';

const target: TaskTarget = {
  provider: 'test',
  baseUrl: 'http://127.0.0.1:9100/api',
  apiKey: 'channel-access-key-1',
  secretKey: 'channel-secret-key-2',
  upstreamModel: 'm',
  model: {} as CatalogModel,
};
const clock = new ManualClock(Date.UTC(2026, 9, 21, 7, 28, 0));

describe('video provider error rows', () => {
  it.each([
    ['InputImageSensitiveContentDetected', 'content_policy_violation'],
    ['InvalidParameter.Size', 'invalid_request'],
    ['AuthenticationError', 'upstream_auth_failed'],
    ['RateLimitExceeded.EndpointRPMExceeded', 'rate_limit_exceeded'],
    ['ServerOverloaded', 'upstream_unavailable'],
    ['AccountOverdueError', 'upstream_error'],
    ['SomethingNew', undefined],
  ])('ark %s → %s', (code, expected) => {
    expect(mapTaskErrorCode(arkErrorStructure, code)).toBe(expected);
  });

  it.each([
    ['1000', 'upstream_auth_failed'],
    ['1004', 'upstream_auth_failed'],
    ['1005', undefined],
    ['1102', 'upstream_error'],
    ['1201', 'invalid_request'],
    ['1203', 'upstream_error'],
    ['1301', 'content_policy_violation'],
    ['1303', 'rate_limit_exceeded'],
    ['5001', 'upstream_unavailable'],
    ['5002', 'upstream_timeout'],
    ['5000', 'upstream_error'],
    ['5100', 'upstream_error'],
    ['12000', 'upstream_error'],
    ['999', undefined],
  ])('kling %s → %s', (code, expected) => {
    expect(mapTaskErrorCode(klingErrorStructure, code)).toBe(expected);
  });

  it.each([
    ['InvalidApiKey', 'upstream_auth_failed'],
    ['DataInspectionFailed', 'content_policy_violation'],
    ['data_inspection_failed', 'content_policy_violation'],
    ['InvalidParameter', 'invalid_request'],
    ['Throttling.RateQuota', 'rate_limit_exceeded'],
    ['Arrearage', 'upstream_error'],
    ['Model.AccessDenied', 'upstream_error'],
    ['NewThing', undefined],
  ])('dashscope %s → %s', (code, expected) => {
    expect(mapTaskErrorCode(dashScopeErrorStructure, code)).toBe(expected);
  });

  it('reads each body shape and nothing else', () => {
    expect(arkErrorStructure.readError({ error: { code: 'X', message: 'm' } })).toEqual({ code: 'X', message: 'm' });
    expect(arkErrorStructure.readError({ message: 'gateway said no' })).toEqual({ code: undefined, message: 'gateway said no' });
    expect(klingErrorStructure.readError({ code: 1302, message: 'slow' })).toEqual({ code: '1302', message: 'slow' });
    expect(klingErrorStructure.readError({ code: '1302', message: 'slow' })).toBeUndefined();
    expect(dashScopeErrorStructure.readError({ code: 'Throttling', message: 'slow' })).toEqual({ code: 'Throttling', message: 'slow' });
    expect(dashScopeErrorStructure.readError({ code: '', output: {} })).toBeUndefined();
    expect(arkErrorStructure.readError('<html>')).toBeUndefined();
  });
});

describe('parseTaskError', () => {
  it('lets a request error through with the channel key, secret key and host cut out', () => {
    const body = JSON.stringify({ code: 1201, message: 'key channel-access-key-1 secret channel-secret-key-2 at 127.0.0.1:9100 rejected' });
    const error = parseTaskError(klingErrorStructure, 400, {}, body, target, clock);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('key [redacted] secret [redacted] at [redacted] rejected');
  });

  it('keeps catalog text for account errors and reads retry-after as an HTTP date on the injected clock', () => {
    const body = JSON.stringify({ code: 'Throttling.RateQuota', message: 'account 42 over quota' });
    const error = parseTaskError(dashScopeErrorStructure, 429, { 'Retry-After': 'Wed, 21 Oct 2026 07:28:30 GMT' }, body, target, clock);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).not.toContain('account 42');
    expect(error.retryAfter).toBe(30);
    expect(error.retryable).toBe(true);
  });

  it('falls back to the HTTP status for an unknown code or a body that is not JSON', () => {
    expect(parseTaskError(arkErrorStructure, 503, {}, '<html>busy</html>', target, clock).code).toBe('upstream_unavailable');
    expect(parseTaskError(arkErrorStructure, 401, {}, JSON.stringify({ error: { code: 'Brand.New' } }), target, clock).code).toBe('upstream_auth_failed');
  });

  it('reads an error envelope inside a 2xx the same way', () => {
    const error = taskErrorFromBody(klingErrorStructure, 200, { code: 1301, message: 'blocked for channel-secret-key-2' }, target);
    expect(error.code).toBe('content_policy_violation');
    expect(error.message).toBe('blocked for [redacted]');
  });
});
