import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/shared/clock.js';
import { createOpenAICompatibleAdapter } from '../../../../src/providers/openai-compatible/adapter.js';
import { parseJsonLenient } from '../../../../src/providers/openai-compatible/error.js';
import { parseOpenAICompatibleRetryAfter } from '../../../../src/providers/openai-compatible/retry-after.js';
import { sanitizeOpenAICompatibleMessage } from '../../../../src/providers/openai-compatible/sanitize-message.js';
import { makeTarget, TEST_API_KEY } from './fixture-harness.js';

const now = Date.UTC(2026, 9, 21, 7, 28, 0);

describe('retry-after parsing', () => {
  it.each([
    [{ 'retry-after': '20' }, 20],
    [{ 'retry-after': '0.4' }, 1],
    [{ 'Retry-After': ' 7 ' }, 7],
    [{ 'retry-after-ms': '250' }, 1],
    [{ 'retry-after': 'Wed, 21 Oct 2026 07:28:45 GMT' }, 45],
    // The upstream's own clock is the reference when it sent one.
    [{ 'retry-after': 'Wed, 21 Oct 2026 07:28:45 GMT', date: 'Wed, 21 Oct 2026 07:28:40 GMT' }, 5],
    [{ 'retry-after': 'Wed, 21 Oct 2026 07:00:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j → %s', (headers, expected) => {
    expect(parseOpenAICompatibleRetryAfter(headers, now)).toBe(expected);
  });
});

describe('upstream message sanitizing', () => {
  it.each([
    ['Incorrect API key provided: sk-proj-AbCdEf123456.', 'Incorrect API key provided: [redacted]'],
    ['see https://api.deepseek.com/v1/chat?key=1 for details', 'see [url] for details'],
    ['host dashscope-intl.aliyuncs.com refused', 'host [host] refused'],
    ['Authorization: Bearer abc.def', 'Authorization: Bearer [redacted]'],
    ['token 0123456789abcdef0123456789abcdef.AbCdEfGhIjKlMnOp is invalid', 'token [redacted] is invalid'],
    ['InternalError.Algo.InvalidParameter: bad', 'InternalError.Algo.InvalidParameter: bad'],
    ['multi\n  line\tmessage', 'multi line message'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeOpenAICompatibleMessage(input, [])).toBe(expected);
  });

  it('removes the channel key itself wherever it appears', () => {
    expect(sanitizeOpenAICompatibleMessage(`bad key ${TEST_API_KEY}!`, [TEST_API_KEY])).toBe('bad key [redacted]!');
  });

  it('bounds the length', () => {
    expect(sanitizeOpenAICompatibleMessage('word '.repeat(400), []).length).toBe(500);
  });
});

describe('openAICompatibleAdapter.parseError', () => {
  it('measures an HTTP-date retry-after from the injected clock when the upstream sent no date', () => {
    const adapter = createOpenAICompatibleAdapter({ clock: new ManualClock(now) });
    const error = adapter.parseError(429, { 'retry-after': 'Wed, 21 Oct 2026 07:29:00 GMT' }, '{}', makeTarget('openai'));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.retryAfter).toBe(60);
  });

  it('handles an empty body on a 4xx it does not know as an upstream error', () => {
    const adapter = createOpenAICompatibleAdapter({ clock: new ManualClock(now) });
    const error = adapter.parseError(409, {}, '', makeTarget('xai'));
    expect(error.code).toBe('upstream_error');
    expect(error.status).toBe(502);
    expect(error.upstreamStatus).toBe(409);
  });
});

describe('lenient JSON', () => {
  it('parses a DeepSeek body preceded by keep-alive blank lines', () => {
    expect(parseJsonLenient('\n\n\n{"id":"x"}')).toEqual({ id: 'x' });
  });

  it.each(['', '   ', '<html>500</html>', '{"cut'])('returns undefined for %j', (text) => {
    expect(parseJsonLenient(text)).toBeUndefined();
  });
});
