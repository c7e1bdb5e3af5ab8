/**
 * A stand-in for api.stripe.com on 127.0.0.1 that records calls and answers with Checkout Sessions or a
 * refusal, retrieves the Charges and lists the Sessions a test registered (`GET /v1/charges/:id`,
 * `GET /v1/checkout/sessions?payment_intent=…`, as in Stripe's API reference), and builders for the webhook events Stripe sends, shaped after Stripe's API reference (the Event,
 * Checkout Session, Charge and Dispute objects), signed the way Stripe signs them (with the SDK's test header).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export interface StripeCall {
  method: string;
  path: string;
  authorization: string | undefined;
  /** The `Idempotency-Key` and `Stripe-Version` request headers. */
  idempotencyKey: string | undefined;
  stripeVersion: string | undefined;
  form: URLSearchParams;
}

export interface MockStripe {
  server: Server;
  url: string;
  calls: StripeCall[];
  /** The next `times` requests are answered with `status` and Stripe's error body (a 5xx is what the SDK retries). */
  refuseNext(status?: number, times?: number): void;
  /** A Charge that `GET /v1/charges/:id` returns. */
  addCharge(chargeId: string, paymentIntentId: string | null): void;
  /** The Checkout Session that listing sessions by this PaymentIntent returns. */
  linkSession(paymentIntentId: string, sessionId: string): void;
  reset(): void;
  close(): Promise<void>;
}

export function startMockStripe(): Promise<MockStripe> {
  const calls: StripeCall[] = [];
  let refusals = { status: 400, left: 0 };
  let counter = 0;
  const charges = new Map<string, string | null>();
  const sessionsByPaymentIntent = new Map<string, string>();
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      calls.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        idempotencyKey: headerText(req.headers['idempotency-key']),
        stripeVersion: headerText(req.headers['stripe-version']),
        form: new URLSearchParams(body),
      });
      res.setHeader('content-type', 'application/json');
      if (refusals.left > 0) {
        refusals.left -= 1;
        res.statusCode = refusals.status;
        const error = refusals.status >= 500 ? { type: 'api_error', message: 'Something went wrong on our end.' } : { type: 'invalid_request_error', message: 'Amount too small' };
        res.end(JSON.stringify({ error }));
        return;
      }
      const url = new URL(req.url ?? '/', 'http://stripe.test');
      if (req.method === 'GET' && url.pathname.startsWith('/v1/charges/')) {
        const chargeId = decodeURIComponent(url.pathname.slice('/v1/charges/'.length));
        if (!charges.has(chargeId)) {
          res.statusCode = 404;
          res.end(JSON.stringify({ error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such charge: '${chargeId}'` } }));
          return;
        }
        res.end(JSON.stringify({ id: chargeId, object: 'charge', payment_intent: charges.get(chargeId) }));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/v1/checkout/sessions') {
        const sessionId = sessionsByPaymentIntent.get(url.searchParams.get('payment_intent') ?? '');
        const data = sessionId ? [{ id: sessionId, object: 'checkout.session', payment_intent: url.searchParams.get('payment_intent') }] : [];
        res.end(JSON.stringify({ object: 'list', url: '/v1/checkout/sessions', has_more: false, data }));
        return;
      }
      counter += 1;
      // A new payment-mode session has no PaymentIntent yet; Stripe creates it when the customer pays.
      res.end(JSON.stringify({ id: `cs_test_${counter}`, object: 'checkout.session', url: `https://checkout.stripe.test/pay/cs_test_${counter}`, payment_intent: null }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const reset = () => {
        calls.length = 0;
        counter = 0;
        refusals = { status: 400, left: 0 };
        charges.clear();
        sessionsByPaymentIntent.clear();
      };
      const close = () => new Promise<void>((done) => server.close(() => done()));
      resolve({
        server,
        url: `http://127.0.0.1:${port}`,
        calls,
        refuseNext: (status = 400, times = 1) => (refusals = { status, left: times }),
        addCharge: (chargeId, paymentIntentId) => charges.set(chargeId, paymentIntentId),
        linkSession: (paymentIntentId, sessionId) => sessionsByPaymentIntent.set(paymentIntentId, sessionId),
        reset,
        close,
      });
    });
  });
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The `Stripe-Signature` header Stripe would send for `payload` at `timestamp` (unix seconds), made by the SDK. */
export function signStripePayload(payload: string, secret: string, timestamp: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/** An Event as Stripe posts it to a webhook endpoint. */
export function stripeEvent(id: string, type: string, object: Record<string, unknown>): string {
  return JSON.stringify({ id, object: 'event', api_version: '2024-06-20', type, data: { object } });
}

/** A paid Checkout Session (mode=payment), as in checkout.session.completed. */
export function paidSessionObject(sessionId: string, paymentIntentId: string | null, amountCents: number, overrides: Record<string, unknown> = {}) {
  return {
    id: sessionId,
    object: 'checkout.session',
    mode: 'payment',
    payment_status: 'paid',
    status: 'complete',
    amount_total: amountCents,
    currency: 'usd',
    payment_intent: paymentIntentId,
    ...overrides,
  };
}

/** A Charge after refunds, as in charge.refunded: `amount_refunded` is the total refunded so far. */
export function refundedChargeObject(chargeId: string, paymentIntentId: string | null, amountCents: number, amountRefundedCents: number, overrides: Record<string, unknown> = {}) {
  return {
    id: chargeId,
    object: 'charge',
    amount: amountCents,
    amount_captured: amountCents,
    amount_refunded: amountRefundedCents,
    captured: true,
    currency: 'usd',
    paid: true,
    payment_intent: paymentIntentId,
    refunded: amountRefundedCents === amountCents,
    status: 'succeeded',
    ...overrides,
  };
}

/** A new Dispute, as in charge.dispute.created. */
export function disputeObject(disputeId: string, chargeId: string, paymentIntentId: string | null, amountCents: number, overrides: Record<string, unknown> = {}) {
  return {
    id: disputeId,
    object: 'dispute',
    amount: amountCents,
    charge: chargeId,
    currency: 'usd',
    payment_intent: paymentIntentId,
    reason: 'fraudulent',
    status: 'needs_response',
    ...overrides,
  };
}
