import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { usdToNanos } from '../../src/billing/money.js';
import { ManualClock } from '../../src/shared/clock.js';
import { DIALECTS, insertUser, openTestStore, type TestStore } from '../support/billing-test-store.js';

const TTL = 60_000;

describe.each(DIALECTS)('expired holds on %s', (dialect) => {
  let t: TestStore;
  let clock: ManualClock;
  let billing: BillingService;
  let userId: string;

  beforeEach(async () => {
    t = await openTestStore(dialect, 'reaper');
    clock = new ManualClock();
    billing = createBillingService({ db: t.store.db, clock, options: { holdTtlMs: TTL } });
    userId = await insertUser(t.store);
    await billing.grant({ userId, amountNanos: usdToNanos('1'), reason: 'test credit', actor: 'test' });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('a hold left open by a crash is released by the reaper once its expiry passes, and the ledger reconciles', async () => {
    const crashed = await billing.reserve({ userId, requestId: 'gen-crash', amountNanos: usdToNanos('0.6') });
    if (!crashed.ok) throw crashed.error;
    // The process "dies": nobody settles. Before expiry the reaper leaves the hold alone.
    clock.advance(TTL - 1);
    expect(await billing.reapExpiredHolds()).toBe(0);
    expect((await billing.getBalance(userId)).availableNanos).toBe(usdToNanos('0.4'));

    clock.advance(1);
    expect(await billing.reapExpiredHolds()).toBe(1);
    expect(await billing.reapExpiredHolds()).toBe(0);
    expect(await billing.getBalance(userId)).toEqual({ balanceNanos: usdToNanos('1'), heldNanos: 0n, availableNanos: usdToNanos('1'), debtNanos: 0n });
    const [latest] = (await billing.listLedger({ userId, limit: 1 })).entries;
    expect(latest).toMatchObject({ kind: 'release', reason: 'hold expired', requestId: 'gen-crash', heldDeltaNanos: -usdToNanos('0.6') });
    const report = await billing.reconcile(userId);
    expect(report.ok).toBe(true);
    expect(report.accounts[0]).toMatchObject({ userId, ok: true, entries: 3, openHoldsNanos: 0n });
  });

  it('reaps only expired holds, honouring a hold-specific expiry', async () => {
    const short = await billing.reserve({ userId, amountNanos: 100n });
    const long = await billing.reserve({ userId, amountNanos: 200n, jobId: 'job_1', expiresAt: clock.now() + 10 * TTL });
    if (!short.ok || !long.ok) throw new Error('expected holds');
    clock.advance(TTL);
    expect(await billing.reapExpiredHolds()).toBe(1);
    expect((await billing.getBalance(userId)).heldNanos).toBe(200n);
    clock.advance(10 * TTL);
    expect(await billing.reapExpiredHolds()).toBe(1);
    expect((await billing.getBalance(userId)).heldNanos).toBe(0n);
    expect((await billing.reconcile()).ok).toBe(true);
  });

  it('a slow request can still settle its expired hold, charged what the account can pay', async () => {
    const slow = await billing.reserve({ userId, amountNanos: usdToNanos('0.5') });
    if (!slow.ok) throw slow.error;
    clock.advance(TTL);
    await billing.reapExpiredHolds();
    const other = await billing.reserve({ userId, amountNanos: usdToNanos('0.8') });
    if (!other.ok) throw other.error;
    const settled = await billing.settle(slow.holdId, { costNanos: usdToNanos('0.3'), estimated: false });
    expect(settled).toMatchObject({ ok: true, chargedNanos: usdToNanos('0.2'), shortfallNanos: usdToNanos('0.1') });
    expect(await billing.getBalance(userId)).toEqual({ balanceNanos: usdToNanos('0.8'), heldNanos: usdToNanos('0.8'), availableNanos: 0n, debtNanos: 0n });
    expect((await billing.reconcile()).ok).toBe(true);
  });

  it('an explicit release after expiry closes the hold without a second ledger entry', async () => {
    const hold = await billing.reserve({ userId, amountNanos: 100n });
    if (!hold.ok) throw hold.error;
    clock.advance(TTL);
    await billing.reapExpiredHolds();
    expect(await billing.release(hold.holdId)).toEqual({ ok: true, replayed: false });
    expect(await billing.settle(hold.holdId, { costNanos: 1n, estimated: false })).toEqual({ ok: false, reason: 'released' });
    const kinds = (await billing.listLedger({ userId, limit: 10 })).entries.map((e) => e.kind);
    expect(kinds).toEqual(['release', 'hold', 'adjustment']);
    expect((await billing.reconcile()).ok).toBe(true);
  });

  it('reconciliation catches a balance changed behind the ledger’s back', async () => {
    await t.store.db.updateTable('accounts').set({ balance_nanos: usdToNanos('5') }).where('user_id', '=', userId).execute();
    const report = await billing.reconcile();
    expect(report.ok).toBe(false);
    expect(report.accounts[0]?.problems.join(' ')).toMatch(/Σ entries/);
  });

  it('reconciliation catches an entry that does not follow from the previous one', async () => {
    const hold = await billing.reserve({ userId, amountNanos: 100n });
    if (!hold.ok) throw hold.error;
    await t.store.db.updateTable('ledger_entries').set({ balance_after_nanos: 7n }).where('user_id', '=', userId).where('seq', '=', 1).execute();
    const report = await billing.reconcile(userId);
    expect(report.ok).toBe(false);
    expect(report.accounts[0]?.problems.join(' ')).toMatch(/do not follow/);
  });
});
