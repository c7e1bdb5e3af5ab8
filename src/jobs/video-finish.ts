/**
 * Ending a job, in two steps that each survive a crash after them:
 *   1. write the outcome (terminal status, result or error, intended charge) — only from an active status and
 *      only by the lease holder, so of two workers exactly one decides;
 *   2. settle or release the hold, then mark billing done and queue the callback. Holds settle and release
 *      idempotently, so a step 2 repeated after a crash replays the first charge instead of charging again.
 * A job's request record is written once, at the end of step 2 (its id is the task id).
 */
import { buildRequestRecord } from '../kernel/request-record.js';
import { errorCatalog, type ErrorCode } from '../shared/errors.js';
import type { TaskVideo } from '../providers/task-types.js';
import { activeJobStatuses, leaseFree, type VideoJob, type VideoJobChanges } from './video-jobs.js';
import type { VideoJobDeps } from './video-job-deps.js';
import { computeVideoCharge } from './video-pricing.js';

export type JobOutcome =
  | { status: 'succeeded'; upstreamStatus: string; videos: TaskVideo[]; deliveredSeconds: number | undefined; storedFiles: string[] }
  | { status: 'failed'; upstreamStatus: string | null; code: ErrorCode | string; message: string; notify?: boolean };

/** Records the outcome and bills it; false when the job was no longer this worker's to finish. */
export async function finishVideoJob(deps: VideoJobDeps, job: VideoJob, owner: string, outcome: JobOutcome): Promise<boolean> {
  const now = deps.clock.now();
  const decided: VideoJobChanges = { upstream_status: outcome.upstreamStatus, finished_at: now, updated_at: now, next_poll_at: now };
  if (outcome.status === 'succeeded') {
    const model = deps.catalog.get(job.model);
    // A model dropped from the catalog mid-job is charged what was held: the price it was submitted at.
    const charge =
      model === undefined
        ? { billedSeconds: job.duration_seconds, costNanos: job.held_nanos, upstreamCostNanos: job.held_nanos }
        : computeVideoCharge(model, job, outcome.deliveredSeconds);
    Object.assign(decided, {
      status: 'succeeded',
      result_json: JSON.stringify(outcome.videos),
      stored_file: outcome.storedFiles.length > 0 ? outcome.storedFiles.join(',') : null,
      cost_nanos: charge.costNanos,
      upstream_cost_nanos: charge.upstreamCostNanos,
      billed_seconds: charge.billedSeconds,
      delivered_ms: outcome.deliveredSeconds === undefined ? null : Math.round(outcome.deliveredSeconds * 1000),
    } satisfies VideoJobChanges);
    if (outcome.deliveredSeconds !== undefined && outcome.deliveredSeconds > job.duration_seconds + 0.5) {
      deps.logger.warn({ jobId: job.id, requested: job.duration_seconds, delivered: outcome.deliveredSeconds }, 'upstream produced more video than requested; charged the requested duration');
    }
  } else {
    Object.assign(decided, { status: 'failed', error_code: outcome.code, error_message: outcome.message, cost_nanos: null } satisfies VideoJobChanges);
  }
  if (outcome.status === 'failed' && outcome.notify === false) decided.callback_url = null;
  const won = await deps.repo.updateLeased(job.id, owner, decided, activeJobStatuses);
  if (!won) return false;
  await completeVideoBilling(deps, { ...job, ...decided } as VideoJob, owner);
  return true;
}

/** Step 2: settles a succeeded job at its recorded charge or releases a failed one, then queues the callback. */
export async function completeVideoBilling(deps: VideoJobDeps, job: VideoJob, owner: string): Promise<void> {
  if (job.billing_state !== 'held') return;
  const { chargedNanos, state } = await closeHold(deps, job);
  const now = deps.clock.now();
  const changes: VideoJobChanges = {
    billing_state: state,
    cost_nanos: state === 'settled' ? chargedNanos : null,
    next_poll_at: null,
    callback_state: job.callback_url === null ? 'none' : 'pending',
    callback_next_at: job.callback_url === null ? null : now,
    updated_at: now,
    ...leaseFree,
  };
  if (!(await deps.repo.updateLeased(job.id, owner, changes))) return;
  recordVideoLog(deps, { ...job, ...changes } as VideoJob);
}

async function closeHold(deps: VideoJobDeps, job: VideoJob): Promise<{ chargedNanos: bigint; state: 'settled' | 'released' }> {
  if (job.hold_id === null) return { chargedNanos: 0n, state: 'released' };
  if (job.status === 'succeeded') {
    const costNanos = job.cost_nanos ?? 0n;
    const settled = await deps.billing.settle(job.hold_id, {
      costNanos,
      upstreamCostNanos: job.upstream_cost_nanos ?? costNanos,
      estimated: job.delivered_ms === null,
    });
    if (settled.ok) return { chargedNanos: settled.chargedNanos, state: 'settled' };
    // Only an operator releasing the hold by hand gets here; the job keeps its result and is not charged.
    deps.logger.error({ jobId: job.id, holdId: job.hold_id, reason: settled.reason }, 'video hold could not be settled');
    return { chargedNanos: 0n, state: 'released' };
  }
  const released = await deps.billing.release(job.hold_id, `video job ${job.status}`);
  if (!released.ok) deps.logger.error({ jobId: job.id, holdId: job.hold_id, reason: released.reason }, 'video hold could not be released');
  return { chargedNanos: 0n, state: 'released' };
}

function statusForCode(code: string | null): number {
  if (code === null) return 200;
  return code in errorCatalog ? errorCatalog[code as ErrorCode].status : 502;
}

function recordVideoLog(deps: VideoJobDeps, job: VideoJob): void {
  const errorCode = job.status === 'succeeded' ? null : (job.error_code ?? 'upstream_error');
  deps.requestLog.record(
    buildRequestRecord({
      id: job.id,
      requestId: job.request_id,
      userId: job.user_id,
      apiKeyId: job.api_key_id,
      endpoint: 'videos.generations',
      model: job.model,
      provider: job.provider,
      channelId: job.channel_id,
      startedAt: job.created_at,
      finishedAt: job.finished_at ?? deps.clock.now(),
      outcome: { status: statusForCode(errorCode), errorCode },
      costNanos: job.billing_state === 'settled' ? job.cost_nanos : null,
      estimated: job.status === 'succeeded' && job.delivered_ms === null,
      finishReason: job.upstream_status,
      warnings: job.warnings,
    }),
  );
}
