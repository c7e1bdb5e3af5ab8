/**
 * One step of a claimed job: finish an interrupted billing step, give up on a job past its deadline, or poll
 * the upstream once and record what it says. Poll failures (transport, 5xx, an unreadable answer) are retried
 * with backoff until the deadline, and so is a step that throws; only the upstream's own verdict or the
 * deadline ends a job.
 */
import { GatewayError } from '../shared/errors.js';
import { toUpstreamTarget } from '../channels/channel-pick.js';
import type { TaskState } from '../providers/task-types.js';
import { exchangeMediaRequest } from './media-exchange.js';
import { computeBackoffDelay } from './poll-backoff.js';
import { copyVideoResult } from './result-storage.js';
import { completeVideoBilling, finishVideoJob, type JobOutcome } from './video-finish.js';
import { activeJobStatuses, leaseFree, type VideoJob } from './video-jobs.js';
import type { VideoJobDeps } from './video-job-deps.js';
import { readDeliveredSeconds } from './video-pricing.js';
import { storedFileName } from './video-task-view.js';

const MAX_TASK_BODY_BYTES = 1024 * 1024;

/** Advances a job this worker holds the lease on; the lease is released (or handed on) when it returns. */
export async function advanceVideoJob(deps: VideoJobDeps, job: VideoJob, owner: string): Promise<void> {
  try {
    await stepVideoJob(deps, job, owner);
  } catch (error) {
    await recoverFailedStep(deps, job, owner, error);
  }
}

async function stepVideoJob(deps: VideoJobDeps, job: VideoJob, owner: string): Promise<void> {
  if (!activeJobStatuses.includes(job.status)) {
    if (job.billing_state === 'held') await completeVideoBilling(deps, job, owner);
    else await deps.repo.updateLeased(job.id, owner, { next_poll_at: null, ...leaseFree });
    return;
  }
  const now = deps.clock.now();
  if (job.status === 'submitting') {
    deps.logger.error({ jobId: job.id, channel: job.channel_id }, 'video job found mid-create after its lease ran out; not resubmitted');
    await deps.repo.updateLeased(job.id, owner, { status: 'unknown', next_poll_at: job.deadline_at, updated_at: now, ...leaseFree }, ['submitting']);
    return;
  }
  if (job.status === 'unknown') {
    if (now >= job.deadline_at) await finishVideoJob(deps, job, owner, unconfirmedOutcome());
    else await deps.repo.updateLeased(job.id, owner, { next_poll_at: job.deadline_at, ...leaseFree });
    return;
  }
  const polled = await pollUpstream(deps, job);
  if (polled.kind === 'state' && polled.state.status === 'succeeded') {
    await finishVideoJob(deps, job, owner, await toSucceededOutcome(deps, job, polled.state));
  } else if (polled.kind === 'state' && polled.state.status === 'failed') {
    const { error, upstreamStatus } = polled.state;
    await finishVideoJob(deps, job, owner, { status: 'failed', upstreamStatus, code: error.code, message: error.message });
  } else if (now >= job.deadline_at) {
    await finishVideoJob(deps, job, owner, deadlineOutcome(deps, polled.kind === 'state' ? polled.state.upstreamStatus : job.upstream_status));
  } else {
    await reschedule(deps, job, owner, polled);
  }
}

/**
 * A step that threw (a bug, a price rule removed mid-job, the store failing) is retried with the poll backoff;
 * once the job is past its deadline it fails and its hold is released, as when the upstream never finishes.
 * A job that already has its outcome only retries its billing step, which has no deadline.
 */
async function recoverFailedStep(deps: VideoJobDeps, job: VideoJob, owner: string, error: unknown): Promise<void> {
  const now = deps.clock.now();
  const active = activeJobStatuses.includes(job.status);
  deps.logger.error({ err: error, jobId: job.id, status: job.status }, 'video job step failed; retrying');
  const pastDeadline = now >= job.deadline_at;
  if (active && pastDeadline && (await finishVideoJob(deps, job, owner, deadlineOutcome(deps, job.upstream_status)))) return;
  const polls = job.polls + 1;
  const delay = computeBackoffDelay(polls - 1, pollBackoffRule(deps), deps.random);
  const nextPollAt = active && !pastDeadline ? Math.min(now + delay, job.deadline_at) : now + delay;
  await deps.repo.updateLeased(job.id, owner, { polls, poll_errors: job.poll_errors + 1, next_poll_at: nextPollAt, updated_at: now, ...leaseFree });
}

function pollBackoffRule(deps: VideoJobDeps) {
  return { baseMs: deps.options.pollMinDelayMs, maxMs: deps.options.pollMaxDelayMs, factor: 1.5 };
}

type PollResult = { kind: 'state'; state: TaskState } | { kind: 'error'; error: GatewayError };

async function pollUpstream(deps: VideoJobDeps, job: VideoJob): Promise<PollResult> {
  const model = deps.catalog.get(job.model);
  const adapter = model === undefined ? undefined : deps.adapters.videoAdapterFor(model);
  const channel = job.channel_id === null ? undefined : await deps.channelCredentials(job.channel_id);
  if (model === undefined || adapter === undefined || channel === undefined || job.upstream_task_id === null) {
    return { kind: 'error', error: new GatewayError('no_channel', { message: 'The job can no longer be polled: its model or channel is gone.' }) };
  }
  try {
    const target = toUpstreamTarget(channel, model);
    const ctx = { now: () => deps.clock.now() };
    const request = await adapter.poll(job.upstream_task_id, target, job.poll_path ?? undefined, ctx);
    const exchange = await exchangeMediaRequest(deps.client, request, { timeoutMs: deps.options.upstreamTimeoutMs, maxBytes: MAX_TASK_BODY_BYTES });
    if (exchange.kind !== 'answered') return { kind: 'error', error: exchange.error };
    if (exchange.status < 200 || exchange.status > 299) {
      return { kind: 'error', error: adapter.parseError(exchange.status, exchange.headers, exchange.text, target, ctx) };
    }
    if (exchange.json === undefined) return { kind: 'error', error: new GatewayError('upstream_bad_response') };
    return { kind: 'state', state: adapter.parsePoll(exchange.status, exchange.json, target) };
  } catch (error) {
    if (error instanceof GatewayError) return { kind: 'error', error };
    throw error;
  }
}

async function reschedule(deps: VideoJobDeps, job: VideoJob, owner: string, polled: PollResult): Promise<void> {
  const now = deps.clock.now();
  const polls = job.polls + 1;
  const delay = computeBackoffDelay(polls - 1, pollBackoffRule(deps), deps.random);
  const nextPollAt = Math.min(now + delay, job.deadline_at);
  if (polled.kind === 'error') {
    deps.logger.warn({ jobId: job.id, code: polled.error.code, upstreamStatus: polled.error.upstreamStatus }, 'video poll failed; retrying');
    await deps.repo.updateLeased(job.id, owner, { polls, poll_errors: job.poll_errors + 1, next_poll_at: nextPollAt, updated_at: now, ...leaseFree });
    return;
  }
  const status = polled.state.status === 'running' ? 'running' : job.status === 'running' ? 'running' : 'queued';
  await deps.repo.updateLeased(job.id, owner, {
    status,
    upstream_status: polled.state.upstreamStatus,
    polls,
    poll_errors: 0,
    next_poll_at: nextPollAt,
    updated_at: now,
    ...leaseFree,
  });
}

/** Copies the videos when result storage is on; a failed copy leaves the upstream URL in place. */
async function toSucceededOutcome(deps: VideoJobDeps, job: VideoJob, state: Extract<TaskState, { status: 'succeeded' }>): Promise<JobOutcome> {
  const storedFiles: string[] = [];
  const storage = deps.storage;
  if (storage !== undefined) {
    const copyOptions = {
      guard: { allowPrivateAddresses: deps.options.allowPrivateAddresses },
      maxBytes: deps.options.maxVideoBytes,
      timeoutMs: Math.floor(deps.options.leaseMs / 2),
    };
    try {
      for (const [index, video] of state.videos.entries()) {
        const name = storedFileName(job.id, index);
        await copyVideoResult(video.url, name, storage, copyOptions);
        storedFiles.push(name);
      }
    } catch (error) {
      deps.logger.error({ jobId: job.id, err: error }, 'copying the video to result storage failed; serving the upstream URL');
      storedFiles.length = 0;
    }
  }
  return { status: 'succeeded', upstreamStatus: state.upstreamStatus, videos: state.videos, deliveredSeconds: readDeliveredSeconds(state), storedFiles };
}

function unconfirmedOutcome(): JobOutcome {
  return {
    status: 'failed',
    upstreamStatus: null,
    code: 'upstream_timeout',
    message: 'The upstream never confirmed the task. It was not resubmitted, and nothing was charged.',
  };
}

function deadlineOutcome(deps: VideoJobDeps, upstreamStatus: string | null): JobOutcome {
  const minutes = Math.round(deps.options.deadlineMs / 60_000);
  return {
    status: 'failed',
    upstreamStatus,
    code: 'upstream_timeout',
    message: `The video was not ready within ${minutes} minutes; the task was abandoned and nothing was charged.`,
  };
}
