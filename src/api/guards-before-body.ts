/**
 * Credentials are checked before the body is read. Fastify runs `preHandler` hooks after it has buffered and
 * parsed the body, so a guard there lets anyone without a key make the gateway hold and parse megabytes. Guards
 * that read only headers are marked with `headerGuard`; every route that lists one in its `preHandler` has it
 * moved to `onRequest`, which runs before any byte of the body is read, so a caller whose credentials fail gets
 * its 401 without the body being read at all. Routes with no guard (login, sign-up, webhooks) take only small
 * bodies.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

/** Largest body a route without a guard accepts: far above any login, sign-up or webhook payload. */
export const UNAUTHENTICATED_BODY_LIMIT_BYTES = 64 * 1024;

const headerGuards = new WeakSet<object>();

/** Marks `guard` as reading only the request's headers, so it can run before the body is read. */
export function headerGuard<G extends object>(guard: G): G {
  headerGuards.add(guard);
  return guard;
}

export function isHeaderGuard(hook: unknown): boolean {
  return typeof hook === 'function' && headerGuards.has(hook);
}

export function installGuardsBeforeBody(app: FastifyInstance, unauthenticatedBodyLimit: number = UNAUTHENTICATED_BODY_LIMIT_BYTES): void {
  app.addHook('onRoute', (route) => moveGuardsBeforeBody(route, unauthenticatedBodyLimit));
}

type Hooks = RouteOptions['onRequest'];

function asList(hooks: Hooks | RouteOptions['preHandler']): unknown[] {
  if (hooks === undefined || hooks === null) return [];
  return Array.isArray(hooks) ? [...hooks] : [hooks];
}

function moveGuardsBeforeBody(route: RouteOptions, unauthenticatedBodyLimit: number): void {
  const preHandlers = asList(route.preHandler);
  const guards = preHandlers.filter(isHeaderGuard);
  if (guards.length === 0) {
    route.bodyLimit ??= unauthenticatedBodyLimit;
    return;
  }
  const rest = preHandlers.filter((hook) => !isHeaderGuard(hook));
  if (rest.length > 0) route.preHandler = rest as RouteOptions['preHandler'];
  else delete route.preHandler;
  route.onRequest = [...asList(route.onRequest), ...guards] as Hooks;
}
