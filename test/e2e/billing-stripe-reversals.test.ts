/**
 * Card refunds and disputes take top-up credit back over the signed webhook, exactly once per event, never
 * past the top-up and never below a zero balance: the shortfall is debt, which the next money in (Stripe, a
 * redemption code, an admin grant, a hold settled below its amount) repays first. Reconcile balances to the
 * nano-dollar throughout. On SQLite and PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BillingService } from '../../src/billing/billing-service.js';
import { usdToNanos } from '../../src/billing/money.js';
import { ManualClock } from '../../src/shared/clock.js';
import { disputeObject, paidSessionObject, refundedChargeObject, signStripePayload, stripeEvent, type MockStripe } from '../support/mock-stripe.js';
import { DIALECTS, type TestStore } from '../support/billing-test-store.js';
import { useStripeBillingRig } from '../support/stripe-billing-rig.js';

const WEBHOOK_SECRET = 'whsec_test_reversals';

describe.each(DIALECTS)('Stripe refunds and disputes on %s', (dialect) => {
  let stripe: MockStripe;
  let t: TestStore;
  let clock: ManualClock;
  let billing: BillingService;
  let app: FastifyInstance;
  let alice: string;

  const rig = useStripeBillingRig(dialect, 'reversal', WEBHOOK_SECRET);
  beforeEach(() => {
    ({ stripe, t, clock, billing, app, alice } = rig);
  });

  async function deliver(payload: string, header = signStripePayload(payload, WEBHOOK_SECRET, Math.floor(clock.now() / 1000))) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/billing/stripe/webhook',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header },
      payload,
    });
    return { status: res.statusCode, body: res.json() as { outcome?: string; error?: { code: string } } };
  }

  /** Alice pays `usd` through Checkout; the session completes with the given PaymentIntent (null: as recorded before they were). */
  async function topUp(usd: string, paymentIntentId: string | null): Promise<string> {
    const res = await app.inject({ method: 'POST', url: '/api/billing/checkout', headers: { 'x-test-user': alice }, payload: { amount: usd } });
    expect(res.statusCode).toBe(201);
    const sessionId = (res.json() as { id: string }).id;
    const cents = Number(usdToNanos(usd) / 10_000_000n);
    const completed = await deliver(stripeEvent(`evt_paid_${sessionId}`, 'checkout.session.completed', paidSessionObject(sessionId, paymentIntentId, cents)));
    expect(completed.body.outcome).toBe('credited');
    return sessionId;
  }

  async function balanceJson() {
    const res = await app.inject({ method: 'GET', url: '/api/billing/balance', headers: { 'x-test-user': alice } });
    expect(res.statusCode).toBe(200);
    return res.json() as { balance: string; held: string; available: string; debt: string };
  }

  async function expectReconciled() {
    const report = await billing.reconcile();
    expect(report.accounts.flatMap((account) => account.problems)).toEqual([]);
    expect(report.ok).toBe(true);
  }

  it('takes a refund back once per event, and only what each cumulative amount_refunded adds', async () => {
    await topUp('25.00', 'pi_1');
    const firstRefund = stripeEvent('evt_r1', 'charge.refunded', refundedChargeObject('ch_1', 'pi_1', 2500, 1000));
    expect(await deliver(firstRefund)).toEqual({ status: 200, body: { received: true, event: 'evt_r1', outcome: 'reversed' } });
    expect((await deliver(firstRefund)).body.outcome).toBe('duplicate');
    expect(await balanceJson()).toMatchObject({ balance: '15.00', available: '15.00', debt: '0.00' });

    // The second partial refund carries the running total: only the new $5 is taken.
    expect((await deliver(stripeEvent('evt_r2', 'charge.refunded', refundedChargeObject('ch_1', 'pi_1', 2500, 1500)))).body.outcome).toBe('reversed');
    expect((await balanceJson()).balance).toBe('10.00');
    // An older event delivered late takes nothing more.
    expect((await deliver(stripeEvent('evt_r0', 'charge.refunded', refundedChargeObject('ch_1', 'pi_1', 2500, 500)))).body.outcome).toBe('nothing_to_reverse');
    expect((await balanceJson()).balance).toBe('10.00');

    const [latest] = (await billing.listLedger({ userId: alice, limit: 1 })).entries;
    expect(latest).toMatchObject({ kind: 'stripe_refund', amountNanos: -usdToNanos('5'), debtDeltaNanos: 0n, actor: 'stripe' });
    const ledger = await app.inject({ method: 'GET', url: '/api/billing/ledger?limit=1', headers: { 'x-test-user': alice } });
    expect((ledger.json() as { data: unknown[] }).data[0]).toMatchObject({ kind: 'stripe_refund', amount: '-5.00', debt_change: '0.00', debt_after: '0.00' });
    await expectReconciled();
  });

  it('takes exactly the refunded total when refund events arrive at once and repeatedly', async () => {
    await topUp('25.00', 'pi_1');
    const partial = stripeEvent('evt_r1', 'charge.refunded', refundedChargeObject('ch_1', 'pi_1', 2500, 1000));
    const full = stripeEvent('evt_r2', 'charge.refunded', refundedChargeObject('ch_1', 'pi_1', 2500, 2500));
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => deliver(i % 2 === 0 ? partial : full)));
    expect(outcomes.every((result) => result.status === 200)).toBe(true);
    expect(outcomes.filter((result) => result.body.outcome === 'duplicate')).toHaveLength(10);
    expect(await balanceJson()).toMatchObject({ balance: '0.00', debt: '0.00' });
    const entries = (await billing.listLedger({ userId: alice, limit: 10 })).entries.filter((entry) => entry.kind === 'stripe_refund');
    expect(entries.reduce((sum, entry) => sum - entry.amountNanos, 0n)).toBe(usdToNanos('25'));
    await expectReconciled();
  });

  it('never takes back more than the top-up credited, refunds and disputes together', async () => {
    await topUp('25.00', 'pi_1');
    await billing.grant({ userId: alice, amountNanos: usdToNanos('100'), reason: 'other money', actor: 'admin' });
    expect((await deliver(stripeEvent('evt_d', 'charge.dispute.created', disputeObject('dp_1', 'ch_1', 'pi_1', 2000)))).body.outcome).toBe('reversed');
    // A refund of the whole charge afterwards can take only the $5 the dispute left.
    expect((await deliver(stripeEvent('evt_r', 'charge.refunded', refundedChargeObject('ch_1', 'pi_1', 2500, 2500)))).body.outcome).toBe('reversed');
    expect((await deliver(stripeEvent('evt_d2', 'charge.dispute.created', disputeObject('dp_2', 'ch_1', 'pi_1', 2500)))).body.outcome).toBe('nothing_to_reverse');
    expect(await balanceJson()).toMatchObject({ balance: '100.00', debt: '0.00' });
    await expectReconciled();
  });

  it('records what the balance cannot cover as debt, which later top-ups of every kind repay first', async () => {
    await topUp('25.00', 'pi_1');
    const hold = await billing.reserve({ userId: alice, amountNanos: usdToNanos('20') });
    if (!hold.ok) throw hold.error;
    expect((await billing.settle(hold.holdId, { costNanos: usdToNanos('20'), estimated: false })).ok).toBe(true);

    // $5 left, $25 disputed: the balance goes to zero, never below, and $20 is owed.
    expect((await deliver(stripeEvent('evt_d', 'charge.dispute.created', disputeObject('dp_1', 'ch_1', 'pi_1', 2500)))).body.outcome).toBe('reversed');
    expect(await balanceJson()).toMatchObject({ balance: '0.00', held: '0.00', available: '0.00', debt: '20.00' });
    const refused = await billing.reserve({ userId: alice, amountNanos: 1n });
    expect(refused.ok).toBe(false);
    await expectReconciled();

    // An admin grant of $8 pays $8 of the debt.
    const grant = await app.inject({
      method: 'POST',
      url: `/api/admin/billing/users/${alice}/adjustments`,
      headers: { 'x-test-admin': 'usr_admin' },
      payload: { type: 'grant', amount: '8.00', reason: 'goodwill' },
    });
    expect(grant.statusCode).toBeLessThan(300);
    expect(await balanceJson()).toMatchObject({ balance: '0.00', debt: '12.00' });

    // A $10 code pays $10 more.
    const batch = await billing.createRedemptionBatch({ amountNanos: usdToNanos('10'), count: 1, expiresAt: null, note: null, actor: 'admin' });
    const redeem = await app.inject({ method: 'POST', url: '/api/billing/redeem', headers: { 'x-test-user': alice }, payload: { code: batch.codes[0] } });
    expect(redeem.statusCode).toBeLessThan(300);
    expect(await balanceJson()).toMatchObject({ balance: '0.00', debt: '2.00' });

    // A new $25 card top-up pays the last $2; $23 is Alice's to spend.
    await topUp('25.00', 'pi_2');
    expect(await balanceJson()).toMatchObject({ balance: '23.00', available: '23.00', debt: '0.00' });

    const entries = (await billing.listLedger({ userId: alice, limit: 50 })).entries.reverse();
    expect(entries.map((entry) => [entry.kind, entry.amountNanos, entry.debtDeltaNanos])).toEqual([
      ['topup', usdToNanos('25'), 0n],
      ['hold', 0n, 0n],
      ['settle', -usdToNanos('20'), 0n],
      ['stripe_dispute', -usdToNanos('5'), usdToNanos('20')],
      ['adjustment', usdToNanos('8'), 0n],
      ['debt_repayment', -usdToNanos('8'), -usdToNanos('8')],
      ['redemption', usdToNanos('10'), 0n],
      ['debt_repayment', -usdToNanos('10'), -usdToNanos('10')],
      ['topup', usdToNanos('25'), 0n],
      ['debt_repayment', -usdToNanos('2'), -usdToNanos('2')],
    ]);
    await expectReconciled();
  });

  it('leaves open holds whole and takes their unused part when they close', async () => {
    await topUp('25.00', 'pi_1');
    const hold = await billing.reserve({ userId: alice, amountNanos: usdToNanos('10') });
    if (!hold.ok) throw hold.error;
    expect((await deliver(stripeEvent('evt_r', 'charge.refunded', refundedChargeObject('ch_1', 'pi_1', 2500, 2500)))).body.outcome).toBe('reversed');
    expect(await balanceJson()).toMatchObject({ balance: '10.00', held: '10.00', available: '0.00', debt: '10.00' });
    await expectReconciled();

    // The request costs $4: the $6 the hold frees goes to the debt, not to Alice.
    expect((await billing.settle(hold.holdId, { costNanos: usdToNanos('4'), estimated: false })).ok).toBe(true);
    expect(await balanceJson()).toMatchObject({ balance: '0.00', held: '0.00', available: '0.00', debt: '4.00' });
    await expectReconciled();
  });

  it("shows the admin's totals what card reversals took back and what is still owed", async () => {
    await topUp('25.00', 'pi_1');
    const hold = await billing.reserve({ userId: alice, amountNanos: usdToNanos('20') });
    if (!hold.ok) throw hold.error;
    expect((await billing.settle(hold.holdId, { costNanos: usdToNanos('20'), estimated: false })).ok).toBe(true);
    expect((await deliver(stripeEvent('evt_d', 'charge.dispute.created', disputeObject('dp_1', 'ch_1', 'pi_1', 2500)))).body.outcome).toBe('reversed');
    await billing.grant({ userId: alice, amountNanos: usdToNanos('8'), reason: 'goodwill', actor: 'admin' });

    const res = await app.inject({ method: 'GET', url: '/api/admin/billing/totals', headers: { 'x-test-admin': 'usr_admin' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ top_ups: '25.00', card_reversals: '25.00', debt_repaid: '8.00', outstanding_debt: '12.00', outstanding_balance: '0.00' });
  });

  it('asks Stripe for top-ups credited before PaymentIntents were recorded, and for disputes that name only their charge', async () => {
    const sessionId = await topUp('25.00', null);
    stripe.linkSession('pi_old', sessionId);
    stripe.calls.length = 0;
    expect((await deliver(stripeEvent('evt_r', 'charge.refunded', refundedChargeObject('ch_old', 'pi_old', 2500, 1000)))).body.outcome).toBe('reversed');
    expect(stripe.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET /v1/checkout/sessions?payment_intent=pi_old&limit=1']);
    expect(stripe.calls[0]?.authorization).toBe('Bearer sk_test_abc');
    expect((await balanceJson()).balance).toBe('15.00');

    stripe.addCharge('ch_old', 'pi_old');
    stripe.calls.length = 0;
    expect((await deliver(stripeEvent('evt_d', 'charge.dispute.created', disputeObject('dp_1', 'ch_old', null, 1500)))).body.outcome).toBe('reversed');
    // The PaymentIntent is on the session now: only the charge had to be looked up.
    expect(stripe.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET /v1/charges/ch_old']);
    expect(await balanceJson()).toMatchObject({ balance: '0.00', debt: '0.00' });
    await expectReconciled();
  });

  it('answers 502 and records nothing when Stripe cannot be asked, so the redelivered event still takes the credit back', async () => {
    const sessionId = await topUp('25.00', null);
    stripe.linkSession('pi_old', sessionId);
    const refund = stripeEvent('evt_r', 'charge.refunded', refundedChargeObject('ch_old', 'pi_old', 2500, 2500));
    stripe.refuseNext();
    const failed = await deliver(refund);
    expect(failed.status).toBe(502);
    expect(await t.store.db.selectFrom('stripe_events').select('id').where('id', '=', 'evt_r').execute()).toEqual([]);
    expect((await balanceJson()).balance).toBe('25.00');

    expect((await deliver(refund)).body.outcome).toBe('reversed');
    expect((await balanceJson()).balance).toBe('0.00');
    await expectReconciled();
  });

  it('takes nothing for unknown payments, other currencies, malformed objects or bad signatures', async () => {
    await topUp('25.00', 'pi_1');
    stripe.addCharge('ch_x', null);
    expect((await deliver(stripeEvent('evt_u', 'charge.refunded', refundedChargeObject('ch_x', 'pi_other', 2500, 2500)))).body.outcome).toBe('unknown_payment');
    expect((await deliver(stripeEvent('evt_n', 'charge.dispute.created', disputeObject('dp_x', 'ch_x', null, 2500)))).body.outcome).toBe('unknown_payment');
    expect((await deliver(stripeEvent('evt_e', 'charge.refunded', refundedChargeObject('ch_1', 'pi_1', 2500, 2500, { currency: 'eur' })))).body.outcome).toBe(
      'amount_mismatch',
    );
    expect((await deliver(stripeEvent('evt_m', 'charge.refunded', { id: 'ch_1', object: 'charge', payment_intent: 'pi_1' }))).body.outcome).toBe('ignored');
    const forged = stripeEvent('evt_f', 'charge.refunded', refundedChargeObject('ch_1', 'pi_1', 2500, 2500));
    const bad = await deliver(forged, signStripePayload(forged, 'whsec_wrong', Math.floor(clock.now() / 1000)));
    expect(bad.status).toBe(400);
    expect(await balanceJson()).toMatchObject({ balance: '25.00', debt: '0.00' });
    const events = await t.store.db.selectFrom('stripe_events').select(['id', 'outcome']).where('type', '<>', 'checkout.session.completed').orderBy('id').execute();
    expect(events).toEqual([
      { id: 'evt_e', outcome: 'amount_mismatch' },
      { id: 'evt_m', outcome: 'ignored' },
      { id: 'evt_n', outcome: 'unknown_payment' },
      { id: 'evt_u', outcome: 'unknown_payment' },
    ]);
    await expectReconciled();
  });
});
