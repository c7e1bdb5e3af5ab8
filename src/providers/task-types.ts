/**
 * The media contract: the public image and video request schemas, the catalog-driven validation every media
 * family shares, and the adapter interfaces of the image (synchronous) and video (submit + poll) families.
 * Adapters are pure like the chat ones: they build UpstreamRequests and read parsed bodies, nothing more.
 */
import { z } from 'zod';
import { GatewayError, type ErrorCode } from '../shared/errors.js';
import type { CatalogModel } from '../catalog/schema.js';
import type { TranslationWarning, UpstreamRequest, UpstreamTarget } from './types.js';
import { codeForHttpStatus } from './upstream-error-body.js';

export type { UpstreamRequest, TranslationWarning } from './types.js';

/** Where and as what to run a media task; the same shape as a chat target (Kling adds secretKey). */
export type TaskTarget = UpstreamTarget;

/** Request-time facts a task adapter may use: the clock signs Kling tokens and dates a `retry-after`. */
export interface TaskContext {
  /** Epoch milliseconds. */
  now(): number;
}

// ---------------------------------------------------------------- video request

const mediaUrl = z.object({ url: z.string().min(1) });

/** One input medium; `role` is checked against the model's catalog entry by validateVideoRequest. */
export const videoContentItemSchema = z.looseObject({
  type: z.enum(['image_url', 'video_url', 'audio_url']),
  image_url: mediaUrl.optional(),
  video_url: mediaUrl.optional(),
  audio_url: mediaUrl.optional(),
  role: z.string().optional(),
});

const seconds = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);

export const videoRequestSchema = z.looseObject({
  model: z.string().min(1),
  prompt: z.string().max(10_000).optional(),
  duration: seconds.optional(),
  resolution: z.string().min(1).optional(),
  aspect_ratio: z.string().min(1).optional(),
  content: z.array(videoContentItemSchema).max(32).optional(),
  seed: z.number().int().optional(),
  camera_fixed: z.boolean().optional(),
  generate_audio: z.boolean().optional(),
  negative_prompt: z.string().max(10_000).optional(),
  /** Quality tier where the model has one (Kling `std` / `pro`). */
  mode: z.string().min(1).optional(),
  /** Prompt adherence in [0, 1] (Kling v1 models). */
  cfg_scale: z.number().min(0).max(1).optional(),
  /** Let the provider rewrite the prompt with an LLM (Wan; its default is on). */
  prompt_extend: z.boolean().optional(),
  /** Handled by the gateway, never forwarded upstream. */
  callback_url: z.url().optional(),
});

export type VideoRequest = z.infer<typeof videoRequestSchema>;
export type VideoContentItem = z.infer<typeof videoContentItemSchema>;

export type VideoRole = 'first_frame' | 'last_frame' | 'reference_image' | 'reference_video' | 'reference_audio';

/** The request's media sorted by role. */
export interface VideoMedia {
  firstFrame?: string;
  lastFrame?: string;
  referenceImages: string[];
  referenceVideos: string[];
  referenceAudios: string[];
}

/** A request that passed validation, with the model defaults filled in. */
export type ValidatedVideoRequest = VideoRequest & { duration: number; resolution: string; media: VideoMedia };

// ---------------------------------------------------------------- image request

export const imageRequestSchema = z.looseObject({
  model: z.string().min(1),
  prompt: z.string().min(1).max(10_000),
  n: z.number().int().positive().max(16).optional(),
  size: z.string().min(1).optional(),
  response_format: z.enum(['url', 'b64_json']).optional(),
  quality: z.string().optional(),
  style: z.string().optional(),
  user: z.string().optional(),
  /** Reference images for editing: http(s) URLs or `data:image/...;base64,` URIs. */
  image: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(16)]).optional(),
  stream: z.boolean().optional(),
});

export type ImageRequest = z.infer<typeof imageRequestSchema>;

export type ValidatedImageRequest = ImageRequest & {
  n: number;
  size: string;
  response_format: 'url' | 'b64_json';
  images: string[];
};

export interface OpenAIImage {
  url?: string;
  b64_json?: string;
  revised_prompt?: string;
}

export interface ImageResult {
  /** Upstream creation time (unix seconds) when it sent one. */
  created?: number;
  data: OpenAIImage[];
  /** Images delivered; the billing unit. */
  usage: { images: number };
  /** Images the upstream reported as failed inside a partly successful batch; never charged. */
  failedImages: number;
}

// ---------------------------------------------------------------- task state and adapters

export interface TaskVideo {
  url: string;
  durationSeconds?: number;
  /** Lower-case tier as in the catalog: `720p`. */
  resolution?: string;
}

export interface TaskUsage {
  /** Seconds of video delivered, possibly fractional (Kling reports "5.1"). */
  videoSeconds?: number;
  tokens?: number;
}

export interface TaskFailure {
  code: ErrorCode;
  message: string;
  /** The provider's own code, for logs. */
  upstreamCode?: string;
}

/** `upstreamStatus` keeps the provider's raw status word, so unknown ones stay visible in logs. */
export type TaskState =
  | { status: 'queued' | 'running'; upstreamStatus: string }
  | { status: 'succeeded'; upstreamStatus: string; videos: TaskVideo[]; usage: TaskUsage }
  | { status: 'failed'; upstreamStatus: string; error: TaskFailure };

export interface VideoSubmission {
  request: UpstreamRequest;
  warnings: TranslationWarning[];
  /** Store with the job and hand back to poll() (Kling polls under the path it created the task on). */
  pollPath?: string;
}

export interface VideoTaskAdapter {
  /** Catalog checks plus the family's own rules; throws GatewayError 400 with `param`. */
  validate(request: VideoRequest, model: CatalogModel): ValidatedVideoRequest;
  submit(request: ValidatedVideoRequest, target: TaskTarget, ctx: TaskContext): Promise<VideoSubmission>;
  /** Reads the create response; throws GatewayError when it carries no task id or an error. */
  parseSubmit(status: number, body: unknown, target: TaskTarget): { upstreamTaskId: string };
  poll(upstreamTaskId: string, target: TaskTarget, pollPath: string | undefined, ctx: TaskContext): Promise<UpstreamRequest>;
  /** `target` is there so upstream text passed on never carries the channel's credentials. */
  parsePoll(status: number, body: unknown, target: TaskTarget): TaskState;
  /** Translates an upstream error response into a catalog error; never leaks URLs or keys. */
  parseError(status: number, headers: Record<string, string>, bodyText: string, target: TaskTarget, ctx: TaskContext): GatewayError;
}

export interface ImageAdapter {
  validate(request: ImageRequest, model: CatalogModel): ValidatedImageRequest;
  toUpstream(request: ValidatedImageRequest, target: TaskTarget): { request: UpstreamRequest; warnings: TranslationWarning[] };
  /** Throws GatewayError when no image at all was produced. */
  fromUpstream(body: unknown, target: TaskTarget): ImageResult;
  parseError(status: number, headers: Record<string, string>, bodyText: string, target: TaskTarget, ctx: TaskContext): GatewayError;
}

/** A create answer's task id; a 2xx without one leaves the outcome unknown, which the submitter handles. */
export function readSubmittedTaskId<T>(schema: z.ZodType<T>, body: unknown, taskId: (created: T) => string): { upstreamTaskId: string } {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new GatewayError('upstream_bad_response', { message: 'The upstream accepted the task without a task id.' });
  return { upstreamTaskId: taskId(parsed.data) };
}

/** A 2xx body read by the family's schema; a body of another shape is the upstream's fault. */
export function parseUpstreamBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new GatewayError('upstream_bad_response', { cause: parsed.error });
  return parsed.data;
}

/** A task reported as succeeded with nothing to deliver: failed, so nothing is charged. */
export function succeededWithoutVideo(upstreamStatus: string): TaskState {
  return { status: 'failed', upstreamStatus, error: { code: 'upstream_bad_response', message: 'The upstream task succeeded without a video URL.' } };
}

// ---------------------------------------------------------------- validation

/** A request refused for one parameter (400 with `param`), as every media family words it. */
export function invalidParam(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', { param, message });
}

/** Reference inputs, which the frame-only families (Wan, Kling) refuse. */
export function hasReferenceMedia(media: VideoMedia): boolean {
  return media.referenceImages.length + media.referenceVideos.length + media.referenceAudios.length > 0;
}

function listOf(values: readonly (string | number)[]): string {
  return values.map(String).join(', ');
}

const rolesByType: Record<VideoContentItem['type'], readonly VideoRole[]> = {
  image_url: ['first_frame', 'last_frame', 'reference_image'],
  video_url: ['reference_video'],
  audio_url: ['reference_audio'],
};

function readMediaItem(item: VideoContentItem, index: number, allowedRoles: readonly string[]): { role: VideoRole; url: string } {
  const typeRoles = rolesByType[item.type];
  const role = item.role ?? typeRoles[0];
  if (!(typeRoles as readonly string[]).includes(role as string)) {
    throw invalidParam(`content[${index}].role`, `A content item of type ${item.type} takes role ${typeRoles.join(' or ')}, not "${role}".`);
  }
  if (!allowedRoles.includes(role as string)) {
    const allowed = allowedRoles.length === 0 ? 'This model takes no input media.' : `Allowed roles: ${listOf(allowedRoles)}.`;
    throw invalidParam(`content[${index}].role`, `Role "${role}" is not supported by this model. ${allowed}`);
  }
  const url = item[item.type]?.url;
  if (url === undefined) throw invalidParam(`content[${index}].${item.type}.url`, `A content item of type ${item.type} needs ${item.type}.url.`);
  if (!/^(https?:\/\/|data:)/i.test(url)) {
    throw invalidParam(`content[${index}].${item.type}.url`, 'Media must be an http(s) URL or a data: URI.');
  }
  return { role: role as VideoRole, url };
}

/** Sorts `content` by role, enforcing the catalog roles and the frame rules every provider shares. */
export function collectVideoMedia(content: readonly VideoContentItem[], allowedRoles: readonly string[]): VideoMedia {
  const media: VideoMedia = { referenceImages: [], referenceVideos: [], referenceAudios: [] };
  content.forEach((item, index) => {
    const { role, url } = readMediaItem(item, index, allowedRoles);
    const param = `content[${index}].role`;
    if (role === 'first_frame' || role === 'last_frame') {
      const key = role === 'first_frame' ? 'firstFrame' : 'lastFrame';
      if (media[key] !== undefined) throw invalidParam(param, `At most one ${role} is allowed.`);
      if (media.referenceImages.length > 0) throw invalidParam(param, 'Frames and reference_image inputs cannot be combined.');
      media[key] = url;
    } else if (role === 'reference_image') {
      if (media.firstFrame !== undefined || media.lastFrame !== undefined) {
        throw invalidParam(param, 'Frames and reference_image inputs cannot be combined.');
      }
      media.referenceImages.push(url);
    } else if (role === 'reference_video') {
      media.referenceVideos.push(url);
    } else {
      media.referenceAudios.push(url);
    }
  });
  if (media.lastFrame !== undefined && media.firstFrame === undefined) {
    const index = content.findIndex((item) => item.role === 'last_frame');
    throw invalidParam(`content[${index}].role`, 'A last_frame needs a first_frame.');
  }
  return media;
}

function checkOneOf(param: string, value: string | number, allowed: readonly (string | number)[], model: CatalogModel): void {
  if (allowed.includes(value)) return;
  const hint = allowed.length === 0 ? `${model.id} does not accept ${param}.` : `${param} must be one of ${listOf(allowed)} for ${model.id}.`;
  throw invalidParam(param, hint);
}

/** Checks a video request against the model's catalog `video` options and fills in its defaults. */
export function validateVideoRequest(request: VideoRequest, model: CatalogModel): ValidatedVideoRequest {
  const options = model.video;
  if (options === undefined) throw invalidParam('model', `${model.id} is not a video model.`);
  const duration = request.duration ?? options.defaultDuration;
  checkOneOf('duration', duration, options.durations, model);
  const resolution = request.resolution ?? options.defaultResolution;
  checkOneOf('resolution', resolution, options.resolutions, model);
  if (request.aspect_ratio !== undefined) checkOneOf('aspect_ratio', request.aspect_ratio, options.aspectRatios, model);
  if (request.mode !== undefined) checkOneOf('mode', request.mode, options.modes ?? [], model);
  if (request.generate_audio === true && !options.audio) {
    throw invalidParam('generate_audio', `${model.id} does not generate audio.`);
  }
  const media = collectVideoMedia(request.content ?? [], options.roles);
  const hasInputMedia = media.firstFrame !== undefined || media.referenceImages.length > 0 || media.referenceVideos.length > 0;
  if (!request.prompt?.trim() && !hasInputMedia) throw invalidParam('prompt', 'prompt is required without input media.');
  const mode = request.mode ?? options.defaultMode;
  return { ...request, duration, resolution, ...(mode === undefined ? {} : { mode }), media };
}

/** The token `WxH` in a catalog size list admits any `<width>x<height>`; the family checks its pixel limits. */
export const anyImageSize = 'WxH';

/** Checks an image request against the model's catalog `image` options and fills in its defaults. */
export function validateImageRequest(request: ImageRequest, model: CatalogModel): ValidatedImageRequest {
  const options = model.image;
  if (options === undefined) throw invalidParam('model', `${model.id} is not an image model.`);
  if (request.stream === true) {
    throw new GatewayError('unsupported_parameter', { param: 'stream', message: 'Image streaming is not supported.' });
  }
  const n = request.n ?? 1;
  if (n > options.maxN) throw invalidParam('n', `n must be at most ${options.maxN} for ${model.id}.`);
  const size = (request.size ?? options.defaultSize).replace(/^(\d)k$/, '$1K');
  const custom = options.sizes.includes(anyImageSize) && /^\d{2,5}x\d{2,5}$/.test(size);
  if (!custom && !options.sizes.includes(size)) {
    throw invalidParam('size', `size must be one of ${listOf(options.sizes.filter((s) => s !== anyImageSize))}${options.sizes.includes(anyImageSize) ? ' or WIDTHxHEIGHT' : ''} for ${model.id}.`);
  }
  const images = request.image === undefined ? [] : typeof request.image === 'string' ? [request.image] : request.image;
  images.forEach((image, index) => {
    if (!/^(https?:\/\/|data:image\/[a-zA-Z0-9.+-]+;base64,)/.test(image)) {
      throw invalidParam(Array.isArray(request.image) ? `image[${index}]` : 'image', 'An image must be an http(s) URL or a data:image/...;base64, URI.');
    }
  });
  return { ...request, n, size, response_format: request.response_format ?? 'url', images };
}

// ---------------------------------------------------------------- shared error reading

/** The catalog code for an upstream status when the provider's own code says nothing more specific. */
export function errorCodeForStatus(status: number): ErrorCode {
  return codeForHttpStatus(status, { 408: 'upstream_timeout', 413: 'invalid_request', 529: 'upstream_unavailable' });
}
