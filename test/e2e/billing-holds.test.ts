import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { usdToNanos } from '../../src/billing/money.js';
import { ManualClock } from '../../src/shared/clock.js';
import { DIALECTS, insertApiKey, insertUser, openTestStore, type TestStore } from '../support/billing-test-store.js';

const usd = usdToNanos;

describe.each(DIALECTS)('holds on %s', (dialect) => {
  let t: TestStore;
  let clock: ManualClock;
  let billing: BillingService;
  let userId: string;

  beforeEach(async () => {
    t = await openTestStore(dialect, 'holds');
    clock = new ManualClock();
    billing = createBillingService({ db: t.store.db, clock, options: { holdTtlMs: 60_000 } });
    userId = await insertUser(t.store);
    await billing.grant({ userId, amountNanos: usd('10'), reason: 'test credit', actor: 'test' });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('a hold reduces the available balance, and settling charges the actual cost and frees the rest', async () => {
    const reserved = await billing.reserve({ userId, requestId: 'gen-1', amountNanos: usd('3') });
    expect(reserved.ok).toBe(true);
    if (!reserved.ok) return;
    expect(await billing.getBalance(userId)).toEqual({ balanceNanos: usd('10'), heldNanos: usd('3'), availableNanos: usd('7'), debtNanos: 0n });

    const settled = await billing.settle(reserved.holdId, { costNanos: usd('1.25'), upstreamCostNanos: usd('1'), estimated: false });
    expect(settled).toEqual({ ok: true, holdId: reserved.holdId, chargedNanos: usd('1.25'), shortfallNanos: 0n, replayed: false });
    expect(await billing.getBalance(userId)).toEqual({ balanceNanos: usd('8.75'), heldNanos: 0n, availableNanos: usd('8.75'), debtNanos: 0n });

    const page = await billing.listLedger({ userId, limit: 10 });
    expect(page.entries.map((e) => [e.seq, e.kind, e.amountNanos, e.heldDeltaNanos, e.balanceAfterNanos])).toEqual([
      [3, 'settle', -usd('1.25'), -usd('3'), usd('8.75')],
      [2, 'hold', 0n, usd('3'), usd('10')],
      [1, 'adjustment', usd('10'), 0n, usd('10')],
    ]);
    expect(page.entries[0]?.requestId).toBe('gen-1');
    expect(page.entries[0]?.holdId).toBe(reserved.holdId);
    expect((await billing.reconcile()).ok).toBe(true);
  });

  it('settles once: a second settle returns the first charge and changes nothing', async () => {
    const reserved = await billing.reserve({ userId, amountNanos: usd('1') });
    if (!reserved.ok) throw reserved.error;
    await billing.settle(reserved.holdId, { costNanos: usd('0.5'), estimated: false });
    const again = await billing.settle(reserved.holdId, { costNanos: usd('0.9'), estimated: false });
    expect(again).toMatchObject({ ok: true, chargedNanos: usd('0.5'), replayed: true });
    expect((await billing.getBalance(userId)).balanceNanos).toBe(usd('9.5'));
    expect(await billing.release(reserved.holdId)).toEqual({ ok: false, reason: 'settled' });
  });

  it('releases once and charges nothing for a failed call', async () => {
    const reserved = await billing.reserve({ userId, amountNanos: usd('4') });
    if (!reserved.ok) throw reserved.error;
    expect(await billing.release(reserved.holdId)).toEqual({ ok: true, replayed: false });
    expect(await billing.release(reserved.holdId)).toEqual({ ok: true, replayed: true });
    expect(await billing.settle(reserved.holdId, { costNanos: 1n, estimated: false })).toEqual({ ok: false, reason: 'released' });
    expect(await billing.getBalance(userId)).toEqual({ balanceNanos: usd('10'), heldNanos: 0n, availableNanos: usd('10'), debtNanos: 0n });
    const kinds = (await billing.listLedger({ userId, limit: 10 })).entries.map((e) => e.kind);
    expect(kinds).toEqual(['release', 'hold', 'adjustment']);
  });

  it('refuses a hold the available balance cannot cover with 402 insufficient_quota', async () => {
    const first = await billing.reserve({ userId, amountNanos: usd('8') });
    expect(first.ok).toBe(true);
    const second = await billing.reserve({ userId, amountNanos: usd('2.000000001') });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.error.code).toBe('insufficient_quota');
    expect(second.error.status).toBe(402);
    expect(second.error.message).toContain('$2.00');
    const exact = await billing.reserve({ userId, amountNanos: usd('2') });
    expect(exact.ok).toBe(true);
  });

  it('refuses holds for a user without an account', async () => {
    const stranger = await insertUser(t.store);
    const result = await billing.reserve({ userId: stranger, amountNanos: 1n });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('insufficient_quota');
    const free = await billing.reserve({ userId: stranger, amountNanos: 0n });
    expect(free.ok).toBe(false);
  });

  it('returns the same open hold for a repeated request id and refuses one that is closed', async () => {
    const first = await billing.reserve({ userId, requestId: 'gen-dup', amountNanos: usd('1') });
    const second = await billing.reserve({ userId, requestId: 'gen-dup', amountNanos: usd('1') });
    if (!first.ok || !second.ok) throw new Error('expected both to succeed');
    expect(second).toEqual({ ok: true, holdId: first.holdId, replayed: true });
    expect((await billing.getBalance(userId)).heldNanos).toBe(usd('1'));
    await billing.release(first.holdId);
    const third = await billing.reserve({ userId, requestId: 'gen-dup', amountNanos: usd('1') });
    expect(third.ok).toBe(false);
    if (!third.ok) expect(third.error.code).toBe('conflict');
  });

  it('charges an actual cost above the hold up to what the account can pay, and reports the shortfall', async () => {
    const big = await billing.reserve({ userId, amountNanos: usd('6') });
    const small = await billing.reserve({ userId, amountNanos: usd('1') });
    if (!big.ok || !small.ok) throw new Error('expected holds');
    // Available besides this hold: 10 − 6 − 1 = 3, so the small hold can be charged at most 1 + 3 = 4.
    const settled = await billing.settle(small.holdId, { costNanos: usd('5'), estimated: true });
    expect(settled).toMatchObject({ ok: true, chargedNanos: usd('4'), shortfallNanos: usd('1') });
    expect(await billing.getBalance(userId)).toEqual({ balanceNanos: usd('6'), heldNanos: usd('6'), availableNanos: 0n, debtNanos: 0n });
    const settledBig = await billing.settle(big.holdId, { costNanos: usd('6'), estimated: false });
    expect(settledBig).toMatchObject({ ok: true, chargedNanos: usd('6'), shortfallNanos: 0n });
    expect(await billing.getBalance(userId)).toEqual({ balanceNanos: 0n, heldNanos: 0n, availableNanos: 0n, debtNanos: 0n });
    expect((await billing.reconcile()).ok).toBe(true);
  });

  it('records the estimated flag and the upstream cost on the hold', async () => {
    const reserved = await billing.reserve({ userId, requestId: 'gen-est', amountNanos: usd('1') });
    if (!reserved.ok) throw reserved.error;
    await billing.settle(reserved.holdId, { costNanos: usd('0.3'), upstreamCostNanos: usd('0.2'), estimated: true });
    const hold = await t.store.db.selectFrom('holds').selectAll().where('id', '=', reserved.holdId).executeTakeFirstOrThrow();
    expect(hold).toMatchObject({ status: 'settled', estimated: 1, cost_nanos: usd('0.3'), settled_nanos: usd('0.3'), upstream_cost_nanos: usd('0.2') });
    const totals = await billing.platformTotals({});
    expect(totals).toMatchObject({ chargedNanos: usd('0.3'), upstreamCostNanos: usd('0.2'), marginNanos: usd('0.1'), estimatedRequests: 1, settledRequests: 1 });
  });

  describe('key spend limits', () => {
    let keyId: string;
    beforeEach(async () => {
      keyId = await insertApiKey(t.store, userId);
    });

    it('counts open holds and settled spend against the total limit', async () => {
      await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: usd('2'), period: null, periodLimitNanos: null });
      const a = await billing.reserve({ userId, apiKeyId: keyId, amountNanos: usd('1.5') });
      if (!a.ok) throw a.error;
      const b = await billing.reserve({ userId, apiKeyId: keyId, amountNanos: usd('1') });
      expect(b.ok).toBe(false);
      if (!b.ok) expect(b.error.code).toBe('spend_limit_exceeded');
      await billing.settle(a.holdId, { costNanos: usd('1'), estimated: false });
      const c = await billing.reserve({ userId, apiKeyId: keyId, amountNanos: usd('1') });
      expect(c.ok).toBe(true);
      const otherKey = await billing.reserve({ userId, apiKeyId: await insertApiKey(t.store, userId), amountNanos: usd('5') });
      expect(otherKey.ok).toBe(true);
      const spend = await billing.getKeySpend(keyId);
      expect(spend).toMatchObject({ spentTotalNanos: usd('1'), heldNanos: usd('1') });
    });

    it('resets a daily limit at the next UTC day', async () => {
      await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: null, period: 'day', periodLimitNanos: usd('1') });
      const a = await billing.reserve({ userId, apiKeyId: keyId, amountNanos: usd('1') });
      if (!a.ok) throw a.error;
      await billing.settle(a.holdId, { costNanos: usd('1'), estimated: false });
      const refused = await billing.reserve({ userId, apiKeyId: keyId, amountNanos: 1n });
      expect(refused.ok).toBe(false);
      clock.advance(24 * 3600_000);
      const tomorrow = await billing.reserve({ userId, apiKeyId: keyId, amountNanos: usd('1') });
      expect(tomorrow.ok).toBe(true);
    });

    it('sums a monthly limit over the days of the UTC month', async () => {
      await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: null, period: 'month', periodLimitNanos: usd('2') });
      for (let day = 0; day < 2; day++) {
        const hold = await billing.reserve({ userId, apiKeyId: keyId, amountNanos: usd('1') });
        if (!hold.ok) throw hold.error;
        await billing.settle(hold.holdId, { costNanos: usd('1'), estimated: false });
        clock.advance(24 * 3600_000);
      }
      expect((await billing.reserve({ userId, apiKeyId: keyId, amountNanos: 1n })).ok).toBe(false);
      clock.advance(31 * 24 * 3600_000);
      expect((await billing.reserve({ userId, apiKeyId: keyId, amountNanos: usd('2') })).ok).toBe(true);
    });

    it('removes the limit when every cap is null', async () => {
      await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: 0n, period: null, periodLimitNanos: null });
      expect((await billing.reserve({ userId, apiKeyId: keyId, amountNanos: 1n })).ok).toBe(false);
      await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: null, period: null, periodLimitNanos: null });
      expect((await billing.reserve({ userId, apiKeyId: keyId, amountNanos: 1n })).ok).toBe(true);
    });
  });
});
