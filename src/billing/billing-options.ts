/**
 * Billing options and their mapping from configuration text. Expected environment (read by config.ts):
 *   STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET   both set → card top-ups enabled
 *   TOKENHUB_TOPUP_MIN_USD (default 5), TOKENHUB_TOPUP_MAX_USD (default 10000)
 *   TOKENHUB_SIGNUP_BONUS_USD (default 0)
 *   TOKENHUB_PUBLIC_URL                        base of the Checkout success/cancel pages
 */
import { usdToNanos } from './money.js';
import type { StripeOptions } from './stripe-client.js';

export interface BillingOptions {
  /** How long a hold lives before the reaper may release it. */
  holdTtlMs: number;
  signupBonusNanos: bigint;
  topUpMinNanos: bigint;
  topUpMaxNanos: bigint;
  /** Absent: card top-ups are disabled and the checkout/webhook routes answer 404. */
  stripe?: StripeOptions | undefined;
  /** TOKENHUB_INSTANCE_ID: stamped on every hold this instance places. */
  instanceId?: string | undefined;
}

export const DEFAULT_HOLD_TTL_MS = 15 * 60_000;

export const defaultBillingOptions: BillingOptions = {
  holdTtlMs: DEFAULT_HOLD_TTL_MS,
  signupBonusNanos: 0n,
  topUpMinNanos: usdToNanos('5'),
  topUpMaxNanos: usdToNanos('10000'),
};

export interface BillingSettings {
  stripeSecretKey?: string | undefined;
  stripeWebhookSecret?: string | undefined;
  /** Decimal USD strings. */
  topUpMinUsd?: string | undefined;
  topUpMaxUsd?: string | undefined;
  signupBonusUsd?: string | undefined;
  publicUrl?: string | undefined;
  holdTtlMs?: number | undefined;
  stripeApiBaseUrl?: string | undefined;
  instanceId?: string | undefined;
}

/** Validated options from configuration text; throws with the setting's name when a value is unusable. */
export function toBillingOptions(settings: BillingSettings): BillingOptions {
  const options: BillingOptions = {
    holdTtlMs: settings.holdTtlMs ?? DEFAULT_HOLD_TTL_MS,
    signupBonusNanos: readUsd('TOKENHUB_SIGNUP_BONUS_USD', settings.signupBonusUsd, defaultBillingOptions.signupBonusNanos),
    topUpMinNanos: readUsd('TOKENHUB_TOPUP_MIN_USD', settings.topUpMinUsd, defaultBillingOptions.topUpMinNanos),
    topUpMaxNanos: readUsd('TOKENHUB_TOPUP_MAX_USD', settings.topUpMaxUsd, defaultBillingOptions.topUpMaxNanos),
    instanceId: settings.instanceId,
  };
  if (options.topUpMinNanos > options.topUpMaxNanos) throw new Error('TOKENHUB_TOPUP_MIN_USD is above TOKENHUB_TOPUP_MAX_USD');
  if (settings.stripeSecretKey && settings.stripeWebhookSecret) {
    if (!settings.publicUrl) throw new Error('Stripe top-ups need TOKENHUB_PUBLIC_URL for the Checkout return pages');
    const base = settings.publicUrl.replace(/\/+$/, '');
    options.stripe = {
      secretKey: settings.stripeSecretKey,
      webhookSecret: settings.stripeWebhookSecret,
      successUrl: `${base}/dashboard/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancelUrl: `${base}/dashboard/billing?checkout=cancelled`,
      apiBaseUrl: settings.stripeApiBaseUrl,
    };
  }
  return options;
}

function readUsd(name: string, value: string | undefined, fallback: bigint): bigint {
  if (value === undefined || value.trim() === '') return fallback;
  let nanos: bigint;
  try {
    nanos = usdToNanos(value);
  } catch (cause) {
    throw new Error(`${name} is not a USD amount: "${value}"`, { cause });
  }
  if (nanos < 0n) throw new Error(`${name} must not be negative`);
  return nanos;
}
