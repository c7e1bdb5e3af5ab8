/**
 * Reconcile names every open hold that nothing will ever close: a job hold whose job is missing, owns another
 * hold or has finished billing, and a request hold past its expiry (its request is gone). Such credit stays
 * frozen until the hold expires, so the command fails on it. Holds of live requests and active jobs are fine.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { usdToNanos } from '../../src/billing/money.js';
import { runReconcileCommand } from '../../src/billing/reconcile-command.js';
import { findStrandedHolds } from '../../src/billing/stranded-holds.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { VideoJobsTable } from '../../src/store/schema.js';
import { DIALECTS, insertUser, openTestStore, type TestStore } from '../support/billing-test-store.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const HOLD_TTL_MS = 10 * 60_000;

describe.each(DIALECTS)('stranded holds on %s', (dialect) => {
  let t: TestStore;
  let clock: ManualClock;
  let billing: BillingService;
  let userId: string;

  beforeEach(async () => {
    t = await openTestStore(dialect, 'stranded');
    clock = new ManualClock();
    billing = createBillingService({ db: t.store.db, clock, options: { holdTtlMs: HOLD_TTL_MS } });
    userId = await insertUser(t.store);
    await billing.grant({ userId, amountNanos: 1_000_000_000n, reason: 'r', actor: 'a' });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function hold(jobId: string | null, amountNanos = 1000n): Promise<string> {
    const reserved = await billing.reserve({ userId, requestId: jobId ?? undefined, jobId, amountNanos, ...(jobId ? { expiresAt: clock.now() + 27 * 3600_000 } : {}) });
    if (!reserved.ok) throw reserved.error;
    return reserved.holdId;
  }

  async function insertJob(id: string, holdId: string, fields: Partial<VideoJobsTable> = {}): Promise<void> {
    const now = clock.now();
    await t.store.db
      .insertInto('video_jobs')
      .values({
        id,
        user_id: userId,
        api_key_id: null,
        request_id: null,
        model: 'm',
        provider: 'p',
        channel_id: null,
        status: 'queued',
        upstream_task_id: null,
        upstream_status: null,
        poll_path: null,
        request_json: '{}',
        duration_seconds: 5,
        resolution: '720p',
        mode: null,
        multiplier: '1',
        hold_id: holdId,
        held_nanos: 1000n,
        cost_nanos: null,
        upstream_cost_nanos: null,
        billed_seconds: null,
        delivered_ms: null,
        billing_state: 'held',
        result_json: null,
        stored_file: null,
        error_code: null,
        error_message: null,
        warnings: null,
        polls: 0,
        poll_errors: 0,
        next_poll_at: now,
        lease_owner: null,
        lease_until: null,
        deadline_at: now + 3600_000,
        callback_url: null,
        callback_state: 'none',
        callback_attempts: 0,
        callback_next_at: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
        ...fields,
      })
      .execute();
  }

  it('lists exactly the holds nothing will close, and the command fails naming them', async () => {
    const liveJobHold = await hold('tsk-live');
    await insertJob('tsk-live', liveJobHold);
    const finishingJobHold = await hold('tsk-finishing');
    // Decided but not yet billed: the poller still owns closing this hold.
    await insertJob('tsk-finishing', finishingJobHold, { status: 'failed', billing_state: 'held' });
    const jobless = await hold('tsk-never-stored');
    const billedJobHold = await hold('tsk-billed');
    await insertJob('tsk-billed', billedJobHold, { status: 'failed', billing_state: 'released' });
    const expiredRequest = await hold(null);
    clock.advance(HOLD_TTL_MS + 1);
    const liveRequest = await hold(null);

    const stranded = await findStrandedHolds(t.store.db, { now: clock.now() });
    expect(stranded.map((s) => s.holdId).sort()).toEqual([jobless, billedJobHold, expiredRequest].sort());
    expect(stranded.find((s) => s.holdId === jobless)).toMatchObject({ userId, jobId: 'tsk-never-stored', amountNanos: 1000n, reason: 'job missing' });
    expect(stranded.find((s) => s.holdId === billedJobHold)?.reason).toBe('job already billed');
    expect(stranded.find((s) => s.holdId === expiredRequest)?.reason).toBe('request hold expired');
    for (const open of [liveJobHold, finishingJobHold, liveRequest]) expect(stranded.map((s) => s.holdId)).not.toContain(open);

    const out: string[] = [];
    const err: string[] = [];
    const code = await runReconcileCommand(t.store.db, { stdout: (line) => out.push(line), stderr: (line) => err.push(line) }, undefined, clock.now());
    expect(code).toBe(1);
    for (const id of [jobless, billedJobHold, expiredRequest]) expect(err.join('\n')).toContain(id);
    expect(out.at(-1)).toMatch(/3 stranded holds/);
  });

  it('passes when every open hold has a live request or job behind it', async () => {
    const liveJobHold = await hold('tsk-live');
    await insertJob('tsk-live', liveJobHold);
    await hold(null);
    expect(await findStrandedHolds(t.store.db, { now: clock.now() })).toEqual([]);
    const code = await runReconcileCommand(t.store.db, { stdout: () => undefined, stderr: () => undefined }, undefined, clock.now());
    expect(code).toBe(0);
  });
});

describe.each(DIALECTS)('the admin reconcile endpoint on %s', (dialect) => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ dialect, providers: ['deepseek'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function reconcile() {
    const res = await request(`${t.url}/api/admin/billing/reconcile`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    return { status: res.statusCode, body: (await res.body.json()) as { ok: boolean; stranded_holds?: Array<{ hold_id: string; user_id: string; job_id: string | null; amount: string; reason: string }> } };
  }

  it('answers 409 naming a hold whose job was never stored, and 200 once it is released', async () => {
    const ghost = await t.gateway.billing.reserve({ userId: t.userId, requestId: 'tsk-ghost', jobId: 'tsk-ghost', amountNanos: usdToNanos('0.12') });
    if (!ghost.ok) throw ghost.error;
    const stranded = await reconcile();
    expect(stranded.status).toBe(409);
    expect(stranded.body.stranded_holds).toEqual([{ hold_id: ghost.holdId, user_id: t.userId, job_id: 'tsk-ghost', amount: '0.12', reason: 'job missing' }]);

    await t.gateway.billing.release(ghost.holdId, 'operator');
    const clean = await reconcile();
    expect(clean).toMatchObject({ status: 200, body: { ok: true, stranded_holds: [] } });
  });
});
