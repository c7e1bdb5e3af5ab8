/**
 * buildApp: the Fastify instance with its cross-cutting parts (request ids, error shape, access records,
 * health) and the route registrars handed in by services.ts. It never listens; main.ts and tests do.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import { installAccessRecords } from './api/access-record.js';
import { installErrorHandling } from './api/error-handler.js';
import { installJsonBodyParser } from './api/json-body-parser.js';
import { installGuardsBeforeBody } from './api/guards-before-body.js';
import { installLingeringClose } from './api/lingering-close.js';
import type { RequestLogWriter } from './store/request-log.js';
import type { Clock } from './shared/clock.js';
import type { GatewayMetrics } from './shared/metrics.js';
import { newId } from './shared/ids.js';
import { GatewayError } from './shared/errors.js';

export type RouteRegistrar = (app: FastifyInstance) => void | Promise<void>;

export interface AppDeps {
  logger: FastifyBaseLogger;
  clock: Clock;
  bodyLimitBytes: number;
  /** Fastify's trustProxy: false, true, a hop count or addresses/CIDRs (see config.ts). */
  trustProxy: boolean | number | string;
  requestLog: RequestLogWriter;
  routes: RouteRegistrar[];
  metrics: GatewayMetrics;
  /** While draining for a restart, /readyz answers 503 and new requests other than probes are refused. */
  readiness?: { readonly draining: boolean };
  /** Runs when the app closes (flush logs, close pools). */
  onClose?: () => Promise<void>;
}

/** A client-supplied request id is kept when it is short and printable; otherwise the gateway makes one. */
function requestIdFrom(header: unknown): string {
  if (typeof header === 'string' && /^[\w.:\-]{1,128}$/.test(header)) return header;
  return newId('req');
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimitBytes,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    // Access lines come from request records instead; per-request info logs would double them.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    // Fastify accepts a hop count at runtime (proxy-addr); its typings only list the other forms.
    trustProxy: deps.trustProxy as boolean | string,
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installErrorHandling(app);
  installJsonBodyParser(app);
  installGuardsBeforeBody(app);
  installLingeringClose(app);
  installAccessRecords(app, deps.requestLog, deps.clock, deps.metrics);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
    deps.metrics.httpDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!deps.readiness?.draining || request.url === '/healthz' || request.url === '/readyz') return;
    reply.header('connection', 'close');
    throw new GatewayError('shutting_down');
  });
  // Liveness stays up while draining; readiness turns 503 at once so a load balancer stops sending.
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => (deps.readiness?.draining ? reply.status(503).send({ status: 'draining' }) : { status: 'ready' }));
  for (const register of deps.routes) await register(app);
  app.addHook('onClose', async () => {
    await deps.onClose?.();
  });
  return app;
}
