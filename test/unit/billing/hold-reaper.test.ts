import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHoldReaper } from '../../../src/billing/hold-reaper.js';

describe('startHoldReaper', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reaps on every tick, never overlapping passes, reports failures and stops', async () => {
    vi.useFakeTimers();
    let calls = 0;
    let finish: (() => void) | undefined;
    const errors: unknown[] = [];
    const stop = startHoldReaper({
      intervalMs: 1000,
      onError: (error) => errors.push(error),
      reapExpiredHolds: () => {
        calls += 1;
        if (calls === 2) return Promise.reject(new Error('db down'));
        return new Promise<number>((resolve) => (finish = () => resolve(0)));
      },
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toBe(1);
    finish?.();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(2);
  });
});
