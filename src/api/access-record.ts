/**
 * Every `/api/v1` call made with a valid key leaves a record. Calls that know more (model, usage, cost) write
 * their own, and their route marks the request when the call's answer says so; everything else (bad bodies, unknown models) gets this plain one.
 * Calls without a valid key are only counted in a metric: anyone can make them, as fast as they like, and
 * a row each would let them grow the table without bound.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestLogWriter } from '../store/request-log.js';
import { buildRequestRecord } from '../kernel/request-record.js';
import { mintGenerationId } from '../kernel/ids.js';
import type { Clock } from '../shared/clock.js';
import type { GatewayMetrics } from '../shared/metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    startedAt?: number;
  }
}

/** Requests whose call already wrote its own record, as the call's answer said. */
const recordedByCall = new WeakSet<FastifyRequest>();

/** Notes that the call behind this request wrote its own record, so the plain one is skipped. */
export function markRecorded(request: FastifyRequest): void {
  recordedByCall.add(request);
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
    if (recordedByCall.has(request) || !request.url.startsWith('/api/v1/')) return;
    if (request.auth === undefined) {
      metrics.unauthenticatedApiRequests.inc({ route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
      return;
    }
    const startedAt = request.startedAt ?? clock.now();
    const body = request.body as { model?: unknown } | undefined;
    requestLog.record(
      buildRequestRecord({
        id: mintGenerationId(),
        requestId: String(request.id),
        userId: request.auth.userId,
        apiKeyId: request.auth.key?.id ?? null,
        endpoint: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
        model: typeof body?.model === 'string' ? body.model.slice(0, 200) : null,
        provider: null,
        startedAt,
        finishedAt: clock.now(),
        outcome: {
          status: reply.statusCode,
          errorCode: reply.statusCode >= 400 ? ((reply.getHeader('x-tokenhub-error-code') as string | undefined) ?? null) : null,
        },
      }),
    );
  });
}
