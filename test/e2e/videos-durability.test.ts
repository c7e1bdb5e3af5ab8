import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdToNanos } from '../../src/billing/money.js';
import { dialects } from '../support/databases.js';
import { createMediaTestSetup, startMediaGateway, type MediaTestGateway, type MediaTestSetup } from '../support/media-test-gateway.js';

const usd = usdToNanos;
const POLL_GAP_MS = 61_000;
const LEASE_MS = 5 * 60_000;
const DEADLINE_MS = 60 * 60_000;

describe.each(dialects)('durable video jobs on %s', (dialect) => {
  let setup: MediaTestSetup;
  let t: MediaTestGateway;

  beforeAll(async () => {
    setup = await createMediaTestSetup(dialect);
    t = await startMediaGateway(setup, { ownerId: 'first', media: { deadlineMs: DEADLINE_MS, leaseMs: LEASE_MS } });
  });
  afterAll(async () => {
    await t?.stop();
    await setup?.dispose();
  });

  const submit = (body: Record<string, unknown>) => t.http('POST', '/api/v1/videos/generations', body);
  const job = (id: string) => t.gateway.store.db.selectFrom('video_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const settlements = async (id: string) =>
    (await t.gateway.store.db.selectFrom('ledger_entries').select('kind').where('job_id', '=', id).execute()).map((row) => row.kind).sort();
  const creates = (provider: string) => t.upstreams.callsFor(provider).filter((call) => call.method === 'POST').length;

  it('resumes a running job after a restart on the same store and settles it once', async () => {
    const before = await t.gateway.billing.getBalance(t.owner.userId);
    const submitted = await submit({ model: 'kling/kling-v2.6', prompt: 'Survives a restart' });
    const upstream = t.tasks.tasks.at(-1)!;
    t.tasks.advance(upstream.id, 'running');
    t.clock.advance(POLL_GAP_MS);
    expect(await t.media.poller.tick()).toBe(1);
    expect((await job(submitted.body.id)).status).toBe('running');

    await t.stop();
    t.tasks.advance(upstream.id, 'succeeded');
    t = await startMediaGateway(setup, { ownerId: 'second', media: { deadlineMs: DEADLINE_MS, leaseMs: LEASE_MS } });
    t.clock.advance(POLL_GAP_MS);
    expect(await t.media.poller.tick()).toBe(1);

    const done = await t.http('GET', `/api/v1/videos/generations/${submitted.body.id}`);
    expect(done.body).toMatchObject({ status: 'succeeded', cost: 0.84 });
    expect(await settlements(submitted.body.id)).toEqual(['hold', 'settle']);
    expect(before.balanceNanos - (await t.gateway.billing.getBalance(t.owner.userId)).balanceNanos).toBe(usd('0.84'));
  });

  it('takes over a job whose worker died holding its lease, once the lease has expired', async () => {
    const submitted = await submit({ model: 'bytedance/doubao-seedance-1.0-pro', prompt: 'Orphaned' });
    t.tasks.advance(t.tasks.tasks.at(-1)!.id, 'succeeded');
    t.clock.advance(POLL_GAP_MS);
    const now = t.clock.now();
    await t.gateway.store.db.updateTable('video_jobs').set({ lease_owner: 'dead-process', lease_until: now + LEASE_MS }).where('id', '=', submitted.body.id).execute();
    expect(await t.media.poller.tick()).toBe(0);
    t.clock.advance(LEASE_MS + 1);
    expect(await t.media.poller.tick()).toBe(1);
    expect((await job(submitted.body.id)).status).toBe('succeeded');
    expect(await settlements(submitted.body.id)).toEqual(['hold', 'settle']);
  });

  it('lets exactly one of two gateway processes polling at the same moment settle a job', async () => {
    const rival = await startMediaGateway(setup, { ownerId: 'rival', media: { deadlineMs: DEADLINE_MS, leaseMs: LEASE_MS } });
    try {
      const submitted = await submit({ model: 'alibaba/wan2.2-t2v-plus', prompt: 'Contested' });
      t.tasks.advance(t.tasks.tasks.at(-1)!.id, 'succeeded');
      t.clock.advance(POLL_GAP_MS);
      const handled = await Promise.all([t.media.poller.tick(), rival.media.poller.tick(), t.media.poller.tick(), rival.media.poller.tick()]);
      expect(handled.reduce((sum, n) => sum + n, 0)).toBe(1);
      expect(await settlements(submitted.body.id)).toEqual(['hold', 'settle']);
      t.clock.advance(POLL_GAP_MS);
      expect(await Promise.all([t.media.poller.tick(), rival.media.poller.tick()])).toEqual([0, 0]);
    } finally {
      await rival.stop();
    }
  });

  it('never resends a create whose outcome is unknown, and refunds it at the deadline', async () => {
    const before = await t.gateway.billing.getBalance(t.owner.userId);
    const createsBefore = creates('kling');
    t.upstreams.enqueueFault('kling', { kind: 'break', afterFrames: 0 });
    const submitted = await submit({ model: 'kling/kling-v2.6', prompt: 'Lost in transit' });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('queued');
    expect(await job(submitted.body.id)).toMatchObject({ status: 'unknown', upstream_task_id: null, billing_state: 'held' });
    expect((await t.gateway.billing.getBalance(t.owner.userId)).heldNanos - before.heldNanos).toBe(usd('0.84'));

    for (let i = 0; i < 3; i++) {
      t.clock.advance(POLL_GAP_MS);
      await t.media.poller.tick();
    }
    expect(creates('kling')).toBe(createsBefore + 1);
    t.clock.advance(DEADLINE_MS);
    await t.media.poller.tick();
    const failed = await t.http('GET', `/api/v1/videos/generations/${submitted.body.id}`);
    expect(failed.body).toMatchObject({ status: 'failed', error: { code: 'upstream_timeout', message: expect.stringContaining('not resubmitted') } });
    expect(creates('kling')).toBe(createsBefore + 1);
    expect(await t.gateway.billing.getBalance(t.owner.userId)).toEqual(before);
  });

  it('resumes an unknown create once an operator names the upstream task, then charges it', async () => {
    t.upstreams.enqueueFault('bytedance', { kind: 'truncate', afterFrames: 0 });
    const submitted = await submit({ model: 'bytedance/doubao-seedance-1.0-pro', prompt: 'Found again', resolution: '480p' });
    expect((await job(submitted.body.id)).status).toBe('unknown');
    const upstream = t.tasks.tasks.at(-1)!;
    const resolved = await t.media.videos.resolveUnknown(submitted.body.id, upstream.id);
    expect(resolved).toMatchObject({ status: 'queued', upstream_task_id: upstream.id });
    t.tasks.advance(upstream.id, 'succeeded');
    t.clock.advance(POLL_GAP_MS);
    await t.media.poller.tick();
    // 5 s × $0.0243 at 480p.
    expect((await t.http('GET', `/api/v1/videos/generations/${submitted.body.id}`)).body).toMatchObject({ status: 'succeeded', cost: 0.1215 });
  });

  it('keeps the ledger reconciled after all of the above', async () => {
    t.clock.advance(DEADLINE_MS * 2);
    await t.media.poller.tick();
    const open = await t.gateway.store.db.selectFrom('video_jobs').select('id').where('billing_state', '=', 'held').execute();
    expect(open).toEqual([]);
    const report = await t.gateway.billing.reconcile();
    expect(report.ok).toBe(true);
    expect(report.accountsChecked).toBeGreaterThanOrEqual(2);
  });
});
