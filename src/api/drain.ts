/**
 * Draining for a restart (SIGTERM): turn unready and stop accepting at once, let running requests finish up
 * to a deadline, then end the rest — each settles what it delivered and sends `shutting_down` as its final
 * event — and close (request records flushed, store closed). A supervisor's SIGKILL after its own grace period
 * then finds nothing left to lose, as long as the deadline is shorter than that grace period.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { GatewayError } from '../shared/errors.js';
import type { LiveRequests } from '../kernel/live-requests.js';

/** How long ended requests get to settle and write their final event, and open connections to finish. */
const FINAL_GRACE_MS = 5_000;

/** Whether this instance should still receive traffic; /readyz reports it. */
export class Readiness {
  private drainingValue = false;

  get draining(): boolean {
    return this.drainingValue;
  }

  startDraining(): void {
    this.drainingValue = true;
  }
}

export interface DrainDeps {
  app: FastifyInstance;
  live: Pick<LiveRequests, 'size' | 'whenEmpty' | 'stopAll'>;
  readiness: Readiness;
  logger: FastifyBaseLogger;
  /** Closes the gateway (app hooks: jobs, request records, pools, store). */
  close(): Promise<void>;
}

export async function drainAndClose(deps: DrainDeps, deadlineMs: number): Promise<void> {
  const { app, live, logger } = deps;
  deps.readiness.startDraining();
  // No new connections; idle keep-alive connections close, requests on busy ones are answered 503.
  if (app.server.listening) app.server.close();
  logger.info({ running: live.size, deadlineMs }, 'draining: waiting for running requests');
  if (!(await within(live.whenEmpty(), deadlineMs))) {
    const ended = live.stopAll(new GatewayError('shutting_down', { message: 'The gateway is shutting down; the stream was ended. Retry the request.' }));
    logger.warn({ ended }, 'drain deadline passed: ending the remaining requests');
    if (!(await within(live.whenEmpty(), FINAL_GRACE_MS))) logger.error({ running: live.size }, 'requests still running after the final grace');
  }
  app.server.closeIdleConnections();
  const closing = deps.close();
  if (!(await within(closing, FINAL_GRACE_MS))) {
    // Whatever still holds a connection open (a request outside the chat pipeline) must not keep the process.
    app.server.closeAllConnections();
    await closing;
  }
}

async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
