/**
 * Keeps the holds of live requests from expiring: a stream may run longer than the hold TTL, and the reaper
 * must only free holds whose process died. Every third of the TTL, the holds of every request still live in
 * this process get a fresh expiry; once the process dies the renewals stop and the reaper takes over.
 */
import type { LiveRequests } from './live-requests.js';

export interface HoldRenewalDeps {
  live: Pick<LiveRequests, 'generationIds'>;
  /** Pushes the expiry of the open holds placed for these generation ids one TTL from now. */
  renewHolds(generationIds: string[]): Promise<number>;
  holdTtlMs: number;
  /** Where a failed pass is reported; the next tick tries again. */
  onError(error: unknown): void;
}

/** A third of the TTL leaves two more chances should a renewal fail. */
export function holdRenewalIntervalMs(holdTtlMs: number): number {
  return Math.max(10, Math.floor(holdTtlMs / 3));
}

/** Starts the timer (unref'd, so it never keeps the process alive); returns a stop function. */
export function startHoldRenewal(deps: HoldRenewalDeps): () => void {
  let running = false;
  const timer = setInterval(() => {
    const ids = deps.live.generationIds();
    if (running || ids.length === 0) return;
    running = true;
    deps
      .renewHolds(ids)
      .catch(deps.onError)
      .finally(() => {
        running = false;
      });
  }, holdRenewalIntervalMs(deps.holdTtlMs));
  timer.unref();
  return () => clearInterval(timer);
}
