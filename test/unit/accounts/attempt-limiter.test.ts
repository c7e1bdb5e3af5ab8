import { describe, expect, it } from 'vitest';
import { AttemptLimiter, fixedWindow, growingDelays } from '../../../src/accounts/attempt-limiter.js';

const SECOND = 1000;

describe('attempt limiter with growing delays', () => {
  const policy = { freeFailures: 2, baseDelayMs: SECOND, maxDelayMs: 4 * SECOND, forgetAfterMs: 60 * SECOND };

  it('lets the free failures pass, then doubles the wait after the last attempt up to the cap', () => {
    const limiter = new AttemptLimiter(growingDelays(policy));
    let now = 0;
    expect(limiter.attempt('k', now)).toEqual({ ok: true });
    expect(limiter.attempt('k', now)).toEqual({ ok: true });
    // Two failures counted: the next may come after 1 s.
    expect(limiter.attempt('k', now)).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += SECOND;
    expect(limiter.attempt('k', now)).toEqual({ ok: true });
    expect(limiter.waitFor('k', now)).toBe(2);
    now += 2 * SECOND;
    expect(limiter.attempt('k', now)).toEqual({ ok: true });
    expect(limiter.waitFor('k', now)).toBe(4);
    now += 4 * SECOND;
    expect(limiter.attempt('k', now)).toEqual({ ok: true });
    // 8 s would be next; the cap holds it at 4 s.
    expect(limiter.waitFor('k', now)).toBe(4);
    expect(limiter.waitFor('other', now)).toBe(0);
  });

  it('forgets a key after a quiet spell, and forgiving or clearing takes counted failures back', () => {
    const limiter = new AttemptLimiter(growingDelays(policy));
    for (let i = 0; i < 3; i++) limiter.record('k', 0);
    expect(limiter.waitFor('k', 0)).toBe(2);
    limiter.forgiveOne('k');
    expect(limiter.waitFor('k', 0)).toBe(1);
    limiter.clear('k');
    expect(limiter.waitFor('k', 0)).toBe(0);
    for (let i = 0; i < 3; i++) limiter.record('k', 0);
    expect(limiter.waitFor('k', 60 * SECOND - 1)).toBe(0);
    limiter.record('k', 60 * SECOND - 1);
    expect(limiter.waitFor('k', 60 * SECOND - 1)).toBe(4);
    limiter.record('k', 120 * SECOND);
    expect(limiter.waitFor('k', 120 * SECOND)).toBe(0);
  });
});

describe('attempt limiter with a fixed window', () => {
  it('allows maxFailures attempts in the window from the first one, then refuses until the window ends', () => {
    const limiter = new AttemptLimiter(fixedWindow({ maxFailures: 2, windowMs: 60 * SECOND }));
    expect(limiter.attempt('k', 0)).toEqual({ ok: true });
    expect(limiter.attempt('k', 50 * SECOND)).toEqual({ ok: true });
    // The window opened at 0, not at the last attempt.
    expect(limiter.attempt('k', 50 * SECOND + 1)).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(limiter.attempt('k', 60 * SECOND - 1)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.attempt('k', 60 * SECOND)).toEqual({ ok: true });
  });

  it('forgets the oldest keys when full rather than grow without bound', () => {
    const limiter = new AttemptLimiter(fixedWindow({ maxFailures: 1, windowMs: 60 * SECOND }), 2);
    limiter.record('a', 0);
    limiter.record('b', 0);
    expect(limiter.waitFor('a', 0)).toBe(60);
    limiter.record('c', 0);
    expect(limiter.waitFor('a', 0)).toBe(0);
    expect(limiter.waitFor('b', 0)).toBe(60);
    expect(limiter.waitFor('c', 0)).toBe(60);
  });
});
