/**
 * Finds the PaymentIntent of a refunded or disputed charge, and the Checkout Session it paid for, when the
 * webhook alone cannot: a top-up credited before PaymentIntents were recorded has none on its session row, and
 * a Dispute may name only its Charge. Asks Stripe (`GET /v1/charges/:id`, `GET /v1/checkout/sessions?
 * payment_intent=…`) and records the PaymentIntent on the local session, so the reversal that follows finds it.
 *
 * Runs before the event's transaction. When Stripe cannot be asked, it throws: the webhook answers 5xx and
 * Stripe delivers the event again later, rather than the event being stored as settled with nothing taken back.
 */
import type { BillingDb } from './account-ledger.js';
import { askStripe, type StripeClient } from './stripe-client.js';
import { readPaymentReference, REVERSAL_EVENTS } from './stripe-reversals.js';

/** What the reversal needs: the event's object, with its PaymentIntent filled in when Stripe knows it. */
export async function linkReversalToSession(
  db: BillingDb,
  stripe: StripeClient,
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

async function fetchChargePaymentIntent(stripe: StripeClient, chargeId: string): Promise<string | null> {
  const charge = await askStripe('look up the charge', () => stripe.charges.retrieve(chargeId));
  // An id unless the request expands it (this one does not); either way only the id is wanted.
  const paymentIntent = charge.payment_intent;
  const id = typeof paymentIntent === 'string' ? paymentIntent : paymentIntent?.id;
  return id || null;
}

async function fetchSessionOfPaymentIntent(stripe: StripeClient, paymentIntentId: string): Promise<string | undefined> {
  const list = await askStripe('look up the checkout session', () => stripe.checkout.sessions.list({ payment_intent: paymentIntentId, limit: 1 }));
  return list.data[0]?.id;
}
