/**
 * Log-in throttling with growing delays (see attempt-limiter.ts), counted per (account, client address) and, with
 * a larger allowance, per client address across accounts (password spraying). There is no per-account count on
 * its own: then anyone could lock anyone out by guessing wrong on purpose. A throttled attempt answers 429 with
 * Retry-After whatever the email, so the throttle reveals nothing about which emails exist.
 *
 * The client address is Fastify's request.ip: behind a reverse proxy set TOKENHUB_TRUST_PROXY, or every user
 * shares the proxy's address and its allowance. Counts are per instance: behind N instances an attacker gets at
 * most N times the budget.
 */
import type { Clock } from '../shared/clock.js';
import { AttemptLimiter, growingDelays, type AttemptCheck, type DelayPolicy } from './attempt-limiter.js';

export interface LoginThrottleOptions {
  perAccountAndIp?: DelayPolicy;
  perIp?: DelayPolicy;
  /** Upper bound on tracked keys of each kind; stale ones are pruned first. */
  maxEntries?: number;
}

export interface LoginThrottle {
  /**
   * Counts this attempt as a failure before the password is checked, or refuses it (not counted). Counting first
   * is what stops parallel guesses from all being checked against the same count.
   */
  begin(email: string, ip: string): AttemptCheck;
  /** The password was right: the (account, address) count starts over, and the address is forgiven this one. */
  succeeded(email: string, ip: string): void;
}

const MINUTE = 60_000;
/** Five free guesses per account from one address, then 1 s, 2 s, 4 s … up to 15 minutes between tries. */
export const DEFAULT_ACCOUNT_IP_POLICY: DelayPolicy = { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 60 * MINUTE };
/** Fifty free failures from one address across all accounts, then the same growing delays. */
export const DEFAULT_IP_POLICY: DelayPolicy = { freeFailures: 50, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 60 * MINUTE };
const DEFAULT_MAX_ENTRIES = 100_000;

export function createLoginThrottle(clock: Clock, options: LoginThrottleOptions = {}): LoginThrottle {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const pairs = new AttemptLimiter(growingDelays(options.perAccountAndIp ?? DEFAULT_ACCOUNT_IP_POLICY), maxEntries);
  const addresses = new AttemptLimiter(growingDelays(options.perIp ?? DEFAULT_IP_POLICY), maxEntries);
  // JSON keeps the pair unambiguous whatever characters the email holds.
  const pairKey = (email: string, ip: string) => JSON.stringify([email.trim().toLowerCase(), ip]);

  return {
    begin(email, ip) {
      const now = clock.now();
      const key = pairKey(email, ip);
      const wait = Math.max(pairs.waitFor(key, now), addresses.waitFor(ip, now));
      if (wait > 0) return { ok: false, retryAfterSeconds: wait };
      pairs.record(key, now);
      addresses.record(ip, now);
      return { ok: true };
    },
    succeeded(email, ip) {
      pairs.clear(pairKey(email, ip));
      addresses.forgiveOne(ip);
    },
  };
}
