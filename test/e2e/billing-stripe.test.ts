import type { FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { usdToNanos } from '../../src/billing/money.js';
import { STRIPE_API_VERSION } from '../../src/billing/stripe-client.js';
import { ManualClock } from '../../src/shared/clock.js';
import { signStripePayload, type MockStripe } from '../support/mock-stripe.js';
import { buildBillingTestApp } from '../support/billing-test-app.js';
import { DIALECTS, type TestStore } from '../support/billing-test-store.js';
import { useStripeBillingRig } from '../support/stripe-billing-rig.js';

const WEBHOOK_SECRET = 'whsec_test_123';

describe.each(DIALECTS)('Stripe top-ups on %s', (dialect) => {
  let stripe: MockStripe;
  let t: TestStore;
  let clock: ManualClock;
  let billing: BillingService;
  let app: FastifyInstance;
  let alice: string;

  const rig = useStripeBillingRig(dialect, 'stripe', WEBHOOK_SECRET);
  beforeEach(() => {
    ({ stripe, t, clock, billing, app, alice } = rig);
  });

  async function checkout(amount: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await app.inject({ method: 'POST', url: '/api/billing/checkout', headers: { 'x-test-user': alice }, payload: { amount } });
    return { status: res.statusCode, body: res.json() };
  }

  function sessionEvent(eventId: string, sessionId: string, overrides: Record<string, unknown> = {}, type = 'checkout.session.completed'): string {
    const object = { id: sessionId, object: 'checkout.session', payment_status: 'paid', amount_total: 2500, currency: 'usd', ...overrides };
    return JSON.stringify({ id: eventId, object: 'event', type, data: { object } });
  }

  async function deliver(payload: string, header = signStripePayload(payload, WEBHOOK_SECRET, Math.floor(clock.now() / 1000))) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/billing/stripe/webhook',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header },
      payload,
    });
    return { status: res.statusCode, body: res.json() };
  }

  it('creates a Checkout Session for the amount and records it', async () => {
    const { status, body } = await checkout('25.00');
    expect(status).toBe(201);
    expect(body).toEqual({ object: 'checkout_session', id: 'cs_test_1', url: 'https://checkout.stripe.test/pay/cs_test_1', amount: '25.00' });
    const [call] = stripe.calls;
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe('/v1/checkout/sessions');
    expect(call?.authorization).toBe('Bearer sk_test_abc');
    expect(call?.form.get('mode')).toBe('payment');
    expect(call?.form.get('line_items[0][price_data][unit_amount]')).toBe('2500');
    expect(call?.form.get('line_items[0][price_data][currency]')).toBe('usd');
    expect(call?.form.get('client_reference_id')).toBe(alice);
    expect(call?.form.get('success_url')).toBe('https://hub.example.test/dashboard/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}');
    const row = await t.store.db.selectFrom('stripe_checkout_sessions').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ id: 'cs_test_1', user_id: alice, amount_nanos: usdToNanos('25'), status: 'open' });
  });

  it('sends each create with its own idempotency key and the pinned API version', async () => {
    expect((await checkout('25.00')).status).toBe(201);
    expect((await checkout('25.00')).status).toBe(201);
    const [first, second] = stripe.calls;
    expect(first?.idempotencyKey).toMatch(/^tokenhub-checkout-[0-9a-f-]{36}$/);
    expect(second?.idempotencyKey).toMatch(/^tokenhub-checkout-[0-9a-f-]{36}$/);
    expect(second?.idempotencyKey).not.toBe(first?.idempotencyKey);
    expect(stripe.calls.map((call) => call.stripeVersion)).toEqual([STRIPE_API_VERSION, STRIPE_API_VERSION]);
  });

  it.each<[unknown, string]>([
    ['4.99', 'below the minimum'],
    ['500.01', 'above the maximum'],
    ['10.005', 'not whole cents'],
    [12.5, 'a float'],
    ['-10', 'negative'],
  ])('refuses an amount %j (%s) without calling Stripe', async (amount) => {
    const { status, body } = await checkout(amount);
    expect(status).toBe(400);
    expect((body.error as { param: string }).param).toBe('amount');
    expect(stripe.calls).toHaveLength(0);
  });

  it('answers 502 when Stripe refuses, recording nothing', async () => {
    stripe.refuseNext();
    const { status, body } = await checkout('10');
    expect(status).toBe(502);
    expect(JSON.stringify(body)).not.toContain('sk_test_abc');
    expect(await t.store.db.selectFrom('stripe_checkout_sessions').selectAll().execute()).toEqual([]);
  });

  it('retries a create Stripe failed with a 5xx once, under the same idempotency key, and records one session', async () => {
    stripe.refuseNext(500);
    const { status, body } = await checkout('25.00');
    expect(status).toBe(201);
    expect(body.id).toBe('cs_test_1');
    expect(stripe.calls).toHaveLength(2);
    expect(stripe.calls[1]?.idempotencyKey).toBe(stripe.calls[0]?.idempotencyKey);
    expect(await t.store.db.selectFrom('stripe_checkout_sessions').select('id').execute()).toEqual([{ id: 'cs_test_1' }]);
  });

  it('gives up after that one retry: 502, nothing recorded', async () => {
    stripe.refuseNext(503, 2);
    expect((await checkout('25.00')).status).toBe(502);
    expect(stripe.calls).toHaveLength(2);
    expect(await t.store.db.selectFrom('stripe_checkout_sessions').selectAll().execute()).toEqual([]);
  });

  it('credits a paid session exactly once, whatever Stripe retries or sends again', async () => {
    await checkout('25.00');
    const completed = sessionEvent('evt_1', 'cs_test_1');
    expect(await deliver(completed)).toEqual({ status: 200, body: { received: true, event: 'evt_1', outcome: 'credited' } });
    expect((await deliver(completed)).body.outcome).toBe('duplicate');
    clock.advance(60_000);
    expect((await deliver(completed)).body.outcome).toBe('duplicate');
    const asyncPaid = sessionEvent('evt_2', 'cs_test_1', {}, 'checkout.session.async_payment_succeeded');
    expect((await deliver(asyncPaid)).body.outcome).toBe('already_credited');
    expect((await billing.getBalance(alice)).balanceNanos).toBe(usdToNanos('25'));
    const [entry] = (await billing.listLedger({ userId: alice, limit: 5 })).entries;
    expect(entry).toMatchObject({ kind: 'topup', amountNanos: usdToNanos('25'), reference: 'cs_test_1', actor: 'stripe' });
    expect((await billing.reconcile()).ok).toBe(true);
  });

  it('waits for payment: an unpaid completion credits nothing until async_payment_succeeded', async () => {
    await checkout('25.00');
    expect((await deliver(sessionEvent('evt_a', 'cs_test_1', { payment_status: 'unpaid' }))).body.outcome).toBe('unpaid');
    expect((await billing.getBalance(alice)).balanceNanos).toBe(0n);
    const paid = sessionEvent('evt_b', 'cs_test_1', {}, 'checkout.session.async_payment_succeeded');
    expect((await deliver(paid)).body.outcome).toBe('credited');
    expect((await billing.getBalance(alice)).balanceNanos).toBe(usdToNanos('25'));
  });

  it('credits nothing for unknown sessions, mismatched amounts or other event types', async () => {
    await checkout('25.00');
    expect((await deliver(sessionEvent('evt_u', 'cs_unknown'))).body.outcome).toBe('unknown_session');
    expect((await deliver(sessionEvent('evt_m', 'cs_test_1', { amount_total: 100 }))).body.outcome).toBe('amount_mismatch');
    expect((await deliver(sessionEvent('evt_c', 'cs_test_1', { currency: 'eur' }))).body.outcome).toBe('amount_mismatch');
    const other = JSON.stringify({ id: 'evt_o', type: 'customer.created', data: { object: { id: 'cus_1', object: 'customer' } } });
    expect((await deliver(other)).body.outcome).toBe('ignored');
    expect((await billing.getBalance(alice)).balanceNanos).toBe(0n);
    const events = await t.store.db.selectFrom('stripe_events').select(['id', 'outcome']).orderBy('id').execute();
    expect(events).toEqual([
      { id: 'evt_c', outcome: 'amount_mismatch' },
      { id: 'evt_m', outcome: 'amount_mismatch' },
      { id: 'evt_o', outcome: 'ignored' },
      { id: 'evt_u', outcome: 'unknown_session' },
    ]);
  });

  it.each<[string, (payload: string, now: number) => string]>([
    ['a wrong secret', (payload, now) => signStripePayload(payload, 'whsec_wrong', now)],
    ['a stale timestamp', (payload, now) => signStripePayload(payload, WEBHOOK_SECRET, now - 301)],
    ['a tampered body', (payload, now) => signStripePayload(payload.replace('2500', '250000'), WEBHOOK_SECRET, now)],
    ['no signature', () => ''],
  ])('rejects an event with %s and credits nothing', async (_name, sign) => {
    await checkout('25.00');
    const payload = sessionEvent('evt_bad', 'cs_test_1');
    const { status, body } = await deliver(payload, sign(payload, Math.floor(clock.now() / 1000)));
    expect(status).toBe(400);
    expect((body.error as { code: string }).code).toBe('invalid_request');
    expect((await billing.getBalance(alice)).balanceNanos).toBe(0n);
    expect(await t.store.db.selectFrom('stripe_events').selectAll().execute()).toEqual([]);
  });

  it('answers 404 on both routes when Stripe is not configured', async () => {
    const off = createBillingService({ db: t.store.db, clock });
    const offApp = await buildBillingTestApp(off);
    const checkoutRes = await offApp.inject({ method: 'POST', url: '/api/billing/checkout', headers: { 'x-test-user': alice }, payload: { amount: '10' } });
    expect(checkoutRes.statusCode).toBe(404);
    const webhookRes = await offApp.inject({ method: 'POST', url: '/api/billing/stripe/webhook', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(webhookRes.statusCode).toBe(404);
    await offApp.close();
  });
});
