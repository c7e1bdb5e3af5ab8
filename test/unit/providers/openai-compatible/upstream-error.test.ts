import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/shared/clock.js';
import { createOpenAICompatibleAdapter } from '../../../../src/providers/openai-compatible/adapter.js';
import { parseJsonLenient } from '../../../../src/providers/openai-compatible/error.js';
import { makeTarget } from './fixture-harness.js';

const now = Date.UTC(2026, 9, 21, 7, 28, 0);

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
