/**
 * Finds the PaymentIntent of a refunded or disputed charge, and the Checkout Session it paid for, when the
 * webhook alone cannot: a top-up credited before PaymentIntents were recorded has none on its session row, and
 * a Dispute may name only its Charge. Asks Stripe (`GET /v1/charges/:id`, `GET /v1/checkout/sessions?
 * payment_intent=…`) and records the PaymentIntent on the local session, so the reversal that follows finds it.
 *
 * Runs before the event's transaction. When Stripe cannot be asked, it throws: the webhook answers 5xx and
 * Stripe delivers the event again later, rather than the event being stored as settled with nothing taken back.
 */
import { request } from 'undici';
import { z } from 'zod';
import { GatewayError } from '../shared/errors.js';
import type { BillingDb } from './account-ledger.js';
import { STRIPE_API_BASE_URL, type StripeOptions } from './stripe-checkout.js';
import { readPaymentReference, REVERSAL_EVENTS } from './stripe-reversals.js';

const chargeSchema = z.looseObject({ id: z.string(), payment_intent: z.string().min(1).nullish() });
const sessionListSchema = z.looseObject({ data: z.array(z.looseObject({ id: z.string().min(1) })) });

/** What the reversal needs: the event's object, with its PaymentIntent filled in when Stripe knows it. */
export async function linkReversalToSession(
  db: BillingDb,
  stripe: Pick<StripeOptions, 'secretKey' | 'apiBaseUrl' | 'timeoutMs'>,
  event: { type: string; object: Record<string, unknown> },
): Promise<Record<string, unknown>> {
  if (!REVERSAL_EVENTS.has(event.type)) return event.object;
  const reference = readPaymentReference(event.type, event.object);
  if (!reference) return event.object;
  const paymentIntentId = reference.paymentIntentId ?? (await fetchChargePaymentIntent(stripe, reference.chargeId));
  if (paymentIntentId === null) return event.object;
  const linked = { ...event.object, payment_intent: paymentIntentId };

  const known = await db.selectFrom('stripe_checkout_sessions').select('id').where('payment_intent_id', '=', paymentIntentId).executeTakeFirst();
  if (known) return linked;
  const sessionId = await fetchSessionOfPaymentIntent(stripe, paymentIntentId);
  if (sessionId === undefined) return linked;
  // Only a credited session that has no PaymentIntent yet is linked: a recorded one is never overwritten.
  await db
    .updateTable('stripe_checkout_sessions')
    .set({ payment_intent_id: paymentIntentId })
    .where('id', '=', sessionId)
    .where('status', '=', 'completed')
    .where('payment_intent_id', 'is', null)
    .execute();
  return linked;
}

async function fetchChargePaymentIntent(stripe: Pick<StripeOptions, 'secretKey' | 'apiBaseUrl' | 'timeoutMs'>, chargeId: string): Promise<string | null> {
  const charge = chargeSchema.safeParse(await stripeGet(stripe, `/v1/charges/${encodeURIComponent(chargeId)}`));
  if (!charge.success) throw new GatewayError('upstream_bad_response', { message: 'Stripe returned an unreadable charge.' });
  return charge.data.payment_intent ?? null;
}

async function fetchSessionOfPaymentIntent(stripe: Pick<StripeOptions, 'secretKey' | 'apiBaseUrl' | 'timeoutMs'>, paymentIntentId: string): Promise<string | undefined> {
  const query = new URLSearchParams({ payment_intent: paymentIntentId, limit: '1' });
  const list = sessionListSchema.safeParse(await stripeGet(stripe, `/v1/checkout/sessions?${query.toString()}`));
  if (!list.success) throw new GatewayError('upstream_bad_response', { message: 'Stripe returned an unreadable session list.' });
  return list.data.data[0]?.id;
}

async function stripeGet(stripe: Pick<StripeOptions, 'secretKey' | 'apiBaseUrl' | 'timeoutMs'>, path: string): Promise<unknown> {
  const timeout = stripe.timeoutMs ?? 20_000;
  let response;
  try {
    response = await request(`${stripe.apiBaseUrl ?? STRIPE_API_BASE_URL}${path}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${stripe.secretKey}` },
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  } catch (cause) {
    throw new GatewayError('upstream_unavailable', { message: 'Stripe could not be reached.', cause });
  }
  const text = await response.body.text();
  if (response.statusCode >= 400) {
    throw new GatewayError('upstream_error', { message: 'Stripe refused to look up the payment.', upstreamStatus: response.statusCode });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new GatewayError('upstream_bad_response', { message: 'Stripe returned an unreadable payment.' });
  }
}
