/**
 * Review findings on the video money path: a job's charge is fixed by what it held, so a catalog price
 * raised by an admin while the job runs can neither wedge the job nor leave its hold open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdToNanos } from '../../src/billing/money.js';
import { createMediaTestSetup, startMediaGateway, type MediaTestGateway, type MediaTestSetup } from '../support/media-test-gateway.js';

/** Longer than any poll delay (the backoff caps at one minute). */
const POLL_GAP_MS = 61_000;
const MODEL = 'bytedance/doubao-seedance-1.0-pro';

describe('video money path (review)', () => {
  let setup: MediaTestSetup;
  let t: MediaTestGateway;

  beforeAll(async () => {
    setup = await createMediaTestSetup('sqlite');
    t = await startMediaGateway(setup);
  });
  afterAll(async () => {
    await t?.stop();
    await setup?.dispose();
  });

  it('finishes and settles a job at its held price after an admin raises the model price mid-job', async () => {
    const before = await t.gateway.billing.getBalance(t.owner.userId);
    const submitted = await t.http('POST', '/api/v1/videos/generations', { model: MODEL, prompt: 'A kite over a beach', duration: 5, resolution: '720p' });
    expect(submitted.status).toBe(200);
    const id = submitted.body.id as string;
    const upstream = t.tasks.tasks.at(-1)!;

    await t.gateway.catalog.patch(MODEL, {
      pricing: { perSecond: [{ resolution: '480p', usd: '0.0486' }, { resolution: '720p', usd: '0.108' }, { resolution: '1080p', usd: '0.243' }] },
    });
    t.tasks.advance(upstream.id, 'succeeded');
    t.clock.advance(POLL_GAP_MS);
    await t.media.poller.tick();

    const done = await t.http('GET', `/api/v1/videos/generations/${id}`);
    expect(done.body).toMatchObject({ id, status: 'succeeded', cost: 0.27 });
    const after = await t.gateway.billing.getBalance(t.owner.userId);
    expect(before.balanceNanos - after.balanceNanos).toBe(usdToNanos('0.27'));
    expect(after.heldNanos).toBe(before.heldNanos);
  });
});
