/**
 * `count_tokens` costs the caller nothing but costs the gateway tokenizer time on the event loop, so each key
 * may count only so often: a fixed window per key, in memory (per instance, like the login throttle).
 */
import { FailureWindows, type ThrottleLimit } from '../../accounts/login-throttle.js';
import { GatewayError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';

/** Claude Code counts a few times per turn; 120 a minute leaves it room and caps a script at 2 calls a second. */
export const DEFAULT_COUNT_TOKENS_LIMIT: ThrottleLimit = { maxFailures: 120, windowMs: 60_000 };
const MAX_TRACKED_KEYS = 100_000;

export interface CountTokensLimit {
  /** Counts one call for `keyId`, or throws 429 `rate_limit_exceeded` with the seconds to wait. */
  take(keyId: string): void;
}

export function createCountTokensLimit(clock: Clock, limit: ThrottleLimit = DEFAULT_COUNT_TOKENS_LIMIT): CountTokensLimit {
  const windows = new FailureWindows(limit, MAX_TRACKED_KEYS);
  return {
    take(keyId) {
      const now = clock.now();
      const wait = windows.blockedFor(keyId, now);
      if (wait > 0) {
        throw new GatewayError('rate_limit_exceeded', { message: `Too many count_tokens calls for this key. Retry in ${wait} s.`, retryAfter: wait });
      }
      windows.add(keyId, now);
    },
  };
}
