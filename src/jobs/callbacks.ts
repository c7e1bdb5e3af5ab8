/**
 * callback_url deliveries. When a job has finished and been billed, the final task object is POSTed to its
 * callback_url, signed (see callback-signature.ts). A 2xx answer ends it; anything else (another status, a
 * refused address, a timeout) is retried with exponential backoff until TOKENHUB_CALLBACK_MAX_ATTEMPTS.
 * Redirects are not followed. Each delivery claims the job's lease, so two processes never send at once; a
 * receiver may still see a repeat after a crash mid-delivery and can drop it by X-TokenHub-Delivery.
 */
import type { Logger } from '../shared/logger.js';
import { Agent, request } from 'undici';
import type { Clock } from '../shared/clock.js';
import { checkPublicUrl, pinnedLookup, type AddressGuardOptions } from '../upstream/public-url.js';
import { callbackDeliveryHeader, callbackEventHeader, callbackSignatureHeader, signCallback } from './callback-signature.js';
import type { MediaJobsOptions } from './media-jobs-options.js';
import { computeBackoffDelay } from './poll-backoff.js';
import { createPeriodicWorker, runClaimedJobs, type PeriodicWorker } from './poller.js';
import { leaseFree, type VideoJob, type VideoJobRepository } from './video-jobs.js';
import type { VideoTask } from './video-task-view.js';

export const callbackEvent = 'video.generation.finished';

/** Sends one delivery; resolves to the HTTP status, or throws when no answer came. */
export type CallbackSender = (url: string, body: string, headers: Record<string, string>) => Promise<number>;

export interface CallbackDispatcherDeps {
  repo: VideoJobRepository;
  clock: Clock;
  logger: Logger;
  /** The job owner's signing secret (callback-secrets.ts): each tenant verifies its own callbacks only. */
  secretFor(userId: string): Promise<string>;
  options: MediaJobsOptions;
  ownerId: string;
  taskOf(job: VideoJob): VideoTask;
  random: () => number;
  send?: CallbackSender;
}

export function createCallbackSender(options: { guard: AddressGuardOptions; timeoutMs: number }): CallbackSender {
  return async (url, body, headers) => {
    const checked = await checkPublicUrl(url, 'callback_url', options.guard);
    if (!checked.ok) throw new Error(checked.reason, { cause: checked.cause });
    const agent = new Agent({ connect: { lookup: pinnedLookup(checked.address), timeout: options.timeoutMs } });
    try {
      const response = await request(checked.url, { method: 'POST', headers, body, dispatcher: agent, signal: AbortSignal.timeout(options.timeoutMs) });
      await response.body.dump();
      return response.statusCode;
    } finally {
      await agent.destroy();
    }
  };
}

export function createCallbackDispatcher(deps: CallbackDispatcherDeps): PeriodicWorker {
  const { options } = deps;
  const send = deps.send ?? createCallbackSender({ guard: { allowPrivateAddresses: options.allowPrivateAddresses }, timeoutMs: options.callbackTimeoutMs });
  const rule = { baseMs: options.callbackBaseDelayMs, maxMs: options.callbackMaxDelayMs, factor: 2 };

  async function deliver(job: VideoJob): Promise<void> {
    if (job.callback_url === null || job.callback_state !== 'pending') {
      await deps.repo.updateLeased(job.id, deps.ownerId, { ...leaseFree });
      return;
    }
    const body = JSON.stringify(deps.taskOf(job));
    const secret = await deps.secretFor(job.user_id);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'TokenHub-Callback/1',
      [callbackEventHeader]: callbackEvent,
      [callbackDeliveryHeader]: job.id,
      [callbackSignatureHeader]: signCallback(secret, body, Math.floor(deps.clock.now() / 1000)),
    };
    let status: number | undefined;
    try {
      status = await send(job.callback_url, body, headers);
    } catch (error) {
      deps.logger.warn({ jobId: job.id, err: error }, 'video callback delivery failed');
    }
    const attempts = job.callback_attempts + 1;
    const now = deps.clock.now();
    if (status !== undefined && status >= 200 && status <= 299) {
      await deps.repo.updateLeased(job.id, deps.ownerId, { callback_state: 'delivered', callback_attempts: attempts, callback_next_at: null, ...leaseFree });
      return;
    }
    const givenUp = attempts >= options.callbackMaxAttempts;
    if (givenUp) deps.logger.warn({ jobId: job.id, attempts, status }, 'video callback given up');
    await deps.repo.updateLeased(job.id, deps.ownerId, {
      callback_state: givenUp ? 'failed' : 'pending',
      callback_attempts: attempts,
      callback_next_at: givenUp ? null : now + computeBackoffDelay(attempts - 1, rule, deps.random),
      ...leaseFree,
    });
  }

  const runDue = async (now: number) => {
    const ids = await deps.repo.listDueForCallback(now, options.batch);
    return runClaimedJobs(ids, { repo: deps.repo, ownerId: deps.ownerId, leaseMs: options.leaseMs, now, logger: deps.logger }, deliver);
  };
  return createPeriodicWorker(options.pollIntervalMs, deps.clock, runDue, (error) => deps.logger.error({ err: error }, 'video callback pass failed'));
}
