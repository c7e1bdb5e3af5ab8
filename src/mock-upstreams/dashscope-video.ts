/**
 * Mock of DashScope's async video API for Wan: task creation (which, like the real service, refuses calls
 * without `X-DashScope-Async: enable`) and `GET /api/v1/tasks/{id}`. Only these paths: Qwen chat on the
 * same host is another mock's job, combined with this one under the provider's prefix.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { mockAssetUrl, serveMockAsset } from './mock-assets.js';
import type { MockTask, MockTaskControl, MockTaskStatus } from './mock-task-control.js';
import type { MockContext, MockProvider, MockRequest } from './types.js';

export interface DashScopeVideoMockOptions {
  /** When set, requests must carry exactly this bearer key; otherwise any non-empty key passes. */
  apiKey?: string;
}

export const dashScopeMockProvider = 'alibaba';

const synthesisPaths = {
  video: '/api/v1/services/aigc/video-generation/video-synthesis',
  keyframes: '/api/v1/services/aigc/image2video/video-synthesis',
} as const;

function dashScopeError(code: string, message: string): Record<string, string> {
  return { code, message, request_id: randomUUID() };
}

type Body = Record<string, unknown>;

function asRecord(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};
}

function findInputProblem(path: string, model: string, input: Body): string | undefined {
  if (path === synthesisPaths.keyframes) {
    if (typeof input.first_frame_url !== 'string' || typeof input.last_frame_url !== 'string') {
      return 'first_frame_url and last_frame_url are required';
    }
    return undefined;
  }
  if (model.includes('-i2v')) return typeof input.img_url === 'string' ? undefined : 'img_url is required';
  return typeof input.prompt === 'string' && input.prompt !== '' ? undefined : 'prompt is required';
}

/** The documented parameter rules, strictly: `size` uses `*`, `resolution` an upper-case P. */
function findWanBodyProblem(path: string, body: Body): string | undefined {
  if (typeof body.model !== 'string') return 'Model not exist.';
  const inputProblem = findInputProblem(path, body.model, asRecord(body.input));
  if (inputProblem !== undefined) return inputProblem;
  const parameters = asRecord(body.parameters);
  if (parameters.size !== undefined && !/^\d+\*\d+$/.test(String(parameters.size))) return 'The size is invalid, should be like 1280*720';
  if (parameters.resolution !== undefined && !/^(480|720|1080)P$/.test(String(parameters.resolution))) return 'The resolution is invalid';
  if (parameters.duration !== undefined && !Number.isInteger(parameters.duration)) return 'duration must be an integer';
  const seed = parameters.seed;
  if (seed !== undefined && (!Number.isInteger(seed) || (seed as number) < 0 || (seed as number) > 2_147_483_647)) return 'seed is out of range';
  return undefined;
}

const wanStatuses: Record<MockTaskStatus, string> = {
  queued: 'PENDING',
  running: 'RUNNING',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  cancelled: 'CANCELED',
  expired: 'UNKNOWN',
};

const tierSizes: Record<string, string> = { '480P': '832*480', '720P': '1280*720', '1080P': '1920*1080' };

function formatDashScopeTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function toWanTaskBody(req: MockRequest, task: MockTask): Body {
  const body = asRecord(task.body);
  const parameters = asRecord(body.parameters);
  const output: Body = { task_id: task.id, task_status: wanStatuses[task.status], submit_time: formatDashScopeTime(task.createdAtMs) };
  if (task.status !== 'queued') output.scheduled_time = formatDashScopeTime(task.createdAtMs);
  if (task.status === 'failed') {
    output.code = task.outcome.errorCode ?? 'InternalError';
    output.message = task.outcome.errorMessage ?? 'An internal error has occured during execution.';
  }
  if (task.status !== 'succeeded') return { request_id: randomUUID(), output };
  output.end_time = formatDashScopeTime(task.updatedAtMs);
  output.orig_prompt = asRecord(body.input).prompt ?? '';
  output.video_url = task.outcome.videoUrl ?? mockAssetUrl(req, `${task.id}.mp4`);
  const seconds = task.outcome.durationSeconds ?? Number(parameters.duration ?? 5);
  const ratio = typeof parameters.size === 'string' ? parameters.size : (tierSizes[String(parameters.resolution ?? '720P')] ?? '1280*720');
  return { request_id: randomUUID(), output, usage: { video_duration: seconds, video_ratio: ratio, video_count: 1 } };
}

async function handleWanCreate(req: MockRequest, res: ServerResponse, ctx: MockContext, control: MockTaskControl): Promise<void> {
  if (req.headers['x-dashscope-async'] !== 'enable') {
    await ctx.sendError(res, 403, dashScopeError('AccessDenied', 'current user api does not support synchronous calls'));
    return;
  }
  const body = asRecord(req.body);
  const problem = findWanBodyProblem(req.pathname, body);
  if (problem !== undefined) {
    await ctx.sendError(res, 400, dashScopeError('InvalidParameter', problem));
    return;
  }
  const task = control.create({
    provider: dashScopeMockProvider,
    path: req.pathname,
    model: String(body.model),
    body,
    // A version-4 UUID as DashScope sends, its random digits taken from the nonce.
    makeId: (nonce) => `${nonce.slice(0, 8)}-${nonce.slice(8, 12)}-4${nonce.slice(12, 15)}-b${nonce.slice(15)}c6-5ff84d82bcb6`,
  });
  await ctx.sendJson(res, { output: { task_status: 'PENDING', task_id: task.id }, request_id: randomUUID() });
}

async function handleWanQuery(req: MockRequest, res: ServerResponse, ctx: MockContext, control: MockTaskControl, id: string): Promise<void> {
  const task = control.find(id);
  // DashScope answers an unknown or expired id with 200 and status UNKNOWN, not with 404.
  if (task === undefined || task.provider !== dashScopeMockProvider) {
    await ctx.sendJson(res, { request_id: randomUUID(), output: { task_id: id, task_status: 'UNKNOWN' } });
    return;
  }
  control.recordPoll(task);
  await ctx.sendJson(res, toWanTaskBody(req, task));
}

export function createDashScopeVideoMock(control: MockTaskControl, options: DashScopeVideoMockOptions = {}): MockProvider {
  return async (req, res, ctx) => {
    if (serveMockAsset(req, res)) return true;
    const isCreate = req.method === 'POST' && (req.pathname === synthesisPaths.video || req.pathname === synthesisPaths.keyframes);
    const queryId = req.method === 'GET' ? /^\/api\/v1\/tasks\/([^/]+)$/.exec(req.pathname)?.[1] : undefined;
    if (!isCreate && queryId === undefined) return false;
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (key === undefined || (options.apiKey !== undefined && key !== options.apiKey)) {
      await ctx.sendError(res, 401, dashScopeError('InvalidApiKey', 'Invalid API-key provided.'));
      return true;
    }
    if (isCreate) await handleWanCreate(req, res, ctx, control);
    else await handleWanQuery(req, res, ctx, control, decodeURIComponent(queryId as string));
    return true;
  };
}
