/**
 * The logged-in user's video callback signing secret (jobs/callback-secrets.ts). Session only: an API key
 * can neither read nor rotate it, so a leaked key does not also let its holder forge the user's callbacks.
 *   GET  /api/dashboard/callback-secret          { secret, created_at }
 *   POST /api/dashboard/callback-secret/rotate   a new secret; later deliveries are signed with it
 */
import type { FastifyInstance } from 'fastify';
import type { CallbackSecret, CallbackSecrets } from '../../jobs/callback-secrets.js';
import { currentSession, type SessionAuth } from './session-auth.js';

export interface CallbackSecretRouteDeps {
  callbackSecrets: CallbackSecrets;
  sessionAuth: SessionAuth;
}

const toJson = (secret: CallbackSecret) => ({ secret: secret.secret, created_at: secret.createdAt });

export function registerCallbackSecretRoutes(app: FastifyInstance, deps: CallbackSecretRouteDeps): void {
  app.get('/api/dashboard/callback-secret', { preHandler: deps.sessionAuth.required }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return toJson(await deps.callbackSecrets.get(currentSession(request).user.id));
  });
  app.post('/api/dashboard/callback-secret/rotate', { preHandler: deps.sessionAuth.required }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return toJson(await deps.callbackSecrets.rotate(currentSession(request).user.id));
  });
}
