/** The video job service: submit, read (owner only), list, and the one-step advance the poller drives. */
import { GatewayError } from '../shared/errors.js';
import { finishVideoJob } from './video-finish.js';
import { type VideoJob, type VideoJobListQuery, type VideoJobPage } from './video-jobs.js';
import type { VideoJobDeps } from './video-job-deps.js';
import { advanceVideoJob } from './video-progress.js';
import { submitVideoJob, type VideoSubmitInput, type VideoSubmitResult } from './video-submit.js';

export interface VideoService {
  submit(input: VideoSubmitInput): Promise<VideoSubmitResult>;
  /** The job when `userId` owns it; undefined for anyone else (the route answers 404 either way). */
  get(id: string, userId: string): Promise<VideoJob | undefined>;
  list(query: VideoJobListQuery): Promise<VideoJobPage>;
  /** One step of a job whose lease `owner` holds (see video-progress.ts). */
  advance(job: VideoJob, owner: string): Promise<void>;
  /**
   * Operator resolution of a job whose create outcome is unknown: with the upstream task id found in the
   * provider's console, polling resumes; with null (no such task exists), the job fails and is refunded.
   */
  resolveUnknown(id: string, upstreamTaskId: string | null): Promise<VideoJob>;
}

export function createVideoService(deps: VideoJobDeps, ownerId: string): VideoService {
  const operator = `${ownerId}/operator`;
  return {
    submit: (input) => submitVideoJob(deps, input),
    get: (id, userId) => deps.repo.getForOwner(id, userId),
    list: (query) => deps.repo.listForOwner(query),
    advance: (job, owner) => advanceVideoJob(deps, job, owner),
    async resolveUnknown(id, upstreamTaskId) {
      const now = deps.clock.now();
      const job = await deps.repo.claim(id, operator, now, now + deps.options.leaseMs);
      if (job === undefined || job.status !== 'unknown') {
        if (job !== undefined) await deps.repo.updateLeased(id, operator, { lease_owner: null, lease_until: null });
        throw new GatewayError('conflict', { message: 'Only a job whose create outcome is unknown can be resolved, and only while no worker holds it.' });
      }
      if (upstreamTaskId === null) {
        await finishVideoJob(deps, job, operator, {
          status: 'failed',
          upstreamStatus: null,
          code: 'upstream_error',
          message: 'The upstream never created the task; nothing was charged.',
        });
      } else {
        await deps.repo.updateLeased(id, operator, { status: 'queued', upstream_task_id: upstreamTaskId, next_poll_at: now, updated_at: now, lease_owner: null, lease_until: null }, ['unknown']);
      }
      const updated = await deps.repo.get(id);
      if (updated === undefined) throw new Error(`Job ${id} vanished`);
      return updated;
    },
  };
}
