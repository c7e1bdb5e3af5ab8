import { describe, expect, it } from 'vitest';
import { createCountTokensLimit, DEFAULT_COUNT_TOKENS_LIMIT } from '../../../../src/api/anthropic/count-tokens-limit.js';
import { GatewayError } from '../../../../src/shared/errors.js';
import { ManualClock } from '../../../../src/shared/clock.js';

describe('count_tokens limit per key', () => {
  it('refuses the call past the window’s allowance with the seconds left, and lets the key count again once it ends', () => {
    const clock = new ManualClock();
    const limit = createCountTokensLimit(clock, { maxFailures: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) limit.take('key-a');
    clock.advance(20_000);
    let refused: unknown;
    try {
      limit.take('key-a');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ code: 'rate_limit_exceeded', status: 429, retryAfter: 40 });
    // Another key has its own window.
    expect(() => limit.take('key-b')).not.toThrow();
    clock.advance(40_000);
    expect(() => limit.take('key-a')).not.toThrow();
  });

  it('defaults to 120 calls a minute', () => {
    expect(DEFAULT_COUNT_TOKENS_LIMIT).toEqual({ maxFailures: 120, windowMs: 60_000 });
  });
});
