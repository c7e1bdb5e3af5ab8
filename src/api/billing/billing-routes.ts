/**
 * The account holder's billing API, behind the authentication preHandler the app passes in:
 *   GET  /api/billing/balance | ledger | usage | usage.csv | spend/daily | spend/models
 *   GET  /api/billing/keys/:keyId/limit      PUT  (same, dashboard session only)  {total_limit, period, period_limit}
 *   POST /api/billing/redeem                 {code}
 *   POST /api/billing/checkout               {amount: "25.00"}  → Stripe Checkout URL (404 when Stripe is off)
 *   POST /api/billing/stripe/webhook         Stripe's signed events (no authentication; the signature is it)
 */
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { BillingService } from '../../billing/billing-service.js';
import { formatUsd } from '../../billing/money.js';
import { GatewayError } from '../../shared/errors.js';
import { parseAdminInput } from '../admin/parse-admin-input.js';
import { authOf, registerBalanceRoutes, registerKeyLimitRoutes, registerUsageRoutes } from './account-views.js';
import { positiveUsdSchema } from './billing-input.js';

export interface BillingRouteDeps {
  billing: BillingService;
  /** Sets `request.auth` (API key or dashboard session) or throws 401. */
  authenticate: preHandlerHookHandler;
}

const redeemSchema = z.strictObject({ code: z.string().min(1).max(64) });
const checkoutSchema = z.strictObject({ amount: positiveUsdSchema });

export function registerBillingRoutes(app: FastifyInstance, deps: BillingRouteDeps): void {
  const { billing, authenticate: preHandler } = deps;
  const prefix = '/api/billing';

  const scope = { kind: 'account' as const, userIdOf: (request: FastifyRequest) => authOf(request).userId };
  registerBalanceRoutes(app, { billing, prefix, preHandler, scope });
  registerUsageRoutes(app, { billing, prefix, preHandler, scope });
  registerKeyLimitRoutes(app, { billing, prefix, preHandler, actingAs: 'owner' });

  app.post(`${prefix}/redeem`, { preHandler }, async (request) => {
    const body = parseAdminInput(redeemSchema, request.body);
    const result = await billing.redeemCode(authOf(request).userId, body.code);
    if (!result.ok) throw result.error;
    return { object: 'redemption' as const, amount: formatUsd(result.amountNanos), balance: formatUsd(result.balanceNanos) };
  });

  app.post(`${prefix}/checkout`, { preHandler }, async (request, reply) => {
    const body = parseAdminInput(checkoutSchema, request.body);
    const session = await billing.createCheckout({ userId: authOf(request).userId, amountNanos: body.amount });
    reply.status(201);
    return { object: 'checkout_session' as const, id: session.id, url: session.url, amount: formatUsd(body.amount) };
  });

  registerStripeWebhookRoute(app, billing, `${prefix}/stripe/webhook`);
}

const STRIPE_WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/** In its own scope: the signature covers the raw bytes, so this route reads the body as a string. */
function registerStripeWebhookRoute(app: FastifyInstance, billing: BillingService, path: string): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    // No credentials in the headers, so not the full body limit; but the signature covers the body, and Stripe's
    // larger events (invoices with many lines) outgrow the 64 KiB other routes without credentials get.
    scope.post(path, { bodyLimit: STRIPE_WEBHOOK_BODY_LIMIT_BYTES }, async (request) => {
      const payload = typeof request.body === 'string' ? request.body : '';
      const signature = request.headers['stripe-signature'];
      const result = await billing.handleStripeWebhook(payload, typeof signature === 'string' ? signature : undefined);
      if (!result.ok) {
        const message = result.reason === 'signature' ? 'The Stripe signature is missing, wrong or too old.' : 'The event is not a Stripe event.';
        throw new GatewayError('invalid_request', { message });
      }
      return { received: true, event: result.eventId, outcome: result.outcome };
    });
  });
}
