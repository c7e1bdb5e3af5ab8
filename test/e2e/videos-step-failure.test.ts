/**
 * A job whose processing step keeps throwing (here: the operator dropped the job's resolution and its price
 * from the catalog while it ran, so the finished job cannot be priced) is retried with backoff, not once per
 * lease forever, and at its deadline fails with its hold released, like a job the upstream never finished.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdToNanos } from '../../src/billing/money.js';
import { dialects } from '../support/databases.js';
import { createMediaTestSetup, startMediaGateway, type MediaTestGateway, type MediaTestSetup } from '../support/media-test-gateway.js';

const POLL_GAP_MS = 61_000;
const LEASE_MS = 5 * 60_000;
const DEADLINE_MS = 60 * 60_000;
const MODEL = 'bytedance/doubao-seedance-1.0-pro';

describe.each(dialects)('a video job whose step throws on %s', (dialect) => {
  let setup: MediaTestSetup;
  let t: MediaTestGateway;

  beforeAll(async () => {
    setup = await createMediaTestSetup(dialect);
    t = await startMediaGateway(setup, { ownerId: 'worker', media: { deadlineMs: DEADLINE_MS, leaseMs: LEASE_MS } });
  });
  afterAll(async () => {
    await t?.stop();
    await setup?.dispose();
  });

  const job = (id: string) => t.gateway.store.db.selectFrom('video_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const ledgerKinds = async (id: string) =>
    (await t.gateway.store.db.selectFrom('ledger_entries').select('kind').where('job_id', '=', id).execute()).map((row) => row.kind).sort();

  it('backs off while the step throws, then fails the job at the deadline and releases the hold', async () => {
    const before = await t.gateway.billing.getBalance(t.owner.userId);
    const submitted = await t.http('POST', '/api/v1/videos/generations', { model: MODEL, prompt: 'A lighthouse at dusk', duration: 5, resolution: '720p' });
    expect(submitted.status).toBe(200);
    const id = submitted.body.id as string;
    expect((await t.gateway.billing.getBalance(t.owner.userId)).heldNanos - before.heldNanos).toBe(usdToNanos('0.27'));

    await t.gateway.catalog.patch(MODEL, {
      video: { resolutions: ['480p', '1080p'] },
      pricing: { perSecond: [{ resolution: '480p', usd: '0.0243' }, { resolution: '1080p', usd: '0.1215' }] },
    });
    t.tasks.advance(t.tasks.tasks.at(-1)!.id, 'succeeded');
    t.clock.advance(POLL_GAP_MS);
    expect(await t.media.poller.tick()).toBe(1);

    const retrying = await job(id);
    expect(retrying).toMatchObject({ status: 'queued', billing_state: 'held', poll_errors: 1, lease_owner: null, lease_until: null });
    expect(retrying.next_poll_at).toBeGreaterThan(t.clock.now());
    expect(retrying.next_poll_at).toBeLessThanOrEqual(t.clock.now() + POLL_GAP_MS);
    expect(await t.media.poller.tick()).toBe(0);

    t.clock.advance(DEADLINE_MS);
    expect(await t.media.poller.tick()).toBe(1);
    expect(await job(id)).toMatchObject({ status: 'failed', error_code: 'upstream_timeout', billing_state: 'released', next_poll_at: null, lease_owner: null });
    expect(await ledgerKinds(id)).toEqual(['hold', 'release']);
    expect(await t.gateway.billing.getBalance(t.owner.userId)).toEqual(before);

    const shown = await t.http('GET', `/api/v1/videos/generations/${id}`);
    expect(shown.body).toMatchObject({ id, status: 'failed' });
    t.clock.advance(POLL_GAP_MS);
    expect(await t.media.poller.tick()).toBe(0);
    expect(await ledgerKinds(id)).toEqual(['hold', 'release']);
  });
});
