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
import { isModelAllowed } from '../accounts/api-keys.js';
import type { CatalogModel } from '../catalog/schema.js';
import { GatewayError } from '../shared/errors.js';
import { toUpstreamTarget } from '../channels/channel-pick.js';
import { newId } from '../shared/ids.js';
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
  /** Called once the job row exists: from then on the job writes this call's request record. */
  onJobCreated?: (() => void) | undefined;
}

export interface VideoSubmitResult {
  job: VideoJob;
  warnings: Array<{ param: string; message: string }>;
}

export function resolveVideoModel(deps: Pick<VideoJobDeps, 'catalog' | 'router'>, auth: AuthContext, modelId: string): CatalogModel {
  const model = deps.catalog.get(modelId);
  if (!model || !model.enabled || model.modality !== 'video' || !deps.router.isServed(model.id)) {
    throw new GatewayError('model_not_found', { param: 'model', message: `The model '${modelId}' does not exist or is not a video model.` });
  }
  if (!isModelAllowed(auth, model.id)) throw new GatewayError('model_not_allowed', { param: 'model' });
  return model;
}

/** Creates the job and its upstream task; throws the upstream's refusal (the job is then failed and refunded). */
export async function submitVideoJob(deps: VideoJobDeps, input: VideoSubmitInput): Promise<VideoSubmitResult> {
  const { auth, request } = input;
  const model = resolveVideoModel(deps, auth, request.model);
  const adapter = deps.adapters.videoAdapterFor(model);
  if (adapter === undefined) throw new GatewayError('model_not_found', { param: 'model', message: `The model '${model.id}' is not available.` });
  const valid = adapter.validate(request, model);
  if (request.callback_url !== undefined) {
    const checked = await checkPublicUrl(request.callback_url, 'callback_url', { allowPrivateAddresses: deps.options.allowPrivateAddresses });
    if (!checked.ok) throw new GatewayError('invalid_request', { param: 'callback_url', message: checked.reason, cause: checked.cause });
  }
  const draft = await draftJob(deps, input, model, valid);
  const job = await insertJobWithHold(deps, input.auth, draft);
  const progress: SubmitProgress = { createMayExist: false, finished: false };
  try {
    input.onJobCreated?.();
    const outcome = await createUpstreamTask(deps, job, input.owner, model, adapter, valid, progress);
    return { job: outcome, warnings: outcome.warnings === null ? [] : (JSON.parse(outcome.warnings) as VideoSubmitResult['warnings']) };
  } catch (error) {
    if (!progress.createMayExist && !progress.finished) await failUnsentJob(deps, job, input.owner, error);
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
  const id = `tsk-${newId('tsk').slice(4)}`;
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
): Promise<VideoJob> {
  const tried = new Set<string>();
  let current = job;
  let lastError: GatewayError | undefined;
  for (let attempt = 0; attempt < deps.options.maxSubmitAttempts; attempt++) {
    const pick = deps.router.pick(model.id, tried);
    if (!pick) break;
    tried.add(pick.channelId);
    // The channel is written down before the create goes out: an unknown outcome must name the account it hit.
    await deps.repo.updateLeased(job.id, owner, { channel_id: pick.channelId, updated_at: deps.clock.now() });
    const target = toUpstreamTarget(pick, model);
    const ctx = { now: () => deps.clock.now() };
    let submission;
    try {
      submission = await adapter.submit(valid, target, ctx);
    } catch (error) {
      lastError = error instanceof GatewayError ? error : new GatewayError('internal_error', { cause: error });
      break;
    }
    const warnings = submission.warnings.length > 0 ? JSON.stringify(submission.warnings) : null;
    current = { ...job, channel_id: pick.channelId, warnings };
    progress.createMayExist = true;
    const result = await sendCreate(deps, adapter, submission.request, target, ctx);
    if (result.kind === 'refused') progress.createMayExist = false;
    if (result.kind === 'accepted') return markQueued(deps, current, result.upstreamTaskId, submission.pollPath ?? null);
    if (result.kind === 'unknown') return markUnknown(deps, current, result.error);
    lastError = result.error;
    if (!result.error.retryable) break;
    deps.logger.warn({ jobId: job.id, channel: pick.channelId, code: result.error.code }, 'video create refused; trying another channel');
  }
  const error = lastError ?? new GatewayError('no_channel');
  // The client gets this refusal as the HTTP answer and never learns the task id, so no callback follows.
  await finishVideoJob(deps, current, owner, { status: 'failed', upstreamStatus: null, code: error.code, message: error.message, notify: false });
  progress.finished = true;
  throw error;
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
