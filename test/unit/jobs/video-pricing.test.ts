import { describe, expect, it } from 'vitest';
import { readCatalogFile } from '../../../src/catalog/catalog-file.js';
import { usdToNanos } from '../../../src/billing/money.js';
import { parseMultiplier } from '../../../src/billing/multiplier.js';
import { computeVideoCharge, priceVideo, readDeliveredSeconds, toBilledSeconds } from '../../../src/jobs/video-pricing.js';

const models = new Map(readCatalogFile().map((model) => [model.id, model]));
const kling = models.get('kling/kling-v2.6')!;
const seedance = models.get('bytedance/doubao-seedance-1.0-pro')!;

describe('video billed seconds', () => {
  it.each([
    [5, undefined, 5],
    [5, 5, 5],
    [5, 5.1, 5],
    [5, 4.5, 5],
    [5, 4.49, 4],
    [10, 10.4, 10],
    [5, 12, 5],
    [5, 0.2, 0],
    [5, Number.NaN, 5],
    [5, -1, 5],
  ])('requested %d s, delivered %s s → %d s billed', (requested, delivered, billed) => {
    expect(toBilledSeconds(requested, delivered)).toBe(billed);
  });
});

describe('video prices', () => {
  it('prices Kling by mode and Seedance by resolution, with the multiplier applied once', () => {
    expect(priceVideo(kling, { seconds: 5, mode: 'pro', resolution: '1080p' }, parseMultiplier('1'))).toBe(usdToNanos('1.12'));
    expect(priceVideo(kling, { seconds: 10, mode: 'std', resolution: '720p' }, parseMultiplier('1.25'))).toBe(usdToNanos('2.1'));
    expect(priceVideo(seedance, { seconds: 3, mode: undefined, resolution: '480p' }, parseMultiplier('1'))).toBe(usdToNanos('0.0729'));
  });

  it('charges the produced seconds at the submit-time multiplier and never more than the hold', () => {
    const job = { duration_seconds: 10, mode: 'std', resolution: '720p', multiplier: '1.5', held_nanos: usdToNanos('2.52') };
    expect(computeVideoCharge(kling, job, 5.2)).toEqual({ billedSeconds: 5, costNanos: usdToNanos('1.26'), upstreamCostNanos: usdToNanos('0.84') });
    expect(computeVideoCharge(kling, job, 30).costNanos).toBe(usdToNanos('2.52'));
    // The price went up after the hold (here: a hold of $1 for 10 s): the job pays the held rate, $0.10/s.
    expect(computeVideoCharge(kling, { ...job, held_nanos: usdToNanos('1') }, undefined).costNanos).toBe(usdToNanos('1'));
    expect(computeVideoCharge(kling, { ...job, held_nanos: usdToNanos('1') }, 4).costNanos).toBe(usdToNanos('0.4'));
  });

  it('reads delivered seconds from usage, else from every video, else not at all', () => {
    const base = { status: 'succeeded' as const, upstreamStatus: 'succeed' };
    expect(readDeliveredSeconds({ ...base, videos: [{ url: 'u', durationSeconds: 9 }], usage: { videoSeconds: 5 } })).toBe(5);
    expect(readDeliveredSeconds({ ...base, videos: [{ url: 'a', durationSeconds: 5 }, { url: 'b', durationSeconds: 5.1 }], usage: {} })).toBeCloseTo(10.1);
    expect(readDeliveredSeconds({ ...base, videos: [{ url: 'a', durationSeconds: 5 }, { url: 'b' }], usage: {} })).toBeUndefined();
  });
});
