import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { askStripe, STRIPE_API_VERSION, stripeEndpoint } from '../../../src/billing/stripe-client.js';
import { GatewayError } from '../../../src/shared/errors.js';

describe('stripeEndpoint', () => {
  it.each<[string | undefined, ReturnType<typeof stripeEndpoint>]>([
    [undefined, { host: 'api.stripe.com', port: 443, protocol: 'https' }],
    ['http://127.0.0.1:12111', { host: '127.0.0.1', port: 12111, protocol: 'http' }],
    ['http://stripe-proxy.internal/', { host: 'stripe-proxy.internal', port: 80, protocol: 'http' }],
    ['https://stripe-proxy.internal:8443', { host: 'stripe-proxy.internal', port: 8443, protocol: 'https' }],
  ])('sends requests for %s to the right origin', (base, expected) => {
    expect(stripeEndpoint(base)).toEqual(expected);
  });

  it.each([['ftp://stripe.test'], ['https://proxy.test/stripe'], ['https://proxy.test/?x=1'], ['not a url']])('refuses %s at startup', (base) => {
    expect(() => stripeEndpoint(base)).toThrow();
  });
});

describe('askStripe', () => {
  async function failureOf(error: unknown): Promise<unknown> {
    return askStripe('do it', () => Promise.reject(error)).then(
      () => 'resolved',
      (caught: unknown) => caught,
    );
  }

  it('passes an answer through', async () => {
    expect(await askStripe('do it', () => Promise.resolve({ id: 'cs_1' }))).toEqual({ id: 'cs_1' });
  });

  it('maps no answer to upstream_unavailable, an error answer to upstream_error with its status, an unreadable one to upstream_bad_response', async () => {
    const unreachable = await failureOf(new Stripe.errors.StripeConnectionError({ message: 'ECONNREFUSED' }));
    expect(unreachable).toMatchObject({ code: 'upstream_unavailable', status: 503 });

    const refused = await failureOf(new Stripe.errors.StripeInvalidRequestError({ message: 'Amount too small', statusCode: 400 }));
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ code: 'upstream_error', status: 502, upstreamStatus: 400, message: 'Stripe refused to do it.' });

    const unreadable = await failureOf(new Stripe.errors.StripeAPIError({ message: 'Invalid JSON received from the Stripe API' }));
    expect(unreadable).toMatchObject({ code: 'upstream_bad_response', status: 502 });
  });

  it('lets errors that are not Stripe’s through unchanged', async () => {
    const bug = new TypeError('x is undefined');
    expect(await failureOf(bug)).toBe(bug);
  });

  it('pins an API version the installed SDK was built for', () => {
    expect(STRIPE_API_VERSION).toBe(Stripe.API_VERSION);
  });
});
