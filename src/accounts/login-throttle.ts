/**
 * Failed-login limits per account and per client address, counted in fixed windows in memory. A locked account
 * answers the same generic error as a wrong password, so the limit itself reveals nothing about which emails
 * exist. Counts are per instance: behind N instances an attacker gets at most N times the budget.
 */
import type { Clock } from '../shared/clock.js';

export interface ThrottleLimit {
  /** Failures allowed inside one window; the next attempt is refused until the window ends. */
  maxFailures: number;
  windowMs: number;
}

export interface LoginThrottleOptions {
  perAccount?: ThrottleLimit;
  perIp?: ThrottleLimit;
  /** Upper bound on tracked keys of each kind; expired windows are pruned first. */
  maxEntries?: number;
}

export type ThrottleCheck = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface LoginThrottle {
  check(email: string, ip: string): ThrottleCheck;
  recordFailure(email: string, ip: string): void;
  /** A correct password clears the account's count (not the address's: one good login should not reset a spray). */
  recordSuccess(email: string): void;
}

export const DEFAULT_ACCOUNT_LIMIT: ThrottleLimit = { maxFailures: 5, windowMs: 15 * 60_000 };
export const DEFAULT_IP_LIMIT: ThrottleLimit = { maxFailures: 20, windowMs: 15 * 60_000 };
const DEFAULT_MAX_ENTRIES = 100_000;

interface Window {
  startedAt: number;
  failures: number;
}

/** Fixed-window failure counter keyed by any string. */
export class FailureWindows {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: ThrottleLimit,
    private readonly maxEntries: number,
  ) {}

  /** Seconds until `key` may try again, or 0 when it may try now. */
  blockedFor(key: string, now: number): number {
    const window = this.live(key, now);
    if (!window || window.failures < this.limit.maxFailures) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.limit.windowMs - now) / 1000));
  }

  add(key: string, now: number): void {
    const window = this.live(key, now);
    if (window) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= this.maxEntries) this.prune(now);
    this.windows.set(key, { startedAt: now, failures: 1 });
  }

  clear(key: string): void {
    this.windows.delete(key);
  }

  private live(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.startedAt + this.limit.windowMs <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.startedAt + this.limit.windowMs <= now) this.windows.delete(key);
    }
    // Still full: forget the oldest windows rather than grow without bound.
    const excess = this.windows.size - this.maxEntries + 1;
    if (excess <= 0) return;
    let dropped = 0;
    for (const key of this.windows.keys()) {
      if (dropped >= excess) break;
      this.windows.delete(key);
      dropped += 1;
    }
  }
}

export function createLoginThrottle(clock: Clock, options: LoginThrottleOptions = {}): LoginThrottle {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const accounts = new FailureWindows(options.perAccount ?? DEFAULT_ACCOUNT_LIMIT, maxEntries);
  const addresses = new FailureWindows(options.perIp ?? DEFAULT_IP_LIMIT, maxEntries);
  const accountKey = (email: string) => email.trim().toLowerCase();

  return {
    check(email, ip) {
      const now = clock.now();
      const wait = Math.max(accounts.blockedFor(accountKey(email), now), addresses.blockedFor(ip, now));
      return wait === 0 ? { ok: true } : { ok: false, retryAfterSeconds: wait };
    },
    recordFailure(email, ip) {
      const now = clock.now();
      accounts.add(accountKey(email), now);
      addresses.add(ip, now);
    },
    recordSuccess(email) {
      accounts.clear(accountKey(email));
    },
  };
}
