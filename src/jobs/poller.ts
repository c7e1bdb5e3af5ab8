/**
 * The background poller. Each tick lists the jobs whose next_poll_at has come, claims each with a lease (so
 * two gateway processes never work on one job at once), and advances the claimed ones. Tests drive it with
 * tick()/runDue() on a ManualClock; start() runs it on a timer in production.
 */
import type { Logger } from '../shared/logger.js';
import type { Clock } from '../shared/clock.js';
import type { VideoJob, VideoJobRepository } from './video-jobs.js';

export interface VideoPollerOptions {
  clock: Clock;
  intervalMs: number;
  batch: number;
  leaseMs: number;
  /** Unique per process, e.g. `<hostname>:<pid>:<random>`. */
  ownerId: string;
}

export interface VideoPollerDeps {
  repo: VideoJobRepository;
  advance(job: VideoJob, owner: string): Promise<void>;
  logger: Logger;
}

export interface PeriodicWorker {
  /** One pass at the clock's current time; resolves to the number of jobs this worker handled. */
  tick(): Promise<number>;
  runDue(now: number): Promise<number>;
  /** Runs tick() every interval (never two at once) until stop(). */
  start(): void;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/** Claims each due job and runs `work` on the ones won; a failing job is logged and keeps its lease until it expires. */
export async function runClaimedJobs(
  ids: readonly string[],
  options: { repo: VideoJobRepository; ownerId: string; leaseMs: number; now: number; logger: Logger },
  work: (job: VideoJob) => Promise<void>,
): Promise<number> {
  const claimed: VideoJob[] = [];
  for (const id of ids) {
    const job = await options.repo.claim(id, options.ownerId, options.now, options.now + options.leaseMs);
    if (job !== undefined) claimed.push(job);
  }
  const results = await Promise.allSettled(claimed.map((job) => work(job)));
  results.forEach((result, index) => {
    // The lease is left to expire: a job that keeps failing is retried once per lease, not once per tick.
    if (result.status === 'rejected') options.logger.error({ err: result.reason, jobId: claimed[index]?.id }, 'video job step failed');
  });
  return claimed.length;
}

export function createPeriodicWorker(intervalMs: number, clock: Clock, runDue: (now: number) => Promise<number>, onError: (error: unknown) => void): PeriodicWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const tick = () => runDue(clock.now());
  return {
    tick,
    runDue,
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        if (running !== undefined) return;
        running = tick()
          .catch(onError)
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

export function createVideoPoller(deps: VideoPollerDeps, options: VideoPollerOptions): PeriodicWorker {
  const runDue = async (now: number) => {
    const ids = await deps.repo.listDueForPoll(now, options.batch);
    const context = { repo: deps.repo, ownerId: options.ownerId, leaseMs: options.leaseMs, now, logger: deps.logger };
    return runClaimedJobs(ids, context, (job) => deps.advance(job, options.ownerId));
  };
  return createPeriodicWorker(options.intervalMs, options.clock, runDue, (error) => deps.logger.error({ err: error }, 'video poller pass failed'));
}
