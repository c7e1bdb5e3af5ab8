/**
 * `count_tokens` costs the caller nothing but costs the gateway tokenizer time on the event loop, so each key
 * may count only so often: a fixed window per key, in memory (per instance, like the login throttle).
 */
import { AttemptLimiter, fixedWindow, type WindowLimit } from '../../accounts/attempt-limiter.js';
import { GatewayError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';

/** Claude Code counts a few times per turn; 120 a minute leaves it room and caps a script at 2 calls a second. */
export const DEFAULT_COUNT_TOKENS_LIMIT: WindowLimit = { maxFailures: 120, windowMs: 60_000 };
const MAX_TRACKED_KEYS = 100_000;

export interface CountTokensLimit {
  /** Counts one call for `keyId`, or throws 429 `rate_limit_exceeded` with the seconds to wait. */
  take(keyId: string): void;
}

export function createCountTokensLimit(clock: Clock, limit: WindowLimit = DEFAULT_COUNT_TOKENS_LIMIT): CountTokensLimit {
  const calls = new AttemptLimiter(fixedWindow(limit), MAX_TRACKED_KEYS);
  return {
    take(keyId) {
      const check = calls.attempt(keyId, clock.now());
      if (!check.ok) {
        const wait = check.retryAfterSeconds;
        throw new GatewayError('rate_limit_exceeded', { message: `Too many count_tokens calls for this key. Retry in ${wait} s.`, retryAfter: wait });
      }
    },
  };
}
