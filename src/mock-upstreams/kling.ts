/**
 * Mock of the Kling video API: text2video and image2video tasks, each queried under its own creation path,
 * in Kling's `{code, message, request_id, data}` envelope. Every call must carry a JWT signed (HS256) with
 * the configured secret key, issued by the access key and inside its nbf/exp window on the control's clock.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { verifyKlingJwt, type KlingJwtCheck } from '../providers/kling/jwt.js';
import { mockAssetUrl, serveMockAsset } from './mock-assets.js';
import type { MockTask, MockTaskControl, MockTaskStatus } from './mock-task-control.js';
import type { MockContext, MockProvider, MockRequest } from './types.js';

export interface KlingMockOptions {
  accessKey: string;
  secretKey: string;
}

/** Credentials a demo channel uses against the mock; never valid anywhere else. */
export const klingMockCredentials: KlingMockOptions = { accessKey: 'mock-kling-access-key', secretKey: 'mock-kling-secret-key' };

export const klingMockProvider = 'kling';

function klingBody(code: number, message: string, data?: unknown): Record<string, unknown> {
  return { code, message, request_id: randomUUID(), ...(data === undefined ? {} : { data }) };
}

const authFailures: Record<Exclude<KlingJwtCheck, { ok: true }>['reason'], [number, string]> = {
  malformed: [1002, 'Authorization is invalid'],
  bad_signature: [1002, 'Authorization is invalid'],
  wrong_issuer: [1002, 'Authorization is invalid'],
  not_yet_valid: [1003, 'Authorization is not yet valid'],
  expired: [1004, 'Authorization has expired'],
};

/** The Kling error for a request's credentials, or undefined when they pass. */
async function checkKlingAuth(req: MockRequest, options: KlingMockOptions, nowMs: number): Promise<[number, string] | undefined> {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (token === undefined) return [1001, 'Authorization is empty'];
  const check = await verifyKlingJwt(token, options.accessKey, options.secretKey, Math.floor(nowMs / 1000));
  return check.ok ? undefined : authFailures[check.reason];
}

/** Kling's documented create rules, strictly: a wrong type is an error, never coerced. */
function findKlingBodyProblem(body: Record<string, unknown>, imageToVideo: boolean): string | undefined {
  if (body.model_name !== undefined && typeof body.model_name !== 'string') return 'model_name must be a string';
  if (!imageToVideo && (typeof body.prompt !== 'string' || body.prompt === '')) return 'prompt is required';
  if (typeof body.prompt === 'string' && body.prompt.length > 2500) return 'prompt is too long';
  if (body.duration !== undefined && (typeof body.duration !== 'string' || !/^\d+$/.test(body.duration))) return 'duration must be a string such as "5"';
  if (body.mode !== undefined && body.mode !== 'std' && body.mode !== 'pro') return 'mode must be std or pro';
  if (body.aspect_ratio !== undefined && !['16:9', '9:16', '1:1'].includes(String(body.aspect_ratio))) return 'aspect_ratio is invalid';
  if (body.cfg_scale !== undefined && (typeof body.cfg_scale !== 'number' || body.cfg_scale < 0 || body.cfg_scale > 1)) return 'cfg_scale must be in [0, 1]';
  if (imageToVideo && (typeof body.image !== 'string' || body.image === '')) return 'image is required';
  for (const field of ['image', 'image_tail']) {
    const value = body[field];
    if (typeof value === 'string' && value.startsWith('data:')) return `${field} must be a URL or Base64 without the data: prefix`;
  }
  return undefined;
}

function toKlingTaskData(task: MockTask): Record<string, unknown> {
  return {
    task_id: task.id,
    task_info: { external_task_id: null },
    task_status: klingStatuses[task.status],
    created_at: task.createdAtMs,
    updated_at: task.updatedAtMs,
  };
}

const klingStatuses: Record<MockTaskStatus, string> = {
  queued: 'submitted',
  running: 'processing',
  succeeded: 'succeed',
  failed: 'failed',
  cancelled: 'failed',
  expired: 'failed',
};

const failureMessages: Partial<Record<MockTaskStatus, string>> = { cancelled: 'Task was cancelled', expired: 'Task timed out' };

function toKlingQueryData(req: MockRequest, task: MockTask): Record<string, unknown> {
  const data: Record<string, unknown> = { ...toKlingTaskData(task), task_status_msg: '', watermark_info: { enabled: false } };
  if (klingStatuses[task.status] === 'failed') {
    data.task_status_msg = task.outcome.errorMessage ?? failureMessages[task.status] ?? 'Video generation failed';
  }
  if (task.status === 'succeeded') {
    const body = task.body as Record<string, unknown>;
    const seconds = task.outcome.durationSeconds ?? Number(body.duration ?? 5);
    const url = task.outcome.videoUrl ?? mockAssetUrl(req, `${task.id}.mp4`);
    data.task_result = { videos: [{ id: `${task.id}-0`, url, watermark_url: url, duration: String(seconds) }] };
    data.final_unit_deduction = String((body.mode === 'pro' ? 2 : 1) * Math.ceil(seconds / 5));
  }
  return data;
}

/** Kling's task ids are decimal strings of 18–19 digits; this one is the nonce's 64 bits folded into 19. */
function klingTaskId(nonce: string): string {
  return String(10n ** 18n + (BigInt(`0x${nonce}`) % (9n * 10n ** 18n)));
}

async function handleKlingCreate(req: MockRequest, res: ServerResponse, ctx: MockContext, control: MockTaskControl, kind: string): Promise<void> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const problem = findKlingBodyProblem(body, kind === 'image2video');
  if (problem !== undefined) {
    await ctx.sendError(res, 400, klingBody(1201, problem));
    return;
  }
  const model = typeof body.model_name === 'string' ? body.model_name : 'kling-v1';
  const task = control.create({ provider: klingMockProvider, path: `/v1/videos/${kind}`, model, body, makeId: klingTaskId });
  await ctx.sendJson(res, klingBody(0, 'SUCCEED', toKlingTaskData(task)));
}

async function handleKlingQuery(req: MockRequest, res: ServerResponse, ctx: MockContext, control: MockTaskControl, kind: string, id: string): Promise<void> {
  const task = control.find(id);
  if (task === undefined || task.provider !== klingMockProvider || task.path !== `/v1/videos/${kind}`) {
    await ctx.sendError(res, 404, klingBody(1203, 'Task not found'));
    return;
  }
  control.recordPoll(task);
  await ctx.sendJson(res, klingBody(0, 'SUCCEED', toKlingQueryData(req, task)));
}

export function createKlingMock(control: MockTaskControl, options: KlingMockOptions = klingMockCredentials): MockProvider {
  return async (req, res, ctx) => {
    if (serveMockAsset(req, res)) return true;
    const create = req.method === 'POST' ? /^\/v1\/videos\/(text2video|image2video)$/.exec(req.pathname) : null;
    const query = req.method === 'GET' ? /^\/v1\/videos\/(text2video|image2video)\/([^/]+)$/.exec(req.pathname) : null;
    if (create === null && query === null) return false;
    const authError = await checkKlingAuth(req, options, control.now());
    if (authError !== undefined) {
      await ctx.sendError(res, 401, klingBody(authError[0], authError[1]));
      return true;
    }
    if (create !== null) await handleKlingCreate(req, res, ctx, control, create[1] as string);
    else if (query !== null) await handleKlingQuery(req, res, ctx, control, query[1] as string, decodeURIComponent(query[2] as string));
    return true;
  };
}
