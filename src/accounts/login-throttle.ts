/**
 * Log-in throttling with growing delays (see attempt-delays.ts), counted per (account, client address) and, with
 * a larger allowance, per client address across accounts (password spraying). There is no per-account count on
 * its own: then anyone could lock anyone out by guessing wrong on purpose. A throttled attempt answers 429 with
 * Retry-After whatever the email, so the throttle reveals nothing about which emails exist.
 *
 * The client address is Fastify's request.ip: behind a reverse proxy set TOKENHUB_TRUST_PROXY, or every user
 * shares the proxy's address and its allowance. Counts are per instance: behind N instances an attacker gets at
 * most N times the budget.
 */
import type { Clock } from '../shared/clock.js';
import { AttemptDelays, type AttemptCheck, type DelayPolicy } from './attempt-delays.js';

export interface ThrottleLimit {
  /** Failures allowed inside one window; the next attempt is refused until the window ends. */
  maxFailures: number;
  windowMs: number;
}

export interface LoginThrottleOptions {
  perAccountAndIp?: DelayPolicy;
  perIp?: DelayPolicy;
  /** Upper bound on tracked keys of each kind; stale ones are pruned first. */
  maxEntries?: number;
}

export type ThrottleCheck = AttemptCheck;

export interface LoginThrottle {
  /**
   * Counts this attempt as a failure before the password is checked, or refuses it (not counted). Counting first
   * is what stops parallel guesses from all being checked against the same count.
   */
  begin(email: string, ip: string): ThrottleCheck;
  /** The password was right: the (account, address) count starts over, and the address is forgiven this one. */
  succeeded(email: string, ip: string): void;
}

const MINUTE = 60_000;
/** Five free guesses per account from one address, then 1 s, 2 s, 4 s … up to 15 minutes between tries. */
export const DEFAULT_ACCOUNT_IP_POLICY: DelayPolicy = { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 60 * MINUTE };
/** Fifty free failures from one address across all accounts, then the same growing delays. */
export const DEFAULT_IP_POLICY: DelayPolicy = { freeFailures: 50, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 60 * MINUTE };
const DEFAULT_MAX_ENTRIES = 100_000;

interface Window {
  startedAt: number;
  failures: number;
}

/** Fixed-window counter keyed by any string (sign-ups per address). */
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
  const pairs = new AttemptDelays(options.perAccountAndIp ?? DEFAULT_ACCOUNT_IP_POLICY, maxEntries);
  const addresses = new AttemptDelays(options.perIp ?? DEFAULT_IP_POLICY, maxEntries);
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
