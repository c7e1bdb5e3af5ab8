/**
 * The one Stripe API client, from the official SDK: the API version pinned (so a Stripe release cannot change
 * the objects we read), bounded timeouts and retries, and the SDK's errors turned into the gateway's own.
 * Everything that asks Stripe something (Checkout, payment look-ups) goes through a client made here.
 */
import Stripe from 'stripe';
import { GatewayError } from '../shared/errors.js';

/**
 * The API version every request is sent with; it is also the version the webhook endpoint in Stripe's
 * dashboard should use, so the events it sends have the shapes read here. Moving it is a deliberate change.
 */
export const STRIPE_API_VERSION = '2026-11-18.endive' satisfies Stripe.LatestApiVersion;

export const STRIPE_API_BASE_URL = 'https://api.stripe.com';

export const DEFAULT_STRIPE_TIMEOUT_MS = 20_000;

/**
 * One retry of a connection failure, a 409 or a 5xx. Safe for creates because each carries an idempotency
 * key the retry reuses; more would hold the webhook (which Stripe times out on) past its deadline.
 */
export const STRIPE_NETWORK_RETRIES = 1;

export interface StripeOptions {
  secretKey: string;
  webhookSecret: string;
  /** Where the customer lands after paying or cancelling (the dashboard's billing page). */
  successUrl: string;
  cancelUrl: string;
  /** Overridable so tests can point at a local server (scheme, host and port only: the SDK adds `/v1/…`). */
  apiBaseUrl?: string | undefined;
  /** Line item name on Stripe's page. */
  productName?: string | undefined;
  /** Request timeout toward Stripe, per attempt. */
  timeoutMs?: number | undefined;
}

export type StripeClient = Stripe;

/** Where the SDK should send requests; throws when the override is not a bare http(s) origin. */
export function stripeEndpoint(apiBaseUrl: string | undefined): { host: string; port: number; protocol: 'http' | 'https' } {
  const url = new URL(apiBaseUrl ?? STRIPE_API_BASE_URL);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`STRIPE_API_BASE_URL must be http or https: "${apiBaseUrl}"`);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new Error(`STRIPE_API_BASE_URL must be an origin without a path: "${apiBaseUrl}"`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port);
  return { host: url.hostname, port, protocol };
}

export function createStripeClient(options: Pick<StripeOptions, 'secretKey' | 'apiBaseUrl' | 'timeoutMs'>): StripeClient {
  return new Stripe(options.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    ...stripeEndpoint(options.apiBaseUrl),
    timeout: options.timeoutMs ?? DEFAULT_STRIPE_TIMEOUT_MS,
    maxNetworkRetries: STRIPE_NETWORK_RETRIES,
    // Latency reports about earlier requests: nothing Stripe needs from a gateway.
    telemetry: false,
  });
}

/**
 * Runs one Stripe call; what the SDK throws becomes a GatewayError (never carrying the secret key): no answer
 * → upstream_unavailable (503), an error answer → upstream_error (502) with Stripe's status, an unreadable
 * answer → upstream_bad_response (502). `refused` says what Stripe declined, for the message.
 */
export async function askStripe<T>(refused: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;
    if (error instanceof Stripe.errors.StripeConnectionError) {
      throw new GatewayError('upstream_unavailable', { message: 'Stripe could not be reached.', cause: error });
    }
    if (error.statusCode !== undefined) {
      throw new GatewayError('upstream_error', { message: `Stripe refused to ${refused}.`, upstreamStatus: error.statusCode });
    }
    throw new GatewayError('upstream_bad_response', { message: 'Stripe returned an unreadable response.' });
  }
}
