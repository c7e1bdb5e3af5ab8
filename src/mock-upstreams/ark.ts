/**
 * Mock of Volcengine Ark / BytePlus ModelArk: Seedream `POST /api/v3/images/generations` and the Seedance
 * task API (`POST /api/v3/contents/generations/tasks`, `GET …/tasks/{id}`), with Ark's error bodies.
 * Task state lives in a MockTaskControl, so it moves only when a test (or auto mode) moves it.
 */
import type { ServerResponse } from 'node:http';
import { mockAssetUrl, mockPngBase64, serveMockAsset } from './mock-assets.js';
import type { MockTask, MockTaskControl } from './mock-task-control.js';
import type { MockContext, MockProvider, MockRequest } from './types.js';

export interface ArkMockOptions {
  /** When set, requests must carry exactly this bearer key; otherwise any non-empty key passes. */
  apiKey?: string;
  /** 0-based positions of images that come back as a per-image content-filter failure. */
  failImages?: number[];
}

export const arkMockProvider = 'bytedance';
const tasksPath = '/api/v3/contents/generations/tasks';

function arkError(code: string, message: string): { error: { code: string; message: string; param: string; type: string } } {
  return { error: { code, message, param: '', type: code === 'AuthenticationError' ? 'Unauthorized' : 'BadRequest' } };
}

function isAuthorized(req: MockRequest, options: ArkMockOptions): boolean {
  const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  return match !== null && (options.apiKey === undefined || match[1] === options.apiKey);
}

const tokenSizes: Record<string, [number, number]> = { '1K': [1024, 1024], '2K': [2048, 2048], '4K': [4096, 4096] };

function readImageSize(size: unknown): [number, number] | undefined {
  if (size === undefined) return [2048, 2048];
  if (typeof size !== 'string') return undefined;
  const match = /^(\d+)x(\d+)$/.exec(size);
  return match === null ? tokenSizes[size] : [Number(match[1]), Number(match[2])];
}

async function handleArkImages(req: MockRequest, res: ServerResponse, ctx: MockContext, control: MockTaskControl, options: ArkMockOptions): Promise<void> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (typeof body.model !== 'string' || typeof body.prompt !== 'string') {
    await ctx.sendError(res, 400, arkError('MissingParameter', 'The request failed because it is missing one or multiple required parameters: model, prompt.'));
    return;
  }
  const dims = readImageSize(body.size);
  if (dims === undefined) {
    await ctx.sendError(res, 400, arkError('InvalidParameter', 'The parameter `size` specified in the request is not valid.'));
    return;
  }
  const batch = body.sequential_image_generation === 'auto';
  const maxImages = (body.sequential_image_generation_options as { max_images?: number } | undefined)?.max_images ?? 15;
  const count = batch ? maxImages : 1;
  const sizeText = `${dims[0]}x${dims[1]}`;
  const data = Array.from({ length: count }, (_unused, index) => {
    if (options.failImages?.includes(index)) {
      return arkError('OutputImageSensitiveContentDetected', 'The request failed because the output image may contain sensitive information.');
    }
    return body.response_format === 'b64_json'
      ? { b64_json: mockPngBase64, size: sizeText }
      : { url: mockAssetUrl(req, `seedream-${control.now()}-${index}.png`), size: sizeText };
  });
  const generated = data.filter((item) => !('error' in item)).length;
  const tokens = Math.round((dims[0] * dims[1]) / 256) * generated;
  await ctx.sendJson(res, {
    model: body.model,
    created: Math.floor(control.now() / 1000),
    data,
    usage: { generated_images: generated, output_tokens: tokens, total_tokens: tokens },
  });
}

/** Ark's shape, `cgt-<yyyyMMddHHmmss>-<suffix>`; the suffix is the nonce in base 36. */
function makeSeedanceId(control: MockTaskControl): (nonce: string) => string {
  const stamp = new Date(control.now()).toISOString().replace(/\D/g, '').slice(0, 14);
  return (nonce) => `cgt-${stamp}-${BigInt(`0x${nonce}`).toString(36).padStart(13, '0')}`;
}

async function handleSeedanceCreate(req: MockRequest, res: ServerResponse, ctx: MockContext, control: MockTaskControl): Promise<void> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (typeof body.model !== 'string' || !Array.isArray(body.content) || body.content.length === 0) {
    await ctx.sendError(res, 400, arkError('InvalidParameter', 'The parameter `content` specified in the request is not valid.'));
    return;
  }
  const task = control.create({ provider: arkMockProvider, path: tasksPath, model: body.model, body, makeId: makeSeedanceId(control) });
  await ctx.sendJson(res, { id: task.id });
}

/** A parameter from the body field, else from a text command in the prompt (`--rs 720p`). */
function readSeedanceParam(body: Record<string, unknown>, field: string, commands: string[]): string | undefined {
  if (body[field] !== undefined) return String(body[field]);
  const text = (body.content as Array<{ type?: string; text?: string }>).find((item) => item.type === 'text')?.text ?? '';
  for (const command of commands) {
    const match = new RegExp(`--${command}\\s+(\\S+)`).exec(text);
    if (match !== null) return match[1];
  }
  return undefined;
}

const resolutionDims: Record<string, number> = { '480p': 864 * 480, '720p': 1280 * 720, '1080p': 1920 * 1080 };

function toSeedanceTaskBody(req: MockRequest, task: MockTask): Record<string, unknown> {
  const body = task.body as Record<string, unknown>;
  const resolution = readSeedanceParam(body, 'resolution', ['rs', 'resolution']) ?? '720p';
  const duration = task.outcome.durationSeconds ?? Number(readSeedanceParam(body, 'duration', ['dur', 'duration']) ?? 5);
  const base = {
    id: task.id,
    model: task.model,
    status: task.status,
    service_tier: 'default',
    execution_expires_after: 172800,
    created_at: Math.floor(task.createdAtMs / 1000),
    updated_at: Math.floor(task.updatedAtMs / 1000),
  };
  if (task.status === 'failed') {
    const code = task.outcome.errorCode ?? 'InternalServiceError';
    return { ...base, error: { code, message: task.outcome.errorMessage ?? 'The service encountered an unexpected internal error.' } };
  }
  if (task.status !== 'succeeded') return base;
  const tokens = Math.round(((resolutionDims[resolution] ?? 1280 * 720) * 24 * duration) / 1024);
  return {
    ...base,
    content: { video_url: task.outcome.videoUrl ?? mockAssetUrl(req, `${task.id}.mp4`) },
    seed: Number(readSeedanceParam(body, 'seed', ['seed']) ?? 42),
    resolution,
    ratio: readSeedanceParam(body, 'ratio', ['rt', 'ratio']) ?? '16:9',
    duration,
    framespersecond: 24,
    usage: { completion_tokens: tokens, total_tokens: tokens },
  };
}

async function handleSeedanceQuery(req: MockRequest, res: ServerResponse, ctx: MockContext, control: MockTaskControl, id: string): Promise<void> {
  const task = control.find(id);
  if (task === undefined || task.provider !== arkMockProvider) {
    await ctx.sendError(res, 404, arkError('ResourceNotFound', `The specified task ${id} is not found.`));
    return;
  }
  control.recordPoll(task);
  await ctx.sendJson(res, toSeedanceTaskBody(req, task));
}

export function createArkMock(control: MockTaskControl, options: ArkMockOptions = {}): MockProvider {
  return async (req, res, ctx) => {
    if (serveMockAsset(req, res)) return true;
    const isImages = req.method === 'POST' && req.pathname === '/api/v3/images/generations';
    const isCreate = req.method === 'POST' && req.pathname === tasksPath;
    const queryId = req.method === 'GET' ? /^\/api\/v3\/contents\/generations\/tasks\/([^/]+)$/.exec(req.pathname)?.[1] : undefined;
    if (!isImages && !isCreate && queryId === undefined) return false;
    if (!isAuthorized(req, options)) {
      await ctx.sendError(res, 401, arkError('AuthenticationError', 'The API key or AK/SK in the request is missing or invalid.'));
      return true;
    }
    if (isImages) await handleArkImages(req, res, ctx, control, options);
    else if (isCreate) await handleSeedanceCreate(req, res, ctx, control);
    else await handleSeedanceQuery(req, res, ctx, control, decodeURIComponent(queryId as string));
    return true;
  };
}
