import { describe, expect, it } from 'vitest';
import { defaultMediaJobsOptions, toMediaJobsOptions } from '../../../src/jobs/media-jobs-options.js';
import { computeBackoffDelay } from '../../../src/jobs/poll-backoff.js';

describe('media job options', () => {
  it('keeps the defaults when nothing is set and reads what is', () => {
    expect(toMediaJobsOptions({})).toEqual(defaultMediaJobsOptions);
    expect(toMediaJobsOptions({ deadlineMs: '600000', storeResults: 'on', callbackMaxAttempts: '3' })).toMatchObject({
      deadlineMs: 600_000,
      storeResults: true,
      callbackMaxAttempts: 3,
    });
  });

  it('names the variable of an unusable value instead of guessing', () => {
    expect(() => toMediaJobsOptions({ deadlineMs: '10m' })).toThrow(/TOKENHUB_VIDEO_DEADLINE_MS/);
    expect(() => toMediaJobsOptions({ batch: '0' })).toThrow(/TOKENHUB_VIDEO_BATCH/);
    expect(() => toMediaJobsOptions({ storeResults: 'maybe' })).toThrow(/TOKENHUB_VIDEO_STORE_RESULTS/);
    expect(() => toMediaJobsOptions({ pollMinDelayMs: '90000' })).toThrow(/POLL_MIN_DELAY_MS is above/);
    expect(() => toMediaJobsOptions({ leaseMs: '60000' })).toThrow(/TOKENHUB_VIDEO_LEASE_MS must exceed/);
  });
});

describe('poll backoff', () => {
  const rule = { baseMs: 5_000, maxMs: 60_000, factor: 1.5 };

  it('grows by the factor up to the cap', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 10].map((attempt) => computeBackoffDelay(attempt, rule, middle))).toEqual([5_000, 7_500, 11_250, 16_875, 60_000]);
  });

  it('spreads each delay by ±20 %', () => {
    expect(computeBackoffDelay(0, rule, () => 0)).toBe(4_000);
    expect(computeBackoffDelay(0, rule, () => 0.999999)).toBe(6_000);
    expect(computeBackoffDelay(40, rule, () => 0.999999)).toBe(72_000);
  });
});
