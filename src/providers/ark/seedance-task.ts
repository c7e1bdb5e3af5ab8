/**
 * Seedance task responses. A create answers `{"id":"cgt-…"}`; a query answers the task object, whose
 * `status` moves queued → running → succeeded | failed | cancelled | expired. Failures arrive as HTTP 200 with
 * `status:"failed"` and `error:{code,message}`.
 */
import { z } from 'zod';
import { GatewayError } from '../../shared/errors.js';
import { mapTaskErrorCode, taskErrorFromBody, taskFailureMessage } from '../task-error-structure.js';
import { parseUpstreamBody, succeededWithoutVideo, type TaskState, type TaskTarget } from '../task-types.js';
import { arkErrorStructure } from './ark-error.js';

const seedanceCreateSchema = z.looseObject({ id: z.string().min(1) });

export const seedanceTaskSchema = z.looseObject({
  id: z.string().nullish(),
  status: z.string(),
  content: z.looseObject({ video_url: z.string().nullish(), last_frame_url: z.string().nullish() }).nullish(),
  resolution: z.string().nullish(),
  duration: z.number().nullish(),
  frames: z.number().nullish(),
  framespersecond: z.number().nullish(),
  usage: z.looseObject({ completion_tokens: z.number().nullish(), total_tokens: z.number().nullish() }).nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

type SeedanceTask = z.infer<typeof seedanceTaskSchema>;

export function parseSeedanceSubmit(status: number, body: unknown, target: TaskTarget): { upstreamTaskId: string } {
  if (status >= 400) throw taskErrorFromBody(arkErrorStructure, status, body, target);
  const parsed = seedanceCreateSchema.safeParse(body);
  if (!parsed.success) {
    if (typeof body === 'object' && body !== null && 'error' in body) throw taskErrorFromBody(arkErrorStructure, status, body, target);
    throw new GatewayError('upstream_bad_response', { message: 'The upstream accepted the task without a task id.' });
  }
  return { upstreamTaskId: parsed.data.id };
}

function videoSeconds(task: SeedanceTask): number | undefined {
  if (typeof task.duration === 'number') return task.duration;
  if (typeof task.frames === 'number' && typeof task.framespersecond === 'number' && task.framespersecond > 0) {
    return task.frames / task.framespersecond;
  }
  return undefined;
}

function toSucceededState(task: SeedanceTask): TaskState {
  const url = task.content?.video_url;
  if (!url) return succeededWithoutVideo(task.status);
  const seconds = videoSeconds(task);
  const tokens = task.usage?.completion_tokens ?? undefined;
  return {
    status: 'succeeded',
    upstreamStatus: task.status,
    videos: [
      {
        url,
        ...(seconds === undefined ? {} : { durationSeconds: seconds }),
        ...(task.resolution ? { resolution: task.resolution.toLowerCase() } : {}),
      },
    ],
    usage: { ...(seconds === undefined ? {} : { videoSeconds: seconds }), ...(tokens === undefined ? {} : { tokens }) },
  };
}

function toFailedState(task: SeedanceTask, target: TaskTarget): TaskState {
  const upstreamCode = task.error?.code ?? undefined;
  const code = (upstreamCode ? mapTaskErrorCode(arkErrorStructure, upstreamCode) : undefined) ?? 'upstream_error';
  const message = taskFailureMessage(task.error?.message, target);
  return { status: 'failed', upstreamStatus: task.status, error: { code, message, ...(upstreamCode ? { upstreamCode } : {}) } };
}

/** Maps one task snapshot; statuses Ark may add later count as running until the poller's deadline. */
export function parseSeedancePoll(status: number, body: unknown, target: TaskTarget): TaskState {
  if (status >= 400) throw taskErrorFromBody(arkErrorStructure, status, body, target);
  const task = parseUpstreamBody(seedanceTaskSchema, body);
  switch (task.status) {
    case 'queued':
    case 'pending':
      return { status: 'queued', upstreamStatus: task.status };
    case 'running':
    case 'processing':
      return { status: 'running', upstreamStatus: task.status };
    case 'succeeded':
      return toSucceededState(task);
    case 'failed':
      return toFailedState(task, target);
    case 'cancelled':
    case 'canceled':
      return { status: 'failed', upstreamStatus: task.status, error: { code: 'upstream_error', message: 'The upstream task was cancelled.' } };
    case 'expired':
      return { status: 'failed', upstreamStatus: task.status, error: { code: 'upstream_timeout', message: 'The upstream task expired before it finished.' } };
    default:
      return { status: 'running', upstreamStatus: task.status };
  }
}
