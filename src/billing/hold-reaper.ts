/**
 * Runs the expired-hold reaper on a timer. Holds expire when the process that placed them died mid-request;
 * any instance may reap them (each release is its own transaction under the account lock).
 */
export interface HoldReaperDeps {
  reapExpiredHolds(): Promise<number>;
  intervalMs: number;
  /** Where a failed pass is reported; the next tick tries again. */
  onError(error: unknown): void;
}

/** Starts the timer (unref'd, so it never keeps the process alive); returns a stop function. */
export function startHoldReaper(deps: HoldReaperDeps): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deps
      .reapExpiredHolds()
      .catch(deps.onError)
      .finally(() => {
        running = false;
      });
  }, deps.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * How often to look for expired holds: a quarter of the hold TTL, so a dead request's hold comes back at most
 * a quarter-TTL after it expires; never more often than once a second, never less than once a minute.
 */
export function holdReaperIntervalMs(holdTtlMs: number): number {
  return Math.min(60_000, Math.max(1_000, Math.floor(holdTtlMs / 4)));
}
