/**
 * Money under real concurrency: on PostgreSQL the requests run on a pool of 10 connections and contend for the
 * account row lock; on SQLite they queue for the single writer. Either way the outcomes must be exact.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { usdToNanos } from '../../src/billing/money.js';
import { ManualClock } from '../../src/shared/clock.js';
import { signStripePayload } from '../support/mock-stripe.js';
import { DIALECTS, insertApiKey, insertUser, openTestStore, type TestStore } from '../support/billing-test-store.js';

const HOLD = usdToNanos('0.01');

describe.each(DIALECTS)('concurrent money on %s', (dialect) => {
  let t: TestStore;
  let clock: ManualClock;
  let billing: BillingService;
  let userId: string;

  beforeEach(async () => {
    t = await openTestStore(dialect, 'concurrency');
    clock = new ManualClock();
    billing = createBillingService({
      db: t.store.db,
      clock,
      options: { stripe: { secretKey: 'sk_test', webhookSecret: 'whsec_test', successUrl: 'http://x/s', cancelUrl: 'http://x/c' } },
    });
    userId = await insertUser(t.store);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function expectHealthyAccount(): Promise<void> {
    const balance = await billing.getBalance(userId);
    expect(balance.balanceNanos).toBeGreaterThanOrEqual(0n);
    expect(balance.availableNanos).toBeGreaterThanOrEqual(0n);
    const report = await billing.reconcile();
    expect(report.accounts).toEqual([]);
    expect(report.ok).toBe(true);
  }

  it('50 parallel holds against a balance covering 49: exactly one insufficient_quota', async () => {
    await billing.grant({ userId, amountNanos: 49n * HOLD, reason: 'covers 49', actor: 'test' });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => billing.reserve({ userId, requestId: `gen-${i}`, amountNanos: HOLD })));
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.ok === false && refused[0].error.code).toBe('insufficient_quota');
    expect(await billing.getBalance(userId)).toEqual({ balanceNanos: 49n * HOLD, heldNanos: 49n * HOLD, availableNanos: 0n, debtNanos: 0n });
    await expectHealthyAccount();
  });

  it('50 parallel requests that reserve then settle leave the exact balance and a reconciling ledger', async () => {
    await billing.grant({ userId, amountNanos: 49n * HOLD, reason: 'covers 49', actor: 'test' });
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const hold = await billing.reserve({ userId, requestId: `gen-${i}`, amountNanos: HOLD });
        if (!hold.ok) return 'refused' as const;
        const settled = await billing.settle(hold.holdId, { costNanos: BigInt(i + 1) * 1000n, estimated: false });
        return settled.ok ? settled.chargedNanos : ('lost' as const);
      }),
    );
    const charges = outcomes.filter((o): o is bigint => typeof o === 'bigint');
    const charged = charges.reduce((sum, c) => sum + c, 0n);
    // Later holds can succeed once earlier ones settle below their hold, so at least 49 get through.
    expect(charges.length).toBeGreaterThanOrEqual(49);
    expect(outcomes).not.toContain('lost');
    expect(await billing.getBalance(userId)).toEqual({ balanceNanos: 49n * HOLD - charged, heldNanos: 0n, availableNanos: 49n * HOLD - charged, debtNanos: 0n });
    await expectHealthyAccount();
  });

  it('the reaper racing 20 late settles never double-frees a hold, and the ledger reconciles', async () => {
    await billing.grant({ userId, amountNanos: 20n * HOLD, reason: 'covers 20', actor: 'test' });
    const holds = await Promise.all(Array.from({ length: 20 }, () => billing.reserve({ userId, amountNanos: HOLD })));
    clock.advance(24 * 3600_000);
    const [reaped, ...settled] = await Promise.all([
      billing.reapExpiredHolds(),
      ...holds.map((hold) => (hold.ok ? billing.settle(hold.holdId, { costNanos: HOLD / 4n, estimated: false }) : Promise.reject(new Error('no hold')))),
    ]);
    expect(settled.every((result) => typeof result === 'object' && result.ok && result.chargedNanos === HOLD / 4n)).toBe(true);
    expect(reaped).toBeLessThanOrEqual(20);
    expect(await billing.getBalance(userId)).toEqual({ balanceNanos: 20n * HOLD - 5n * HOLD, heldNanos: 0n, availableNanos: 15n * HOLD, debtNanos: 0n });
    await expectHealthyAccount();
  });

  it('20 parallel settles of one hold charge it once', async () => {
    await billing.grant({ userId, amountNanos: HOLD, reason: 'one hold', actor: 'test' });
    const hold = await billing.reserve({ userId, amountNanos: HOLD });
    if (!hold.ok) throw hold.error;
    const results = await Promise.all(Array.from({ length: 20 }, () => billing.settle(hold.holdId, { costNanos: HOLD / 2n, estimated: false })));
    expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    expect(results.every((r) => r.ok && r.chargedNanos === HOLD / 2n)).toBe(true);
    expect((await billing.getBalance(userId)).balanceNanos).toBe(HOLD / 2n);
    await expectHealthyAccount();
  });

  it('a key spend limit covering 19 of 20 parallel holds refuses exactly one', async () => {
    await billing.grant({ userId, amountNanos: 100n * HOLD, reason: 'plenty', actor: 'test' });
    const keyId = await insertApiKey(t.store, userId);
    await billing.setKeySpendLimit({ apiKeyId: keyId, userId, totalLimitNanos: 19n * HOLD, period: null, periodLimitNanos: null });
    const results = await Promise.all(Array.from({ length: 20 }, () => billing.reserve({ userId, apiKeyId: keyId, amountNanos: HOLD })));
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.ok === false && refused[0].error.code).toBe('spend_limit_exceeded');
    await expectHealthyAccount();
  });

  it('one redemption code redeemed 10 times in parallel credits once', async () => {
    const batch = await billing.createRedemptionBatch({ amountNanos: usdToNanos('5'), count: 1, expiresAt: null, note: null, actor: 'admin' });
    const code = batch.codes[0]!;
    const users = [userId, ...(await Promise.all(Array.from({ length: 9 }, () => insertUser(t.store))))];
    const results = await Promise.all(users.map((u) => billing.redeemCode(u, code)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const failures = results.filter((r) => !r.ok);
    expect(failures.every((r) => !r.ok && r.error.code === 'conflict')).toBe(true);
    const balances = await Promise.all(users.map((u) => billing.getBalance(u)));
    expect(balances.reduce((sum, b) => sum + b.balanceNanos, 0n)).toBe(usdToNanos('5'));
    expect((await billing.reconcile()).ok).toBe(true);
  });

  it('a Stripe event delivered 10 times in parallel credits once', async () => {
    await t.store.db
      .insertInto('stripe_checkout_sessions')
      .values({ id: 'cs_test_1', user_id: userId, amount_nanos: usdToNanos('20'), status: 'open', event_id: null, created_at: 0, completed_at: null })
      .execute();
    const payload = JSON.stringify({
      id: 'evt_1',
      type: 'checkout.session.completed',
      data: { object: { id: 'cs_test_1', object: 'checkout.session', payment_status: 'paid', amount_total: 2000, currency: 'usd' } },
    });
    const header = signStripePayload(payload, 'whsec_test', Math.floor(clock.now() / 1000));
    const results = await Promise.all(Array.from({ length: 10 }, () => billing.handleStripeWebhook(payload, header)));
    const outcomes = results.map((r) => (r.ok ? r.outcome : r.reason)).sort();
    expect(outcomes.filter((o) => o === 'credited')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
    expect((await billing.getBalance(userId)).balanceNanos).toBe(usdToNanos('20'));
    await expectHealthyAccount();
  });
});
