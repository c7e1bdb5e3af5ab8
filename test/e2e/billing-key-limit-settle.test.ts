/**
 * Settling above the hold on a key with a spend limit: beyond what the hold reserved, the charge is at most
 * what the key's caps still allow; the rest is recorded as shortfall, as for an account that cannot pay.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { usdToNanos } from '../../src/billing/money.js';
import { ManualClock } from '../../src/shared/clock.js';
import { DIALECTS, insertApiKey, insertUser, openTestStore, type TestStore } from '../support/billing-test-store.js';

const usd = usdToNanos;
const DAY_MS = 24 * 3600_000;

describe.each(DIALECTS)('settling above the hold within a key spend limit on %s', (dialect) => {
  let t: TestStore;
  let clock: ManualClock;
  let billing: BillingService;
  let userId: string;
  let keyId: string;

  beforeEach(async () => {
    t = await openTestStore(dialect, 'keysettle');
    clock = new ManualClock();
    billing = createBillingService({ db: t.store.db, clock, options: { holdTtlMs: 60_000 } });
    userId = await insertUser(t.store);
    keyId = await insertApiKey(t.store, userId);
    await billing.grant({ userId, amountNanos: usd('10'), reason: 'test credit', actor: 'test' });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const reserve = async (amountNanos: bigint) => {
    const hold = await billing.reserve({ userId, apiKeyId: keyId, amountNanos });
    if (!hold.ok) throw hold.error;
    return hold.holdId;
  };
  const holdRow = (holdId: string) => t.store.db.selectFrom('holds').selectAll().where('id', '=', holdId).executeTakeFirstOrThrow();

  it('charges at most the total limit and keeps the rest as shortfall', async () => {
    await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: usd('2'), period: null, periodLimitNanos: null });
    const holdId = await reserve(usd('1'));
    const settled = await billing.settle(holdId, { costNanos: usd('3'), estimated: true });
    expect(settled).toMatchObject({ ok: true, chargedNanos: usd('2'), shortfallNanos: usd('1'), replayed: false });
    expect(await holdRow(holdId)).toMatchObject({ status: 'settled', cost_nanos: usd('3'), settled_nanos: usd('2') });
    expect(await billing.getKeySpend(keyId)).toMatchObject({ spentTotalNanos: usd('2'), heldNanos: 0n });
    expect(await billing.getBalance(userId)).toEqual({ balanceNanos: usd('8'), heldNanos: 0n, availableNanos: usd('8'), debtNanos: 0n });
    expect((await billing.reconcile()).ok).toBe(true);
  });

  it("leaves room for the key's other open holds", async () => {
    await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: usd('2'), period: null, periodLimitNanos: null });
    const first = await reserve(usd('1'));
    const second = await reserve(usd('0.5'));
    expect(await billing.settle(second, { costNanos: usd('2'), estimated: false })).toMatchObject({ chargedNanos: usd('1'), shortfallNanos: usd('1') });
    expect(await billing.settle(first, { costNanos: usd('1'), estimated: false })).toMatchObject({ chargedNanos: usd('1'), shortfallNanos: 0n });
    expect((await billing.getKeySpend(keyId)).spentTotalNanos).toBe(usd('2'));
  });

  it("caps at the period limit less the period's spend, and a new period starts afresh", async () => {
    await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: null, period: 'day', periodLimitNanos: usd('1') });
    expect(await billing.settle(await reserve(usd('0.5')), { costNanos: usd('0.75'), estimated: false })).toMatchObject({ chargedNanos: usd('0.75') });
    const capped = await billing.settle(await reserve(usd('0.2')), { costNanos: usd('0.5'), estimated: false });
    expect(capped).toMatchObject({ chargedNanos: usd('0.25'), shortfallNanos: usd('0.25') });
    clock.advance(DAY_MS);
    const tomorrow = await billing.settle(await reserve(usd('0.5')), { costNanos: usd('0.9'), estimated: false });
    expect(tomorrow).toMatchObject({ chargedNanos: usd('0.9'), shortfallNanos: 0n });
  });

  it('still charges what the hold reserved after the limit is lowered, but nothing beyond it', async () => {
    await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: usd('5'), period: null, periodLimitNanos: null });
    const holdId = await reserve(usd('2'));
    await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: usd('1'), period: null, periodLimitNanos: null });
    expect(await billing.settle(holdId, { costNanos: usd('3'), estimated: false })).toMatchObject({ chargedNanos: usd('2'), shortfallNanos: usd('1') });
  });

  it('applies the lower of the key limit and what the account can pay', async () => {
    await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: usd('100'), period: null, periodLimitNanos: null });
    const holdId = await reserve(usd('1'));
    expect(await billing.settle(holdId, { costNanos: usd('20'), estimated: false })).toMatchObject({ chargedNanos: usd('10'), shortfallNanos: usd('10') });
    expect((await billing.getBalance(userId)).balanceNanos).toBe(0n);
  });

  it('caps a late settle of an expired hold at the room the limit has left', async () => {
    await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: usd('1.5'), period: null, periodLimitNanos: null });
    const holdId = await reserve(usd('1'));
    clock.advance(60_001);
    expect(await billing.reapExpiredHolds()).toBe(1);
    expect(await billing.settle(holdId, { costNanos: usd('2'), estimated: false })).toMatchObject({ chargedNanos: usd('1.5'), shortfallNanos: usd('0.5') });
    expect((await billing.reconcile()).ok).toBe(true);
  });
});
