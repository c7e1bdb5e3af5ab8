import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { usdToNanos } from '../../src/billing/money.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { RequestLogsTable } from '../../src/store/schema.js';
import { buildBillingTestApp } from '../support/billing-test-app.js';
import { DIALECTS, insertApiKey, insertUser, openTestStore, type TestStore } from '../support/billing-test-store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10, 12);

describe.each(DIALECTS)('billing HTTP API on %s', (dialect) => {
  let t: TestStore;
  let billing: BillingService;
  let app: FastifyInstance;
  let alice: string;
  let bob: string;
  let aliceKey: string;

  async function insertLog(row: Partial<RequestLogsTable> & { id: string; user_id: string }): Promise<void> {
    await t.store.db
      .insertInto('request_logs')
      .values({
        request_id: null,
        api_key_id: null,
        endpoint: '/api/v1/chat/completions',
        model: 'openai/gpt-a',
        provider: 'openai',
        channel_id: null,
        stream: 0,
        status: 200,
        error_code: null,
        latency_ms: 120,
        ttfb_ms: 40,
        prompt_tokens: 10,
        completion_tokens: 5,
        cached_tokens: 0,
        cache_write_tokens: 0,
        reasoning_tokens: 0,
        cost_nanos: 1000n,
        estimated: 0,
        finish_reason: 'stop',
        warnings: null,
        created_at: T0,
        ...row,
      })
      .execute();
  }

  const as = (userId: string) => ({ 'x-test-user': userId });
  const asAdmin = { 'x-test-admin': 'usr_admin' };
  const asSession = (userId: string) => ({ 'x-test-session': userId });

  beforeEach(async () => {
    t = await openTestStore(dialect, 'api');
    billing = createBillingService({ db: t.store.db, clock: new ManualClock(T0) });
    app = await buildBillingTestApp(billing);
    alice = await insertUser(t.store);
    bob = await insertUser(t.store);
    aliceKey = await insertApiKey(t.store, alice);
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  it('shows the balance as exact decimal strings', async () => {
    await billing.grant({ userId: alice, amountNanos: usdToNanos('12.5'), reason: 'r', actor: 'a' });
    await billing.reserve({ userId: alice, amountNanos: usdToNanos('0.000000123') });
    const res = await app.inject({ method: 'GET', url: '/api/billing/balance', headers: as(alice) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ object: 'balance', currency: 'USD', balance: '12.50', held: '0.000000123', available: '12.499999877', debt: '0.00' });
  });

  it('requires authentication, in the OpenAI error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/billing/balance' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'missing_api_key', type: 'authentication_error' } });
  });

  it('pages the ledger newest first', async () => {
    for (const amount of ['1', '2', '3']) await billing.grant({ userId: alice, amountNanos: usdToNanos(amount), reason: `grant ${amount}`, actor: 'a' });
    const first = await app.inject({ method: 'GET', url: '/api/billing/ledger?limit=2', headers: as(alice) });
    const page = first.json();
    expect(page.data.map((e: { amount: string }) => e.amount)).toEqual(['3.00', '2.00']);
    expect(page.data[0]).toMatchObject({ object: 'ledger_entry', seq: 3, kind: 'adjustment', balance_after: '6.00', reason: 'grant 3' });
    expect(page.has_more).toBe(true);
    const second = await app.inject({ method: 'GET', url: `/api/billing/ledger?limit=2&cursor=${page.next_cursor}`, headers: as(alice) });
    expect(second.json()).toMatchObject({ has_more: false, next_cursor: null, data: [{ seq: 1, amount: '1.00' }] });
    const bad = await app.inject({ method: 'GET', url: '/api/billing/ledger?cursor=nonsense', headers: as(alice) });
    expect(bad.statusCode).toBe(400);
  });

  describe('usage records', () => {
    beforeEach(async () => {
      await insertLog({ id: 'gen-1', user_id: alice, api_key_id: aliceKey, model: 'openai/gpt-a', cost_nanos: 1_500_000n, created_at: T0 });
      await insertLog({ id: 'gen-2', user_id: alice, api_key_id: 'key_other', model: 'anthropic/claude-b', cost_nanos: 2_000_000n, created_at: T0 + DAY, estimated: 1 });
      await insertLog({ id: 'gen-3', user_id: alice, api_key_id: aliceKey, model: 'openai/gpt-a', cost_nanos: 500_000n, created_at: T0 + DAY + 1000, prompt_tokens: 100 });
      await insertLog({ id: 'gen-4', user_id: alice, model: 'openai/gpt-a', cost_nanos: null, status: 502, error_code: 'upstream_error', created_at: T0 + 2 * DAY });
      await insertLog({ id: 'gen-bob', user_id: bob, model: 'openai/gpt-a', cost_nanos: 9_000_000n, created_at: T0 });
    });

    it('lists the caller’s records newest first, paged, filtered by key, model and date', async () => {
      const all = await app.inject({ method: 'GET', url: '/api/billing/usage?limit=3', headers: as(alice) });
      const page = all.json();
      expect(page.data.map((r: { id: string }) => r.id)).toEqual(['gen-4', 'gen-3', 'gen-2']);
      expect(page.data[2]).toMatchObject({ object: 'usage_record', cost: '0.002', estimated: true, model: 'anthropic/claude-b' });
      expect(page.data[0]).toMatchObject({ cost: null, status: 502, error_code: 'upstream_error' });
      const rest = await app.inject({ method: 'GET', url: `/api/billing/usage?limit=3&cursor=${page.next_cursor}`, headers: as(alice) });
      expect(rest.json().data.map((r: { id: string }) => r.id)).toEqual(['gen-1']);

      const byKey = await app.inject({ method: 'GET', url: `/api/billing/usage?key_id=${aliceKey}`, headers: as(alice) });
      expect(byKey.json().data.map((r: { id: string }) => r.id)).toEqual(['gen-3', 'gen-1']);
      const byModel = await app.inject({ method: 'GET', url: '/api/billing/usage?model=anthropic/claude-b', headers: as(alice) });
      expect(byModel.json().data.map((r: { id: string }) => r.id)).toEqual(['gen-2']);
      const from = new Date(T0 + DAY).toISOString();
      const byDate = await app.inject({ method: 'GET', url: `/api/billing/usage?from=${from}&to=${T0 + 2 * DAY}`, headers: as(alice) });
      expect(byDate.json().data.map((r: { id: string }) => r.id)).toEqual(['gen-3', 'gen-2']);
    });

    it('refuses a user_id filter on the caller’s own view', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/billing/usage?user_id=${bob}`, headers: as(alice) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.param).toBe('user_id');
    });

    it('sums spend by day (in the caller’s offset) and by model', async () => {
      const daily = await app.inject({ method: 'GET', url: '/api/billing/spend/daily', headers: as(alice) });
      expect(daily.json().data).toEqual([
        { day: '2026-01-10', cost: '0.0015', requests: 1 },
        { day: '2026-01-11', cost: '0.0025', requests: 2 },
        { day: '2026-01-12', cost: '0.00', requests: 1 },
      ]);
      const shifted = await app.inject({ method: 'GET', url: '/api/billing/spend/daily?utc_offset_minutes=720', headers: as(alice) });
      expect(shifted.json().data.map((d: { day: string }) => d.day)).toEqual(['2026-01-11', '2026-01-12', '2026-01-13']);
      const models = await app.inject({ method: 'GET', url: '/api/billing/spend/models', headers: as(alice) });
      expect(models.json().data).toEqual([
        { model: 'anthropic/claude-b', cost: '0.002', requests: 1, prompt_tokens: 10, completion_tokens: 5 },
        { model: 'openai/gpt-a', cost: '0.002', requests: 3, prompt_tokens: 120, completion_tokens: 15 },
      ]);
    });

    it('exports CSV with exact costs', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/billing/usage.csv?model=openai/gpt-a`, headers: as(alice) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      const lines = res.body.trimEnd().split('\r\n');
      expect(lines[0]).toMatch(/^id,created_at,api_key_id,endpoint,model/);
      expect(lines).toHaveLength(4);
      expect(lines[3]).toContain('gen-1,2026-01-10T12:00:00.000Z');
      expect(lines[3]).toContain(',0.0015,false,');
      expect(res.body).not.toContain('gen-bob');
    });

    it('returns a generation to its owner only', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/generation?id=gen-2', headers: as(alice) });
      expect(res.statusCode).toBe(200);
      expect(res.json().data).toMatchObject({
        object: 'generation',
        id: 'gen-2',
        model: 'anthropic/claude-b',
        provider: 'openai',
        prompt_tokens: 10,
        completion_tokens: 5,
        total_tokens: 15,
        cost: 0.002,
        cost_usd: '0.002',
        latency_ms: 120,
        estimated: true,
      });
      const other = await app.inject({ method: 'GET', url: '/api/v1/generation?id=gen-2', headers: as(bob) });
      expect(other.statusCode).toBe(404);
      const missing = await app.inject({ method: 'GET', url: '/api/v1/generation?id=gen-none', headers: as(alice) });
      expect(missing.statusCode).toBe(404);
      const noId = await app.inject({ method: 'GET', url: '/api/v1/generation', headers: as(alice) });
      expect(noId.statusCode).toBe(400);
    });

    it('gives the admin every user’s usage, filterable by user', async () => {
      const all = await app.inject({ method: 'GET', url: '/api/admin/billing/usage?limit=100', headers: asAdmin });
      expect(all.json().data).toHaveLength(5);
      const bobs = await app.inject({ method: 'GET', url: `/api/admin/billing/usage?user_id=${bob}`, headers: asAdmin });
      expect(bobs.json().data.map((r: { id: string }) => r.id)).toEqual(['gen-bob']);
      const aliceView = await app.inject({ method: 'GET', url: `/api/admin/billing/users/${alice}/spend/models`, headers: asAdmin });
      expect(aliceView.json().data).toHaveLength(2);
      const platformDaily = await app.inject({ method: 'GET', url: '/api/admin/billing/spend/daily', headers: asAdmin });
      expect(platformDaily.json().data[0]).toEqual({ day: '2026-01-10', cost: '0.0105', requests: 2 });
      const denied = await app.inject({ method: 'GET', url: '/api/admin/billing/usage', headers: as(alice) });
      expect(denied.statusCode).toBe(403);
    });
  });

  it('redeems a code over HTTP once', async () => {
    const batch = await app.inject({ method: 'POST', url: '/api/admin/billing/redemption-batches', headers: asAdmin, payload: { amount: '2.50', count: 2, note: 'promo' } });
    expect(batch.statusCode).toBe(201);
    const codes: string[] = batch.json().codes;
    expect(codes).toHaveLength(2);
    const first = await app.inject({ method: 'POST', url: '/api/billing/redeem', headers: as(alice), payload: { code: codes[0] } });
    expect(first.json()).toEqual({ object: 'redemption', amount: '2.50', balance: '2.50' });
    const second = await app.inject({ method: 'POST', url: '/api/billing/redeem', headers: as(bob), payload: { code: codes[0] } });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toMatch(/already been used/);
    const list = await app.inject({ method: 'GET', url: '/api/admin/billing/redemption-batches', headers: asAdmin });
    expect(list.json().data[0]).toMatchObject({ amount: '2.50', count: 2, redeemed: 1, note: 'promo', created_by: 'usr_admin' });
  });

  it('lets a user set a spend limit on their own key only, from a dashboard session', async () => {
    const put = await app.inject({ method: 'PUT', url: `/api/billing/keys/${aliceKey}/limit`, headers: asSession(alice), payload: { total_limit: '10', period: 'day', period_limit: '1.50' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ key_id: aliceKey, total_limit: '10.00', period: 'day', period_limit: '1.50', spent_total: '0.00', held: '0.00' });
    const foreign = await app.inject({ method: 'GET', url: `/api/billing/keys/${aliceKey}/limit`, headers: as(bob) });
    expect(foreign.statusCode).toBe(404);
    const half = await app.inject({ method: 'PUT', url: `/api/billing/keys/${aliceKey}/limit`, headers: asSession(alice), payload: { period: 'month' } });
    expect(half.statusCode).toBe(400);
    const float = await app.inject({ method: 'PUT', url: `/api/billing/keys/${aliceKey}/limit`, headers: asSession(alice), payload: { total_limit: 1.5 } });
    expect(float.statusCode).toBe(400);
    const admin = await app.inject({ method: 'GET', url: `/api/admin/billing/keys/${aliceKey}/limit`, headers: asAdmin });
    expect(admin.json()).toMatchObject({ total_limit: '10.00' });
  });

  describe('admin money routes', () => {
    it('grants and deducts with a required reason, and shows the user’s ledger', async () => {
      const grant = await app.inject({ method: 'POST', url: `/api/admin/billing/users/${alice}/adjustments`, headers: asAdmin, payload: { type: 'grant', amount: '5', reason: 'welcome' } });
      expect(grant.statusCode).toBe(201);
      expect(grant.json()).toMatchObject({ type: 'grant', amount: '5.00', balance: '5.00' });
      const noReason = await app.inject({ method: 'POST', url: `/api/admin/billing/users/${alice}/adjustments`, headers: asAdmin, payload: { type: 'grant', amount: '5' } });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().error.param).toBe('reason');
      const tooMuch = await app.inject({ method: 'POST', url: `/api/admin/billing/users/${alice}/adjustments`, headers: asAdmin, payload: { type: 'deduct', amount: '6', reason: 'x' } });
      expect(tooMuch.statusCode).toBe(409);
      const deduct = await app.inject({ method: 'POST', url: `/api/admin/billing/users/${alice}/adjustments`, headers: asAdmin, payload: { type: 'deduct', amount: '1.25', reason: 'fee' } });
      expect(deduct.json()).toMatchObject({ balance: '3.75' });
      const ledger = await app.inject({ method: 'GET', url: `/api/admin/billing/users/${alice}/ledger`, headers: asAdmin });
      expect(ledger.json().data[0]).toMatchObject({ amount: '-1.25', reason: 'fee', actor: 'usr_admin' });
      const balance = await app.inject({ method: 'GET', url: `/api/admin/billing/users/${alice}/balance`, headers: asAdmin });
      expect(balance.json()).toMatchObject({ balance: '3.75' });
      const unknown = await app.inject({ method: 'POST', url: '/api/admin/billing/users/usr_none/adjustments', headers: asAdmin, payload: { type: 'grant', amount: '1', reason: 'x' } });
      expect(unknown.statusCode).toBe(404);
    });

    it('refunds a request and reports platform totals', async () => {
      await billing.grant({ userId: alice, amountNanos: usdToNanos('1'), reason: 'r', actor: 'a' });
      const hold = await billing.reserve({ userId: alice, requestId: 'gen-x', amountNanos: usdToNanos('0.5') });
      if (!hold.ok) throw hold.error;
      await billing.settle(hold.holdId, { costNanos: usdToNanos('0.3'), upstreamCostNanos: usdToNanos('0.2'), estimated: false });
      const refund = await app.inject({ method: 'POST', url: '/api/admin/billing/refunds', headers: asAdmin, payload: { request_id: 'gen-x', amount: '0.1', reason: 'slow' } });
      expect(refund.statusCode).toBe(201);
      expect(refund.json()).toMatchObject({ amount: '0.10', balance: '0.80' });
      const totals = await app.inject({ method: 'GET', url: '/api/admin/billing/totals', headers: asAdmin });
      expect(totals.json()).toMatchObject({ charged: '0.30', refunded: '0.10', revenue: '0.20', upstream_cost: '0.20', margin: '0.00', adjustments: '1.00', outstanding_balance: '0.80' });
      const later = await app.inject({ method: 'GET', url: `/api/admin/billing/totals?from=${T0 + 1}`, headers: asAdmin });
      expect(later.json()).toMatchObject({ charged: '0.00', revenue: '0.00' });
    });

    it('proves the ledger with the reconcile endpoint', async () => {
      await billing.grant({ userId: alice, amountNanos: usdToNanos('1'), reason: 'r', actor: 'a' });
      const ok = await app.inject({ method: 'GET', url: '/api/admin/billing/reconcile', headers: asAdmin });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ object: 'reconciliation', ok: true, accounts_checked: 1, accounts: [], stranded_holds: [] });
      await t.store.db.updateTable('accounts').set({ held_nanos: 5n }).where('user_id', '=', alice).execute();
      const bad = await app.inject({ method: 'GET', url: '/api/admin/billing/reconcile', headers: asAdmin });
      expect(bad.statusCode).toBe(409);
      expect(bad.json().accounts[0]).toMatchObject({ user_id: alice, ok: false, held: '0.000000005', ledger_held: '0.00' });
    });

    it('manages group multipliers and per-model overrides', async () => {
      const group = await app.inject({ method: 'PUT', url: '/api/admin/billing/groups/vip', headers: asAdmin, payload: { name: 'VIP', multiplier: '0.850' } });
      expect(group.json()).toMatchObject({ id: 'vip', multiplier: '0.85' });
      const float = await app.inject({ method: 'PUT', url: '/api/admin/billing/groups/vip', headers: asAdmin, payload: { name: 'VIP', multiplier: 0.85 } });
      expect(float.statusCode).toBe(400);
      const groups = await app.inject({ method: 'GET', url: '/api/admin/billing/groups', headers: asAdmin });
      expect(groups.json().data.map((g: { id: string }) => g.id)).toEqual(['default', 'vip']);
      const override = await app.inject({ method: 'PUT', url: '/api/admin/billing/model-multipliers', headers: asAdmin, payload: { model: 'openai/gpt-a', multiplier: '1.2', group_id: 'vip' } });
      expect(override.json()).toMatchObject({ model: 'openai/gpt-a', group_id: 'vip', multiplier: '1.2' });
      expect((await billing.multiplierFor('vip', 'openai/gpt-a')).text).toBe('1.2');
      const list = await app.inject({ method: 'GET', url: '/api/admin/billing/model-multipliers', headers: asAdmin });
      expect(list.json().data).toHaveLength(1);
      const removed = await app.inject({ method: 'DELETE', url: '/api/admin/billing/model-multipliers?model=openai/gpt-a&group_id=vip', headers: asAdmin });
      expect(removed.statusCode).toBe(204);
      const again = await app.inject({ method: 'DELETE', url: '/api/admin/billing/model-multipliers?model=openai/gpt-a&group_id=vip', headers: asAdmin });
      expect(again.statusCode).toBe(404);
    });
  });
});
