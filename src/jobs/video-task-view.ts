/** A video job as clients see it: the `video.generation.task` object of the videos endpoints and callbacks. */
import { nanosToUsdNumber } from '../billing/money.js';
import type { TaskVideo } from '../providers/task-types.js';
import { publicStatusOf, type PublicVideoStatus, type VideoJob } from './video-jobs.js';

export interface VideoTaskVideo {
  video_url: string;
  duration: number;
  resolution: string;
}

export interface VideoTask {
  id: string;
  object: 'video.generation.task';
  model: string;
  status: PublicVideoStatus;
  /** Unix seconds. */
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  duration: number;
  resolution: string;
  mode?: string;
  data?: VideoTaskVideo[];
  /** What the task was charged, in USD, once it succeeded. */
  cost?: number;
  usage?: { video_seconds: number };
  error?: { code: string; message: string };
}

export interface VideoTaskViewOptions {
  /** The URL clients get for a stored copy; absent when result storage is off or no origin is known. */
  fileUrl?: ((name: string) => string) | undefined;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The stored file of the i-th video of a job. */
export function storedFileName(jobId: string, index: number): string {
  return `${jobId}-${index}.mp4`;
}

function readVideos(job: VideoJob, options: VideoTaskViewOptions): VideoTaskVideo[] {
  const videos = job.result_json === null ? [] : (JSON.parse(job.result_json) as TaskVideo[]);
  const stored = job.stored_file === null ? [] : job.stored_file.split(',');
  return videos.map((video, index) => {
    const file = stored[index];
    const url = file !== undefined && options.fileUrl !== undefined ? options.fileUrl(file) : video.url;
    return { video_url: url, duration: video.durationSeconds ?? job.duration_seconds, resolution: video.resolution ?? job.resolution };
  });
}

export function toVideoTask(job: VideoJob, options: VideoTaskViewOptions = {}): VideoTask {
  const status = publicStatusOf[job.status];
  const task: VideoTask = {
    id: job.id,
    object: 'video.generation.task',
    model: job.model,
    status,
    created_at: seconds(job.created_at),
    updated_at: seconds(job.updated_at),
    finished_at: job.finished_at === null ? null : seconds(job.finished_at),
    duration: job.duration_seconds,
    resolution: job.resolution,
    ...(job.mode === null ? {} : { mode: job.mode }),
  };
  if (status === 'succeeded') {
    task.data = readVideos(job, options);
    task.cost = nanosToUsdNumber(job.cost_nanos ?? 0n);
    task.usage = { video_seconds: job.billed_seconds ?? job.duration_seconds };
  }
  if (status === 'failed') {
    task.error = { code: job.error_code ?? 'upstream_error', message: job.error_message ?? 'Video generation failed.' };
  }
  return task;
}
