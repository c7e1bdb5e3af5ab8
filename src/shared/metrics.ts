/**
 * Prometheus metrics, one registry per gateway (tests start several in one process). Recorded from hooks
 * and the pipeline's finishing step, never per streamed chunk.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  httpDuration: Histogram<'route' | 'method'>;
  upstreamCalls: Counter<'provider' | 'outcome'>;
  timeToFirstChunk: Histogram<'provider'>;
  unauthenticatedApiRequests: Counter<'route' | 'status'>;
}

export function createGatewayMetrics(options: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'tokenhub_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'tokenhub_http_request_duration_seconds',
      help: 'Time until the response was complete (whole stream included)',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    upstreamCalls: new Counter({
      name: 'tokenhub_upstream_calls_total',
      help: 'Chat calls by provider and outcome (ok, or the error code)',
      labelNames: ['provider', 'outcome'],
      registers: [registry],
    }),
    timeToFirstChunk: new Histogram({
      name: 'tokenhub_stream_first_chunk_seconds',
      help: 'Time from request to the first streamed chunk',
      labelNames: ['provider'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    unauthenticatedApiRequests: new Counter({
      name: 'tokenhub_unauthenticated_api_requests_total',
      help: '/api/v1 calls without a valid API key (counted here instead of writing a request record)',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
  };
}
