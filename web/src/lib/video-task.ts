/**
 * Reads a video task as the public API returns it, tolerating the field names OpenAI-style and provider-style
 * task APIs use, so the playground and the task list show status, video and cost the same way.
 */

export type VideoTaskStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'unknown';

export interface VideoTaskView {
  id: string;
  model: string | null;
  status: VideoTaskStatus;
  videoUrl: string | null;
  /** Decimal USD string when the task was charged. */
  costUsd: string | null;
  error: string | null;
  createdAt: number | null;
  prompt: string | null;
}

type Json = Record<string, unknown>;

const STATUS_WORDS: Record<string, VideoTaskStatus> = {
  queued: 'queued',
  pending: 'queued',
  submitted: 'queued',
  running: 'running',
  processing: 'running',
  in_progress: 'running',
  succeeded: 'succeeded',
  completed: 'succeeded',
  succeed: 'succeeded',
  success: 'succeeded',
  failed: 'failed',
  failure: 'failed',
  cancelled: 'failed',
  canceled: 'failed',
  expired: 'failed',
};

function asRecord(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function firstString(...values: unknown[]): string | null {
  for (const value of values) if (typeof value === 'string' && value.length > 0) return value;
  return null;
}

function findVideoUrl(task: Json): string | null {
  const output = asRecord(task.output) ?? asRecord(task.result) ?? asRecord(task.content);
  const lists = [task.data, task.videos, output?.videos, output?.data].filter(Array.isArray) as unknown[][];
  const fromList = lists.flatMap((list) => list.flatMap((item) => [asRecord(item)?.video_url, asRecord(item)?.url]));
  return firstString(task.video_url, task.url, output?.video_url, output?.url, ...fromList);
}

function toEpochMs(value: unknown): number | null {
  if (typeof value !== 'number') return null;
  return value < 1e12 ? value * 1000 : value;
}

export function toVideoTaskView(raw: unknown): VideoTaskView {
  const task = asRecord(raw) ?? {};
  const statusWord = typeof task.status === 'string' ? task.status.toLowerCase() : '';
  const error = asRecord(task.error);
  const usage = asRecord(task.usage);
  const cost = task.cost_usd ?? task.cost ?? usage?.cost;
  return {
    id: firstString(task.id, task.task_id) ?? '',
    model: firstString(task.model),
    status: STATUS_WORDS[statusWord] ?? 'unknown',
    videoUrl: findVideoUrl(task),
    costUsd: typeof cost === 'number' ? String(cost) : typeof cost === 'string' ? cost : null,
    error: firstString(error?.message, task.failure_reason, typeof task.error === 'string' ? task.error : null),
    createdAt: toEpochMs(task.created_at ?? task.created),
    prompt: firstString(task.prompt),
  };
}

export function isTerminal(status: VideoTaskStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}
