import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLD_TTL_MS, toBillingOptions } from '../../../src/billing/billing-options.js';

describe('toBillingOptions', () => {
  it('defaults: no bonus, $5–$10,000 top-ups, Stripe off', () => {
    expect(toBillingOptions({})).toEqual({ holdTtlMs: DEFAULT_HOLD_TTL_MS, signupBonusNanos: 0n, topUpMinNanos: 5_000_000_000n, topUpMaxNanos: 10_000_000_000_000n });
  });

  it('reads decimal USD settings exactly', () => {
    const options = toBillingOptions({ signupBonusUsd: '0.25', topUpMinUsd: '1', topUpMaxUsd: '99.99' });
    expect(options).toMatchObject({ signupBonusNanos: 250_000_000n, topUpMinNanos: 1_000_000_000n, topUpMaxNanos: 99_990_000_000n });
  });

  it('enables Stripe only with both secrets and a public URL', () => {
    expect(toBillingOptions({ stripeSecretKey: 'sk', publicUrl: 'https://x.test' }).stripe).toBeUndefined();
    const on = toBillingOptions({ stripeSecretKey: 'sk', stripeWebhookSecret: 'whsec', publicUrl: 'https://x.test/' });
    expect(on.stripe).toMatchObject({ secretKey: 'sk', webhookSecret: 'whsec', cancelUrl: 'https://x.test/dashboard/billing?checkout=cancelled' });
    expect(() => toBillingOptions({ stripeSecretKey: 'sk', stripeWebhookSecret: 'whsec' })).toThrow(/TOKENHUB_PUBLIC_URL/);
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ signupBonusUsd: 'lots' }, /TOKENHUB_SIGNUP_BONUS_USD/],
    [{ topUpMinUsd: '-1' }, /TOKENHUB_TOPUP_MIN_USD/],
    [{ topUpMinUsd: '10', topUpMaxUsd: '5' }, /above/],
  ])('names the setting it cannot use: %j', (settings, message) => {
    expect(() => toBillingOptions(settings)).toThrow(message);
  });
});
