/**
 * Creates Stripe Checkout Sessions for credit top-ups through the SDK. The session is recorded with the amount
 * we asked for; the webhook credits that recorded amount, never one read from the event's metadata.
 */
import { randomUUID } from 'node:crypto';
import { GatewayError } from '../shared/errors.js';
import type { BillingDb } from './account-ledger.js';
import { nanosToWholeCents } from './money.js';
import { askStripe, type StripeClient, type StripeOptions } from './stripe-client.js';

export interface CheckoutSession {
  id: string;
  url: string;
}

/** Asks Stripe for a session and records it as open. Throws GatewayError 5xx when Stripe refuses or is unreachable. */
export async function createStripeCheckout(
  db: BillingDb,
  stripe: { client: StripeClient; options: StripeOptions },
  input: { userId: string; amountNanos: bigint; email?: string | undefined },
  now: number,
): Promise<CheckoutSession> {
  const { options } = stripe;
  // One key per top-up asked for: the SDK's retry of this create reuses it, so Stripe makes one session.
  const idempotencyKey = `tokenhub-checkout-${randomUUID()}`;
  const session = await askStripe('create the checkout session', () =>
    stripe.client.checkout.sessions.create(
      {
        mode: 'payment',
        success_url: options.successUrl,
        cancel_url: options.cancelUrl,
        client_reference_id: input.userId,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'usd',
              unit_amount: Number(nanosToWholeCents(input.amountNanos)),
              product_data: { name: options.productName ?? 'TokenHub credits' },
            },
          },
        ],
        metadata: { user_id: input.userId },
        ...(input.email ? { customer_email: input.email } : {}),
      },
      { idempotencyKey },
    ),
  );
  if (!session.id || !session.url) throw new GatewayError('upstream_bad_response', { message: 'Stripe returned an unreadable checkout session.' });
  await db
    .insertInto('stripe_checkout_sessions')
    .values({ id: session.id, user_id: input.userId, amount_nanos: input.amountNanos, status: 'open', event_id: null, created_at: now, completed_at: null })
    .execute();
  return { id: session.id, url: session.url };
}
