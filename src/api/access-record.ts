/**
 * Every `/api/v1` call made with a valid key leaves a record. Pipelines that know more (model, usage, cost)
 * write their own and mark the request; everything else (bad bodies, unknown models) gets this plain one.
 * Calls without a valid key are only counted in a metric: anyone can make them, as fast as they like, and
 * a row each would let them grow the table without bound.
 */
import type { FastifyInstance } from 'fastify';
import { noTokenUsage, type RequestLogWriter } from '../store/request-log.js';
import { newId } from '../shared/ids.js';
import type { Clock } from '../shared/clock.js';
import type { GatewayMetrics } from '../shared/metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when a pipeline has already written this call's record. */
    recorded?: boolean;
    startedAt?: number;
  }
}

export function installAccessRecords(
  app: FastifyInstance,
  requestLog: RequestLogWriter,
  clock: Clock,
  metrics: Pick<GatewayMetrics, 'unauthenticatedApiRequests'>,
): void {
  app.addHook('onRequest', async (request) => {
    request.startedAt = clock.now();
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.recorded || !request.url.startsWith('/api/v1/')) return;
    if (request.auth === undefined) {
      metrics.unauthenticatedApiRequests.inc({ route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
      return;
    }
    const startedAt = request.startedAt ?? clock.now();
    const body = request.body as { model?: unknown } | undefined;
    requestLog.record({
      id: `gen-${newId('gen').slice(4)}`,
      request_id: String(request.id),
      user_id: request.auth.userId,
      api_key_id: request.auth.key?.id ?? null,
      endpoint: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      model: typeof body?.model === 'string' ? body.model.slice(0, 200) : null,
      provider: null,
      channel_id: null,
      stream: 0,
      status: reply.statusCode,
      error_code: reply.statusCode >= 400 ? (reply.getHeader('x-tokenhub-error-code') as string | undefined) ?? null : null,
      latency_ms: clock.now() - startedAt,
      ttfb_ms: null,
      ...noTokenUsage,
      cost_nanos: null,
      estimated: 0,
      finish_reason: null,
      warnings: null,
      created_at: startedAt,
    });
  });
}
