/**
 * Submitting a video task: validate → price → hold → write the job (status `submitting`) → create upstream.
 * The job row exists before any upstream call, so a crash cannot lose a paid submission.
 *
 * No hold exists outside a scope that ends it: everything that can fail without money at stake (pricing, the
 * row itself with its serialised request) is done before the hold; between the hold and the stored row a
 * failure releases the hold; once the row exists the job owns the hold, and a failure before any create could
 * reach the upstream fails the job and refunds it. After that, a create may exist upstream: the job keeps its
 * hold and ends as described below.
 *
 * The create is never sent twice for one job. Each attempt ends in one of:
 *   - the upstream took it (a task id came back): the job is `queued` and the poller takes over;
 *   - the upstream refused it (any HTTP answer but 502/504, or no connection at all): if another channel may
 *     fare better (429, 5xx, unreachable) the next channel is tried, else the job fails and its hold is released;
 *   - the outcome is unknown (timeout or broken connection after sending, 502/504, a 2xx without a task id):
 *     the task may exist and be billed upstream, so it is NOT resubmitted. The job becomes `unknown` (clients see
 *     `queued`), keeps its hold, and fails with a full refund at its deadline unless an operator resolves it
 *     first. A job found still `submitting` after its lease ran out (the process died mid-create) is treated
 *     the same way.
 */
import type { AuthContext } from '../accounts/auth-context.js';
import type { CatalogModel } from '../catalog/schema.js';
import { GatewayError } from '../shared/errors.js';
import { toUpstreamTarget } from '../channels/channel-pick.js';
import { mintTaskId } from '../kernel/ids.js';
import { resolveModel } from '../kernel/resolve-model.js';
import { catalogRetryable, withChannelFailover } from '../kernel/channel-failover.js';
import { checkPublicUrl } from '../upstream/public-url.js';
import type { TaskContext, TaskTarget, ValidatedVideoRequest, VideoRequest, VideoTaskAdapter } from '../providers/task-types.js';
import { exchangeMediaRequest } from './media-exchange.js';
import { finishVideoJob } from './video-finish.js';
import { leaseFree, type VideoJob } from './video-jobs.js';
import type { VideoJobDeps } from './video-job-deps.js';
import { priceVideo } from './video-pricing.js';

const MAX_TASK_BODY_BYTES = 1024 * 1024;

export interface VideoSubmitInput {
  auth: AuthContext;
  request: VideoRequest;
  requestId: string | null;
  /** Lease owner of the submitting request (distinct from any poller's). */
  owner: string;
}

/**
 * A submit whose job was created: either its task (accepted, or of unknown outcome) or the refusal the client is
 * answered with. Either way the job writes the call's request record. Refusals before the job exists (the
 * model, the request, the money) are thrown and leave the record to the caller.
 */
export type VideoSubmitResult =
  | { ok: true; job: VideoJob; warnings: Array<{ param: string; message: string }> }
  | { ok: false; error: GatewayError };

export function resolveVideoModel(deps: Pick<VideoJobDeps, 'catalog' | 'router' | 'adapters'>, auth: AuthContext, modelId: string) {
  return resolveModel(deps, auth, modelId, 'video', (model) => deps.adapters.videoAdapterFor(model));
}

/** Creates the job and its upstream task; a refusal after the job exists is returned (the job is failed and refunded). */
export async function submitVideoJob(deps: VideoJobDeps, input: VideoSubmitInput): Promise<VideoSubmitResult> {
  const { auth, request } = input;
  const { model, adapter } = resolveVideoModel(deps, auth, request.model);
  const valid = adapter.validate(request, model);
  if (request.callback_url !== undefined) {
    const checked = await checkPublicUrl(request.callback_url, 'callback_url', { allowPrivateAddresses: deps.options.allowPrivateAddresses });
    if (!checked.ok) throw new GatewayError('invalid_request', { param: 'callback_url', message: checked.reason, cause: checked.cause });
  }
  const draft = await draftJob(deps, input, model, valid);
  const job = await insertJobWithHold(deps, input.auth, draft);
  const progress: SubmitProgress = { createMayExist: false, finished: false };
  try {
    const outcome = await createUpstreamTask(deps, job, input.owner, model, adapter, valid, progress);
    if (!outcome.ok) return outcome;
    const created = outcome.job;
    return { ok: true, job: created, warnings: created.warnings === null ? [] : (JSON.parse(created.warnings) as Array<{ param: string; message: string }>) };
  } catch (error) {
    if (!progress.createMayExist && !progress.finished) await failUnsentJob(deps, job, input.owner, error);
    // The job is over and wrote its record: a refusal is the answer; anything else is a broken invariant.
    if (error instanceof GatewayError && !progress.createMayExist) return { ok: false, error };
    throw error;
  }
}

/** Where a submit stands, so a failure knows whether the job may still be refunded at once. */
interface SubmitProgress {
  /** A create was sent and not clearly refused: the task may exist upstream and be billed there. */
  createMayExist: boolean;
  /** The job was already failed and refunded. */
  finished: boolean;
}

/** The job row with everything but its hold: priced and serialised while no money is at stake. */
async function draftJob(deps: VideoJobDeps, input: VideoSubmitInput, model: CatalogModel, valid: ValidatedVideoRequest): Promise<JobDraft> {
  const resolved = await deps.billing.multiplierFor(input.auth.groupId, model.id);
  const heldNanos = priceVideo(model, { seconds: valid.duration, mode: valid.mode, resolution: valid.resolution }, resolved.multiplier);
  const id = mintTaskId();
  const now = deps.clock.now();
  const deadline = now + deps.options.deadlineMs;
  return toNewJobRow({ id, input, model, valid, now, deadline, heldNanos, multiplier: resolved.text, leaseMs: deps.options.leaseMs });
}

/** Takes the hold and stores the row that owns it; the hold is released if the row cannot be stored. */
async function insertJobWithHold(deps: VideoJobDeps, auth: AuthContext, draft: JobDraft): Promise<VideoJob> {
  const reserved = await deps.billing.reserve({
    userId: auth.userId,
    apiKeyId: auth.key?.id ?? null,
    requestId: draft.id,
    jobId: draft.id,
    amountNanos: draft.held_nanos,
    expiresAt: draft.deadline_at + deps.options.holdGraceMs,
  });
  if (!reserved.ok) throw reserved.error;
  const job: VideoJob = { ...draft, hold_id: reserved.holdId };
  try {
    await deps.repo.insert(job);
  } catch (error) {
    await deps.billing.release(reserved.holdId, 'video job could not be stored').catch((releaseError: unknown) => {
      deps.logger.error({ err: releaseError, holdId: reserved.holdId }, 'hold of an unstored video job not released; it expires on its own');
    });
    throw error;
  }
  return job;
}

/** A submit that failed before any create could reach the upstream: the job fails and its hold is released. */
async function failUnsentJob(deps: VideoJobDeps, job: VideoJob, owner: string, cause: unknown): Promise<void> {
  deps.logger.error({ err: cause, jobId: job.id }, 'video submit failed before the create was sent; job failed and refunded');
  const code = cause instanceof GatewayError ? cause.code : 'internal_error';
  const message = cause instanceof GatewayError ? cause.message : 'The task could not be submitted.';
  try {
    await finishVideoJob(deps, job, owner, { status: 'failed', upstreamStatus: null, code, message, notify: false });
  } catch (finishError) {
    // The row could not be updated: free the money now, and leave the row to the poller, which takes it over
    // when its lease runs out and ends it at its deadline (releasing again is a no-op).
    deps.logger.error({ err: finishError, jobId: job.id }, 'failed video submit could not be closed; releasing its hold directly');
    if (job.hold_id === null) return;
    await deps.billing.release(job.hold_id, 'video submit failed before the create was sent').catch((releaseError: unknown) => {
      deps.logger.error({ err: releaseError, jobId: job.id }, 'hold of a failed video submit not released; the job ends it at its deadline');
    });
  }
}

interface NewJobFacts {
  id: string;
  input: VideoSubmitInput;
  model: CatalogModel;
  valid: ValidatedVideoRequest;
  now: number;
  deadline: number;
  heldNanos: bigint;
  multiplier: string;
  leaseMs: number;
}

type JobDraft = Omit<VideoJob, 'hold_id'>;

function toNewJobRow(facts: NewJobFacts): JobDraft {
  const { id, input, model, valid, now } = facts;
  const { callback_url: callbackUrl, ...publicRequest } = input.request;
  return {
    id,
    user_id: input.auth.userId,
    api_key_id: input.auth.key?.id ?? null,
    request_id: input.requestId,
    model: model.id,
    provider: model.provider,
    channel_id: null,
    status: 'submitting',
    upstream_task_id: null,
    upstream_status: null,
    poll_path: null,
    request_json: JSON.stringify(publicRequest),
    duration_seconds: valid.duration,
    resolution: valid.resolution,
    mode: valid.mode ?? null,
    multiplier: facts.multiplier,
    held_nanos: facts.heldNanos,
    cost_nanos: null,
    upstream_cost_nanos: null,
    billed_seconds: null,
    delivered_ms: null,
    billing_state: 'held',
    result_json: null,
    stored_file: null,
    error_code: null,
    error_message: null,
    warnings: null,
    polls: 0,
    poll_errors: 0,
    // Due at once, but leased by the submitting request: the poller only sees it if that request died.
    next_poll_at: now,
    lease_owner: input.owner,
    lease_until: now + facts.leaseMs,
    deadline_at: facts.deadline,
    callback_url: callbackUrl ?? null,
    callback_state: 'none',
    callback_attempts: 0,
    callback_next_at: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
}

type AttemptResult =
  | { kind: 'accepted'; upstreamTaskId: string }
  | { kind: 'refused'; error: GatewayError }
  | { kind: 'unknown'; error: GatewayError };

async function createUpstreamTask(
  deps: VideoJobDeps,
  job: VideoJob,
  owner: string,
  model: CatalogModel,
  adapter: VideoTaskAdapter,
  valid: ValidatedVideoRequest,
  progress: SubmitProgress,
): Promise<{ ok: true; job: VideoJob } | { ok: false; error: GatewayError }> {
  let current = job;
  const outcome = await withChannelFailover<VideoJob>({
    modality: 'video',
    modelId: model.id,
    router: deps.router,
    maxAttempts: deps.options.maxSubmitAttempts,
    // Only clear refusals reach the classifier: an unknown outcome is never resubmitted.
    isRetryable: catalogRetryable,
    noChannel: () => new GatewayError('no_channel'),
    logger: deps.logger,
    attempt: async (pick) => {
      // The channel is written down before the create goes out: an unknown outcome must name the account it hit.
      await deps.repo.updateLeased(job.id, owner, { channel_id: pick.channelId, updated_at: deps.clock.now() });
      const target = toUpstreamTarget(pick, model);
      const ctx = { now: () => deps.clock.now() };
      // A translation that throws ends the submit before any create was sent (the job is failed and refunded).
      const submission = await adapter.submit(valid, target, ctx);
      const warnings = submission.warnings.length > 0 ? JSON.stringify(submission.warnings) : null;
      current = { ...job, channel_id: pick.channelId, warnings };
      progress.createMayExist = true;
      const result = await sendCreate(deps, adapter, submission.request, target, ctx);
      if (result.kind === 'refused') {
        progress.createMayExist = false;
        return { ok: false, error: result.error };
      }
      if (result.kind === 'accepted') return { ok: true, value: await markQueued(deps, current, result.upstreamTaskId, submission.pollPath ?? null) };
      return { ok: true, value: await markUnknown(deps, current, result.error) };
    },
  });
  if (outcome.ok) return { ok: true, job: outcome.value };
  // The client gets this refusal as the HTTP answer and never learns the task id, so no callback follows.
  await finishVideoJob(deps, current, owner, { status: 'failed', upstreamStatus: null, code: outcome.error.code, message: outcome.error.message, notify: false });
  progress.finished = true;
  return outcome;
}

async function sendCreate(
  deps: VideoJobDeps,
  adapter: VideoTaskAdapter,
  request: Parameters<typeof exchangeMediaRequest>[1],
  target: TaskTarget,
  ctx: TaskContext,
): Promise<AttemptResult> {
  const exchange = await exchangeMediaRequest(deps.client, request, { timeoutMs: deps.options.upstreamTimeoutMs, maxBytes: MAX_TASK_BODY_BYTES });
  if (exchange.kind === 'not_sent') return { kind: 'refused', error: exchange.error };
  if (exchange.kind === 'lost') return { kind: 'unknown', error: exchange.error };
  const { status } = exchange;
  if (status === 502 || status === 504) return { kind: 'unknown', error: new GatewayError(status === 504 ? 'upstream_timeout' : 'upstream_error', { upstreamStatus: status }) };
  if (status < 200 || status > 299) return { kind: 'refused', error: adapter.parseError(status, exchange.headers, exchange.text, target, ctx) };
  if (exchange.json === undefined) return { kind: 'unknown', error: new GatewayError('upstream_bad_response') };
  try {
    return { kind: 'accepted', upstreamTaskId: adapter.parseSubmit(status, exchange.json, target).upstreamTaskId };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    // A 2xx that names no task may still have created one; an error envelope in a 2xx is a clear refusal.
    return error.code === 'upstream_bad_response' ? { kind: 'unknown', error } : { kind: 'refused', error };
  }
}

async function markQueued(deps: VideoJobDeps, job: VideoJob, upstreamTaskId: string, pollPath: string | null): Promise<VideoJob> {
  const now = deps.clock.now();
  const changes = {
    status: 'queued' as const,
    upstream_task_id: upstreamTaskId,
    poll_path: pollPath,
    channel_id: job.channel_id,
    warnings: job.warnings,
    next_poll_at: now + deps.options.pollMinDelayMs,
    updated_at: now,
    ...leaseFree,
  };
  // `unknown` too: a create that answered after its lease ran out still tells us where the task is.
  await deps.repo.updateInStatus(job.id, ['submitting', 'unknown'], changes);
  return { ...job, ...changes };
}

async function markUnknown(deps: VideoJobDeps, job: VideoJob, error: GatewayError): Promise<VideoJob> {
  const now = deps.clock.now();
  deps.logger.error({ jobId: job.id, channel: job.channel_id, code: error.code }, 'video create outcome unknown; not resubmitted, awaiting reconciliation');
  const changes = { status: 'unknown' as const, warnings: job.warnings, next_poll_at: job.deadline_at, updated_at: now, ...leaseFree };
  await deps.repo.updateInStatus(job.id, ['submitting'], changes);
  return { ...job, ...changes };
}
