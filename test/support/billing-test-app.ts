/**
 * A Fastify app with the billing routes and the project's error handler. Authentication is the one piece
 * stubbed: `x-test-user: <user id>` authenticates as that user's API key, `x-test-session: <user id>` as that
 * user's dashboard session, `x-test-admin: <user id>` as an admin.
 */
import Fastify, { type FastifyInstance, type preHandlerHookHandler } from 'fastify';
import { registerAdminBillingRoutes } from '../../src/api/admin/billing.js';
import { registerBillingRoutes } from '../../src/api/billing/billing-routes.js';
import { registerGenerationRoute } from '../../src/api/billing/generation-route.js';
import { installErrorHandling } from '../../src/api/error-handler.js';
import type { BillingService } from '../../src/billing/billing-service.js';
import { GatewayError } from '../../src/shared/errors.js';

const authenticate: preHandlerHookHandler = async (request) => {
  const sessionUserId = request.headers['x-test-session'];
  if (typeof sessionUserId === 'string') {
    request.auth = { userId: sessionUserId, role: 'user', groupId: 'default', via: 'session' };
    return;
  }
  const userId = request.headers['x-test-user'];
  if (typeof userId !== 'string') throw new GatewayError('missing_api_key');
  request.auth = { userId, role: 'user', groupId: 'default', via: 'api_key', key: { id: 'key_test', allowedModels: null, allowedIps: null, adminScope: false } };
};

const requireAdmin: preHandlerHookHandler = async (request) => {
  const userId = request.headers['x-test-admin'];
  if (typeof userId !== 'string') throw new GatewayError('forbidden');
  request.auth = { userId, role: 'admin', groupId: 'default', via: 'session' };
};

export async function buildBillingTestApp(billing: BillingService): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  installErrorHandling(app);
  registerBillingRoutes(app, { billing, authenticate });
  registerGenerationRoute(app, { billing, authenticate });
  registerAdminBillingRoutes(app, { billing, requireAdmin });
  await app.ready();
  return app;
}
