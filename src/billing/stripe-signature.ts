/**
 * Stripe webhook signatures: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * keyed by the endpoint's signing secret (`whsec_…`), possibly with several v1 entries while a secret rolls.
 * The timestamp must be within the tolerance of the injected clock, so a captured event cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

export type StripeSignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'mismatch' | 'outside_tolerance' };

export interface StripeSignatureInput {
  /** The raw request body exactly as received. */
  payload: string;
  header: string | undefined;
  secret: string;
  nowMs: number;
  toleranceSeconds?: number;
}

function computeSignature(payload: string, secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
}

/** The header Stripe would send for `payload` at `timestamp` (tests and local tooling build signed events with it). */
export function signStripePayload(payload: string, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${computeSignature(payload, secret, timestamp)}`;
}

export function verifyStripeSignature(input: StripeSignatureInput): StripeSignatureCheck {
  if (!input.header) return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const item of input.header.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(computeSignature(input.payload, input.secret, timestamp), 'hex');
  const matches = candidates.some((candidate) => timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
  if (!matches) return { ok: false, reason: 'mismatch' };
  const tolerance = input.toleranceSeconds ?? STRIPE_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(input.nowMs / 1000 - timestamp) > tolerance) return { ok: false, reason: 'outside_tolerance' };
  return { ok: true, timestamp };
}
