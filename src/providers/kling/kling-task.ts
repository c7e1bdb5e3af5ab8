/**
 * Kling task responses, all in the envelope `{code, message, request_id, data}` where `code: 0` means
 * success. `data.task_status` moves submitted → processing → succeed (sic) | failed (`task_status_msg`).
 */
import { z } from 'zod';
import { taskErrorFromBody, taskFailureMessage } from '../task-error-structure.js';
import { readSubmittedTaskId, parseUpstreamBody, succeededWithoutVideo, type TaskState, type TaskTarget, type TaskVideo } from '../task-types.js';
import { klingErrorStructure } from './kling-error.js';

const klingEnvelopeSchema = z.looseObject({ code: z.number(), message: z.string().nullish() });

const klingCreateSchema = klingEnvelopeSchema.extend({
  data: z.looseObject({ task_id: z.union([z.string().min(1), z.number()]).transform(String) }),
});

export const klingTaskSchema = klingEnvelopeSchema.extend({
  data: z.looseObject({
    task_id: z.union([z.string(), z.number()]).nullish(),
    task_status: z.string(),
    task_status_msg: z.string().nullish(),
    task_result: z
      .looseObject({
        videos: z.array(z.looseObject({ url: z.string().nullish(), duration: z.union([z.string(), z.number()]).nullish() })).nullish(),
      })
      .nullish(),
  }),
});

type KlingTask = z.infer<typeof klingTaskSchema>['data'];

/** A 200 whose envelope code is not 0 is an error all the same. */
function throwOnKlingEnvelopeError(status: number, body: unknown, target: TaskTarget): void {
  const envelope = klingEnvelopeSchema.safeParse(body);
  if (status >= 400 || (envelope.success && envelope.data.code !== 0)) {
    throw taskErrorFromBody(klingErrorStructure, status, body, target);
  }
}

export function parseKlingSubmit(status: number, body: unknown, target: TaskTarget): { upstreamTaskId: string } {
  throwOnKlingEnvelopeError(status, body, target);
  return readSubmittedTaskId(klingCreateSchema, body, (created) => created.data.task_id);
}

function readKlingSeconds(value: string | number | null | undefined): number | undefined {
  const seconds = typeof value === 'number' ? value : Number.parseFloat(value ?? '');
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

function toSucceededState(task: KlingTask): TaskState {
  const videos: TaskVideo[] = [];
  for (const video of task.task_result?.videos ?? []) {
    if (!video.url) continue;
    const seconds = readKlingSeconds(video.duration);
    videos.push({ url: video.url, ...(seconds === undefined ? {} : { durationSeconds: seconds }) });
  }
  if (videos.length === 0) return succeededWithoutVideo(task.task_status);
  const timed = videos.filter((video) => video.durationSeconds !== undefined);
  const usage = timed.length === videos.length ? { videoSeconds: timed.reduce((sum, video) => sum + (video.durationSeconds ?? 0), 0) } : {};
  return { status: 'succeeded', upstreamStatus: task.task_status, videos, usage };
}

/** Maps one task snapshot; statuses Kling may add later count as running until the poller's deadline. */
export function parseKlingPoll(status: number, body: unknown, target: TaskTarget): TaskState {
  throwOnKlingEnvelopeError(status, body, target);
  const task = parseUpstreamBody(klingTaskSchema, body).data;
  switch (task.task_status) {
    case 'submitted':
      return { status: 'queued', upstreamStatus: task.task_status };
    case 'processing':
      return { status: 'running', upstreamStatus: task.task_status };
    case 'succeed':
      return toSucceededState(task);
    case 'failed': {
      return { status: 'failed', upstreamStatus: task.task_status, error: { code: 'upstream_error', message: taskFailureMessage(task.task_status_msg, target) } };
    }
    default:
      return { status: 'running', upstreamStatus: task.task_status };
  }
}
