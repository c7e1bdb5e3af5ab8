/**
 * Amounts beyond one operation's maximum (1,000,000,000 USD, well inside the 64-bit nano-dollar columns) are
 * a 400 naming the field, never a database overflow, and change nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { MAX_BALANCE_NANOS, MAX_OPERATION_NANOS, usdToNanos } from '../../src/billing/money.js';
import { ManualClock } from '../../src/shared/clock.js';
import { buildBillingTestApp } from '../support/billing-test-app.js';
import { DIALECTS, insertApiKey, insertUser, openTestStore, type TestStore } from '../support/billing-test-store.js';

const TOO_MUCH = '99999999999';

describe.each(DIALECTS)('billing amount bounds on %s', (dialect) => {
  let t: TestStore;
  let billing: BillingService;
  let app: FastifyInstance;
  let alice: string;
  let aliceKey: string;
  const asAdmin = { 'x-test-admin': 'usr_admin' };

  beforeEach(async () => {
    t = await openTestStore(dialect, 'bounds');
    billing = createBillingService({ db: t.store.db, clock: new ManualClock(Date.UTC(2026, 0, 10)) });
    app = await buildBillingTestApp(billing);
    alice = await insertUser(t.store);
    aliceKey = await insertApiKey(t.store, alice);
    await billing.grant({ userId: alice, amountNanos: usdToNanos('5'), reason: 'test credit', actor: 'test' });
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  const send = (method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>, headers: Record<string, string> = asAdmin) =>
    app.inject({ method, url, headers, payload });
  const expectRefused = (res: Awaited<ReturnType<typeof send>>, param: string) => {
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_request', param });
  };

  it('refuses a grant or deduct above the maximum, as a string or a JSON number, and leaves the balance alone', async () => {
    const url = `/api/admin/billing/users/${alice}/adjustments`;
    expectRefused(await send('POST', url, { type: 'grant', amount: TOO_MUCH, reason: 'typo' }), 'amount');
    expectRefused(await send('POST', url, { type: 'grant', amount: 99_999_999_999, reason: 'typo' }), 'amount');
    expectRefused(await send('POST', url, { type: 'deduct', amount: '1000000000.000000001', reason: 'typo' }), 'amount');
    expect((await billing.getBalance(alice)).balanceNanos).toBe(usdToNanos('5'));
    expect((await billing.reconcile()).ok).toBe(true);
  });

  it('accepts exactly the maximum', async () => {
    const grant = await send('POST', `/api/admin/billing/users/${alice}/adjustments`, { type: 'grant', amount: '1000000000', reason: 'whale' });
    expect(grant.statusCode).toBe(201);
    expect((await billing.getBalance(alice)).balanceNanos).toBe(MAX_OPERATION_NANOS + usdToNanos('5'));
  });

  it('refuses a grant that would lift the balance above the largest an account may hold, and changes nothing', async () => {
    const url = `/api/admin/billing/users/${alice}/adjustments`;
    for (let i = 0; i < 8; i++) expect((await send('POST', url, { type: 'grant', amount: '1000000000', reason: 'whale' })).statusCode).toBe(201);
    const before = await billing.getBalance(alice);
    expect(before.balanceNanos).toBe(8n * MAX_OPERATION_NANOS + usdToNanos('5'));
    const refused = await send('POST', url, { type: 'grant', amount: '1000000000', reason: 'one too many' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'conflict', message: expect.stringContaining('9000000000') });
    expect(await billing.getBalance(alice)).toEqual(before);
    expect((await send('POST', url, { type: 'grant', amount: '999999995', reason: 'up to the ceiling' })).statusCode).toBe(201);
    expect((await billing.getBalance(alice)).balanceNanos).toBe(MAX_BALANCE_NANOS);
    expect((await billing.reconcile()).ok).toBe(true);
  });

  it('refuses an oversized refund, redemption batch and checkout', async () => {
    expectRefused(await send('POST', '/api/admin/billing/refunds', { request_id: 'gen-1', amount: TOO_MUCH, reason: 'typo' }), 'amount');
    expectRefused(await send('POST', '/api/admin/billing/redemption-batches', { amount: TOO_MUCH, count: 1 }), 'amount');
    expect(await billing.listRedemptionBatches()).toEqual([]);
    expectRefused(await send('POST', '/api/billing/checkout', { amount: TOO_MUCH }, { 'x-test-user': alice }), 'amount');
    expect((await billing.getBalance(alice)).balanceNanos).toBe(usdToNanos('5'));
  });

  it('refuses an oversized key spend limit and keeps the key without one', async () => {
    const url = `/api/admin/billing/keys/${aliceKey}/limit`;
    expectRefused(await send('PUT', url, { total_limit: TOO_MUCH }), 'total_limit');
    expectRefused(await send('PUT', url, { period: 'day', period_limit: TOO_MUCH }), 'period_limit');
    expect((await billing.getKeySpend(aliceKey)).limit).toBeUndefined();
  });

  it('refuses a group multiplier beyond six integer digits', async () => {
    expectRefused(await send('PUT', '/api/admin/billing/groups/vip', { name: 'VIP', multiplier: '99999999999' }), 'multiplier');
    expect(await billing.listGroups()).not.toContainEqual(expect.objectContaining({ id: 'vip' }));
  });
});
