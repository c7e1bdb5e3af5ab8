/**
 * `GET /api/v1/generation?id=<generation id>`: one request's record (model, provider, tokens, cost, latency,
 * estimated flag), to the owner of the key that made it. Another account's id answers 404, like a missing one.
 */
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { BillingService } from '../../billing/billing-service.js';
import { GatewayError } from '../../shared/errors.js';
import { parseAdminInput } from '../admin/parse-admin-input.js';
import { authOf } from './account-views.js';
import { toGenerationJson } from './billing-json.js';

export interface GenerationRouteDeps {
  billing: Pick<BillingService, 'getGeneration'>;
  /** The /api/v1 API-key authentication. */
  authenticate: preHandlerHookHandler;
  /** Resolves once queued request records are written, so a record is found right after its response. */
  awaitRequestLog?: (() => Promise<void>) | undefined;
}

const querySchema = z.strictObject({ id: z.string().min(1).max(200) });

export function registerGenerationRoute(app: FastifyInstance, deps: GenerationRouteDeps): void {
  app.get('/api/v1/generation', { preHandler: deps.authenticate }, async (request) => {
    const { id } = parseAdminInput(querySchema, request.query);
    await deps.awaitRequestLog?.();
    const record = await deps.billing.getGeneration(id, authOf(request).userId);
    if (!record) throw new GatewayError('not_found', { param: 'id', message: `No generation with id '${id}'.` });
    return { data: toGenerationJson(record) };
  });
}
