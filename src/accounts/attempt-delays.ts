/**
 * Failed-attempt counting with growing delays instead of a hard lock: a key (an account and address pair, an
 * address) may fail `freeFailures` times at no cost; after that each attempt must wait, after the last one, a
 * delay that doubles with every further failure up to `maxDelayMs`. Guessing slows to a crawl while the real
 * owner, who fails a few times at most, never meets a wall that someone else built.
 *
 * `attempt` counts before the outcome is known and in the same synchronous step as the check, so parallel
 * requests cannot all pass the check before any of them is counted. The caller calls `succeeded` when the
 * attempt turned out right.
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

export type AttemptCheck = { ok: true } | { ok: false; retryAfterSeconds: number };

interface AttemptRecord {
  failures: number;
  lastAttemptAt: number;
}

export class AttemptDelays {
  private readonly records = new Map<string, AttemptRecord>();

  constructor(
    private readonly policy: DelayPolicy,
    private readonly maxEntries = 100_000,
  ) {}

  /** The wait before the next attempt of a key with `failures` counted failures. */
  delayAfter(failures: number): number {
    const beyond = failures - this.policy.freeFailures;
    if (beyond < 0) return 0;
    // 2^beyond grows past any cap within 60 steps; stop there so the number stays finite.
    return Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** Math.min(beyond, 60));
  }

  /** Seconds `key` must still wait, without counting anything; 0 when it may try now. */
  waitFor(key: string, now: number): number {
    const record = this.live(key, now);
    if (!record) return 0;
    const readyAt = record.lastAttemptAt + this.delayAfter(record.failures);
    return readyAt > now ? Math.max(1, Math.ceil((readyAt - now) / 1000)) : 0;
  }

  /** Counts an attempt as a failure unless it is refused; a refused attempt is not counted. */
  attempt(key: string, now: number): AttemptCheck {
    const wait = this.waitFor(key, now);
    if (wait > 0) return { ok: false, retryAfterSeconds: wait };
    this.record(key, now);
    return { ok: true };
  }

  /** Counts a failure that was not announced by `attempt` (the caller checked with `waitFor`). */
  record(key: string, now: number): void {
    const record = this.live(key, now);
    if (record) {
      record.failures += 1;
      record.lastAttemptAt = now;
      return;
    }
    if (this.records.size >= this.maxEntries) this.prune(now);
    this.records.set(key, { failures: 1, lastAttemptAt: now });
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
    if (record && record.lastAttemptAt + this.policy.forgetAfterMs <= now) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  private prune(now: number): void {
    for (const [key, record] of this.records) {
      if (record.lastAttemptAt + this.policy.forgetAfterMs <= now) this.records.delete(key);
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
