/**
 * Creates Stripe Checkout Sessions for credit top-ups (`POST /v1/checkout/sessions`, form-encoded, secret key
 * as bearer). The session is recorded with the amount we asked for; the webhook credits that recorded amount,
 * never one read from the event's metadata.
 */
import { request } from 'undici';
import { z } from 'zod';
import { GatewayError } from '../shared/errors.js';
import type { BillingDb } from './account-ledger.js';
import { nanosToWholeCents } from './money.js';

export const STRIPE_API_BASE_URL = 'https://api.stripe.com';

export interface StripeOptions {
  secretKey: string;
  webhookSecret: string;
  /** Where the customer lands after paying or cancelling (the dashboard's billing page). */
  successUrl: string;
  cancelUrl: string;
  /** Overridable so tests can point at a local server. */
  apiBaseUrl?: string | undefined;
  /** Line item name on Stripe's page. */
  productName?: string | undefined;
  /** Request timeout toward Stripe. */
  timeoutMs?: number | undefined;
}

export interface CheckoutSession {
  id: string;
  url: string;
}

const sessionResponseSchema = z.looseObject({ id: z.string().min(1), url: z.string().min(1) });

function toCheckoutForm(options: StripeOptions, userId: string, amountNanos: bigint, email: string | undefined): URLSearchParams {
  const form = new URLSearchParams();
  form.set('mode', 'payment');
  form.set('success_url', options.successUrl);
  form.set('cancel_url', options.cancelUrl);
  form.set('client_reference_id', userId);
  form.set('line_items[0][quantity]', '1');
  form.set('line_items[0][price_data][currency]', 'usd');
  form.set('line_items[0][price_data][unit_amount]', nanosToWholeCents(amountNanos).toString());
  form.set('line_items[0][price_data][product_data][name]', options.productName ?? 'TokenHub credits');
  form.set('metadata[user_id]', userId);
  if (email) form.set('customer_email', email);
  return form;
}

/** Asks Stripe for a session and records it as open. Throws GatewayError 502 when Stripe refuses or is unreachable. */
export async function createStripeCheckout(
  db: BillingDb,
  options: StripeOptions,
  input: { userId: string; amountNanos: bigint; email?: string | undefined },
  now: number,
): Promise<CheckoutSession> {
  const form = toCheckoutForm(options, input.userId, input.amountNanos, input.email);
  const timeout = options.timeoutMs ?? 20_000;
  let response;
  try {
    response = await request(`${options.apiBaseUrl ?? STRIPE_API_BASE_URL}/v1/checkout/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  } catch (cause) {
    throw new GatewayError('upstream_unavailable', { message: 'Stripe could not be reached.', cause });
  }
  const text = await response.body.text();
  if (response.statusCode >= 400) {
    throw new GatewayError('upstream_error', { message: 'Stripe refused to create the checkout session.', upstreamStatus: response.statusCode });
  }
  const parsed = sessionResponseSchema.safeParse(safeJson(text));
  if (!parsed.success) throw new GatewayError('upstream_bad_response', { message: 'Stripe returned an unreadable checkout session.' });
  await db
    .insertInto('stripe_checkout_sessions')
    .values({ id: parsed.data.id, user_id: input.userId, amount_nanos: input.amountNanos, status: 'open', event_id: null, created_at: now, completed_at: null })
    .execute();
  return { id: parsed.data.id, url: parsed.data.url };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // An unparsable body is reported by the schema check that follows, as upstream_bad_response.
    return { parseError: String(error) };
  }
}
