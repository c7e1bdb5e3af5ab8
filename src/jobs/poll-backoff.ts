/**
 * Delays between polls (and callback retries): exponential from a base up to a cap, each spread by ±20 % so
 * jobs submitted together do not poll together forever.
 */

export interface BackoffRule {
  baseMs: number;
  maxMs: number;
  factor: number;
}

/** Delay before try number `attempt` (0 = the first wait); `random` is in [0, 1). */
export function computeBackoffDelay(attempt: number, rule: BackoffRule, random: () => number): number {
  const exponential = rule.baseMs * rule.factor ** Math.min(attempt, 50);
  const capped = Math.min(rule.maxMs, exponential);
  return Math.round(capped * (0.8 + 0.4 * random()));
}
