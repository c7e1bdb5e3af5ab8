/**
 * DashScope task responses. `output.task_status` moves PENDING → RUNNING → SUCCEEDED | FAILED | CANCELED;
 * UNKNOWN means the task expired or never existed. Usage fields differ between Wan generations
 * (`video_duration`/`video_ratio` on older ones, `duration`/`output_video_duration`/`SR`/`size` on newer).
 */
import { z } from 'zod';
import { mapTaskErrorCode, taskErrorFromBody, taskFailureMessage } from '../task-error-structure.js';
import { readSubmittedTaskId, parseUpstreamBody, succeededWithoutVideo, type TaskState, type TaskTarget, type TaskUsage } from '../task-types.js';
import { dashScopeErrorStructure } from './dashscope-error.js';
import { getWanResolutionForSize } from './wan-models.js';

const wanCreateSchema = z.looseObject({
  output: z.looseObject({ task_id: z.string().min(1), task_status: z.string().nullish() }),
});

export const wanTaskSchema = z.looseObject({
  output: z.looseObject({
    task_id: z.string().nullish(),
    task_status: z.string(),
    video_url: z.string().nullish(),
    code: z.string().nullish(),
    message: z.string().nullish(),
  }),
  usage: z
    .looseObject({
      video_duration: z.number().nullish(),
      output_video_duration: z.number().nullish(),
      duration: z.number().nullish(),
      video_ratio: z.string().nullish(),
      size: z.string().nullish(),
      SR: z.union([z.number(), z.string()]).nullish(),
    })
    .nullish(),
});

type WanTask = z.infer<typeof wanTaskSchema>;

/** A top-level `code` is an error unless the body is a task snapshot (a FAILED task repeats its code there). */
function throwOnDashScopeError(status: number, body: unknown, target: TaskTarget): void {
  const isTask = typeof body === 'object' && body !== null && 'output' in body;
  if (status >= 400 || (!isTask && dashScopeErrorStructure.readError(body) !== undefined)) {
    throw taskErrorFromBody(dashScopeErrorStructure, status, body, target);
  }
}

export function parseWanSubmit(status: number, body: unknown, target: TaskTarget): { upstreamTaskId: string } {
  throwOnDashScopeError(status, body, target);
  return readSubmittedTaskId(wanCreateSchema, body, (created) => created.output.task_id);
}

/** Delivered seconds: the output duration where the model reports it apart from the billed input. */
function readWanSeconds(usage: WanTask['usage']): number | undefined {
  return usage?.output_video_duration ?? usage?.video_duration ?? usage?.duration ?? undefined;
}

function readWanResolution(usage: WanTask['usage']): string | undefined {
  const sr = usage?.SR;
  if (typeof sr === 'number' || (typeof sr === 'string' && /^\d+$/.test(sr))) return `${sr}p`;
  const size = usage?.size ?? usage?.video_ratio;
  return size ? getWanResolutionForSize(size) : undefined;
}

function toSucceededState(task: WanTask): TaskState {
  const url = task.output.video_url;
  const upstreamStatus = task.output.task_status;
  if (!url) return succeededWithoutVideo(upstreamStatus);
  const seconds = readWanSeconds(task.usage);
  const resolution = readWanResolution(task.usage);
  const usage: TaskUsage = seconds === undefined ? {} : { videoSeconds: seconds };
  return {
    status: 'succeeded',
    upstreamStatus,
    videos: [{ url, ...(seconds === undefined ? {} : { durationSeconds: seconds }), ...(resolution === undefined ? {} : { resolution }) }],
    usage,
  };
}

function toFailedState(task: WanTask, target: TaskTarget): TaskState {
  const upstreamCode = task.output.code ?? undefined;
  const code = (upstreamCode ? mapTaskErrorCode(dashScopeErrorStructure, upstreamCode) : undefined) ?? 'upstream_error';
  const message = taskFailureMessage(task.output.message, target);
  return { status: 'failed', upstreamStatus: task.output.task_status, error: { code, message, ...(upstreamCode ? { upstreamCode } : {}) } };
}

/** Maps one task snapshot; statuses DashScope may add later count as running until the poller's deadline. */
export function parseWanPoll(status: number, body: unknown, target: TaskTarget): TaskState {
  throwOnDashScopeError(status, body, target);
  const task = parseUpstreamBody(wanTaskSchema, body);
  const upstreamStatus = task.output.task_status;
  switch (upstreamStatus) {
    case 'PENDING':
      return { status: 'queued', upstreamStatus };
    case 'RUNNING':
      return { status: 'running', upstreamStatus };
    case 'SUCCEEDED':
      return toSucceededState(task);
    case 'FAILED':
      return toFailedState(task, target);
    case 'CANCELED':
      return { status: 'failed', upstreamStatus, error: { code: 'upstream_error', message: 'The upstream task was cancelled.' } };
    case 'UNKNOWN':
      return { status: 'failed', upstreamStatus, error: { code: 'upstream_error', message: 'The upstream task expired or does not exist.' } };
    default:
      return { status: 'running', upstreamStatus };
  }
}
