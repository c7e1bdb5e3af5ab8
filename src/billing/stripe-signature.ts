/**
 * Stripe webhook signatures, checked by the SDK's `webhooks.constructEvent`: `Stripe-Signature: t=<unix
 * seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` keyed by the endpoint's signing secret (`whsec_…`), any of
 * several v1 entries while a secret rolls. The age is measured on the injected clock, so a captured event
 * cannot be replayed later, and tests drive time.
 */
import Stripe from 'stripe';

export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignedStripeEvent = { ok: true; body: unknown } | { ok: false; reason: 'signature' | 'payload' };

export interface SignedEventInput {
  /** The raw request body exactly as received. */
  payload: string;
  header: string | undefined;
  secret: string;
  nowMs: number;
}

/**
 * The parsed body of a correctly signed event; refuses a missing, wrong or stale signature ('signature') and a
 * signed body that is not JSON ('payload').
 */
export function readSignedStripeEvent(input: SignedEventInput): SignedStripeEvent {
  let body: unknown;
  try {
    body = Stripe.webhooks.constructEvent(input.payload, input.header ?? '', input.secret, STRIPE_SIGNATURE_TOLERANCE_SECONDS, undefined, input.nowMs);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) return { ok: false, reason: 'signature' };
    if (error instanceof SyntaxError) return { ok: false, reason: 'payload' };
    throw error;
  }
  // The SDK bounds only the age; a timestamp from beyond the tolerance ahead of our clock is refused as well,
  // so the window in which one signed body is accepted stays twice the tolerance wide at most.
  const aheadSeconds = signedAtSeconds(input.header ?? '') - input.nowMs / 1000;
  if (!(aheadSeconds <= STRIPE_SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, reason: 'signature' };
  return { ok: true, body };
}

/** The `t=` of a header the SDK has just verified (its last one, as the SDK reads it). */
function signedAtSeconds(header: string): number {
  const entry = header
    .split(',')
    .filter((item) => item.startsWith('t='))
    .at(-1);
  return entry === undefined ? Number.NaN : Number.parseInt(entry.slice(2), 10);
}
