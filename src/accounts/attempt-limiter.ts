/**
 * Attempts counted per key, in memory (per instance), for a bounded number of keys. One rule says when a key may
 * try again:
 * - growing delays instead of a hard lock (log-ins, admin tokens): a key may fail `freeFailures` times at no cost;
 *   after that each attempt must wait, after the last one, a delay that doubles with every further failure up to
 *   `maxDelayMs`. Guessing slows to a crawl while the real owner, who fails a few times at most, never meets a
 *   wall that someone else built.
 * - a fixed window (sign-ups per address, count_tokens calls per key): `maxFailures` attempts in a window that
 *   opens at the key's first attempt; the next is refused until the window ends.
 *
 * `attempt` counts before the outcome is known and in the same synchronous step as the check, so parallel
 * requests cannot all pass the check before any of them is counted. A refused attempt is not counted.
 */
export interface DelayPolicy {
  /** Failures allowed before any wait. */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no attempt for this long starts over. */
  forgetAfterMs: number;
}

export interface WindowLimit {
  /** Attempts allowed inside one window; the next attempt is refused until the window ends. */
  maxFailures: number;
  windowMs: number;
}

export type AttemptCheck = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface AttemptRecord {
  failures: number;
  firstAttemptAt: number;
  lastAttemptAt: number;
}

/** When a key may try again, and when its record is forgotten (it starts over). */
export interface AttemptRule {
  readyAt(record: AttemptRecord): number;
  forgetAt(record: AttemptRecord): number;
}

export function growingDelays(policy: DelayPolicy): AttemptRule {
  return {
    readyAt({ failures, lastAttemptAt }) {
      const beyond = failures - policy.freeFailures;
      // 2^beyond grows past any cap within 60 steps; stop there so the number stays finite.
      return beyond < 0 ? lastAttemptAt : lastAttemptAt + Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(beyond, 60));
    },
    forgetAt: (record) => record.lastAttemptAt + policy.forgetAfterMs,
  };
}

export function fixedWindow(limit: WindowLimit): AttemptRule {
  return {
    readyAt: (record) => (record.failures < limit.maxFailures ? Number.NEGATIVE_INFINITY : record.firstAttemptAt + limit.windowMs),
    forgetAt: (record) => record.firstAttemptAt + limit.windowMs,
  };
}

export class AttemptLimiter {
  private readonly records = new Map<string, AttemptRecord>();

  constructor(
    private readonly rule: AttemptRule,
    private readonly maxEntries = 100_000,
  ) {}

  /** Seconds `key` must still wait, without counting anything; 0 when it may try now. */
  waitFor(key: string, now: number): number {
    const record = this.live(key, now);
    if (!record) return 0;
    const readyAt = this.rule.readyAt(record);
    return readyAt > now ? Math.max(1, Math.ceil((readyAt - now) / 1000)) : 0;
  }

  /** Counts an attempt unless it is refused; a refused attempt is not counted. */
  attempt(key: string, now: number): AttemptCheck {
    const wait = this.waitFor(key, now);
    if (wait > 0) return { ok: false, retryAfterSeconds: wait };
    this.record(key, now);
    return { ok: true };
  }

  /** Counts an attempt that was not announced by `attempt` (the caller checked with `waitFor`). */
  record(key: string, now: number): void {
    const record = this.live(key, now);
    if (record) {
      record.failures += 1;
      record.lastAttemptAt = now;
      return;
    }
    if (this.records.size >= this.maxEntries) this.prune(now);
    this.records.set(key, { failures: 1, firstAttemptAt: now, lastAttemptAt: now });
  }

  /** The counted attempt was right: it was no failure after all. */
  forgiveOne(key: string): void {
    const record = this.records.get(key);
    if (!record) return;
    record.failures -= 1;
    if (record.failures <= 0) this.records.delete(key);
  }

  clear(key: string): void {
    this.records.delete(key);
  }

  private live(key: string, now: number): AttemptRecord | undefined {
    const record = this.records.get(key);
    if (record && this.rule.forgetAt(record) <= now) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  private prune(now: number): void {
    for (const [key, record] of this.records) {
      if (this.rule.forgetAt(record) <= now) this.records.delete(key);
    }
    // Still full: forget the oldest records rather than grow without bound.
    let excess = this.records.size - this.maxEntries + 1;
    for (const key of this.records.keys()) {
      if (excess <= 0) break;
      this.records.delete(key);
      excess -= 1;
    }
  }
}
