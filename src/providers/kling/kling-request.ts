/**
 * Public video request → Kling `POST /v1/videos/text2video` or `/v1/videos/image2video` (chosen by the
 * presence of a first frame). Kling wants `duration` as a string and images as URLs or bare base64.
 */
import type { CatalogModel } from '../../catalog/schema.js';
import {
  hasReferenceMedia,
  invalidParam,
  validateVideoRequest,
  type TaskTarget,
  type TranslationWarning,
  type UpstreamRequest,
  type ValidatedVideoRequest,
  type VideoRequest,
} from '../task-types.js';
import { getKlingModeForResolution, getKlingTraits, klingModeResolutions } from './kling-models.js';

export const klingPollPaths = ['/v1/videos/text2video', '/v1/videos/image2video'] as const;
export type KlingPollPath = (typeof klingPollPaths)[number];

/** The mode a request runs in: as given, else implied by an explicit resolution, else the catalog default. */
function resolveKlingMode(request: VideoRequest, model: CatalogModel): string | undefined {
  const modes = model.video?.modes ?? [];
  if (request.mode !== undefined || modes.length === 0) return request.mode;
  const implied = request.resolution === undefined ? undefined : getKlingModeForResolution(request.resolution);
  if (implied !== undefined && modes.includes(implied)) return implied;
  return model.video?.defaultMode ?? modes[0];
}

/** Resolves mode and resolution as one choice (Kling has no separate resolution), then applies the catalog checks. */
export function validateKlingRequest(request: VideoRequest, model: CatalogModel): ValidatedVideoRequest {
  const mode = resolveKlingMode(request, model);
  const modeResolution = mode === undefined ? undefined : klingModeResolutions[mode];
  if (request.mode !== undefined && modeResolution !== undefined && request.resolution !== undefined && request.resolution.toLowerCase() !== modeResolution) {
    throw invalidParam('resolution', `Kling mode ${request.mode} renders ${modeResolution}; pass resolution ${modeResolution} or leave it out.`);
  }
  const resolution =
    request.resolution ?? (modeResolution !== undefined && model.video?.resolutions.includes(modeResolution) ? modeResolution : undefined);
  const valid = validateVideoRequest(
    { ...request, ...(resolution === undefined ? {} : { resolution }), ...(mode === undefined ? {} : { mode }) },
    model,
  );
  if (hasReferenceMedia(valid.media)) throw invalidParam('content', 'Kling takes only first_frame and last_frame inputs.');
  return valid;
}

/** Kling takes a URL or bare base64; a data URI's prefix must go. */
export function toKlingImage(image: string): string {
  const match = /^data:[^;,]+;base64,(.*)$/s.exec(image);
  return match === null ? image : (match[1] as string);
}

function collectKlingWarnings(request: ValidatedVideoRequest, imageToVideo: boolean, cfgScale: boolean): TranslationWarning[] {
  const warnings: TranslationWarning[] = [];
  const drop = (param: string, message: string) => warnings.push({ param, message });
  if (request.seed !== undefined) drop('seed', 'Kling has no seed; it was ignored.');
  if (request.camera_fixed !== undefined) drop('camera_fixed', 'Kling has no camera_fixed; it was ignored.');
  if (imageToVideo && request.aspect_ratio !== undefined) {
    drop('aspect_ratio', 'Kling image-to-video takes the aspect ratio of the first frame; aspect_ratio was ignored.');
  }
  if (request.cfg_scale !== undefined && !cfgScale) drop('cfg_scale', 'This Kling model has no cfg_scale; it was ignored.');
  if (request.prompt_extend !== undefined) drop('prompt_extend', 'Kling has no prompt_extend; it was ignored.');
  return warnings;
}

function toKlingBody(request: ValidatedVideoRequest, target: TaskTarget, cfgScale: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { model_name: target.upstreamModel };
  if (request.prompt) body.prompt = request.prompt;
  if (request.negative_prompt !== undefined) body.negative_prompt = request.negative_prompt;
  if (request.cfg_scale !== undefined && cfgScale) body.cfg_scale = request.cfg_scale;
  if (request.mode !== undefined) body.mode = request.mode;
  body.duration = String(request.duration);
  const { firstFrame, lastFrame } = request.media;
  if (firstFrame === undefined) {
    if (request.aspect_ratio !== undefined) body.aspect_ratio = request.aspect_ratio;
  } else {
    body.image = toKlingImage(firstFrame);
    if (lastFrame !== undefined) body.image_tail = toKlingImage(lastFrame);
  }
  // `sound` exists only on models with audio (v2.6+); older ones reject the field, and they are silent anyway.
  if (request.generate_audio !== undefined && target.model.video?.audio === true) body.sound = request.generate_audio ? 'on' : 'off';
  return body;
}

export function toKlingRequest(
  request: ValidatedVideoRequest,
  target: TaskTarget,
  bearerToken: string,
): { request: UpstreamRequest; warnings: TranslationWarning[]; pollPath: KlingPollPath } {
  const imageToVideo = request.media.firstFrame !== undefined;
  const { cfgScale } = getKlingTraits(target.upstreamModel);
  const pollPath: KlingPollPath = imageToVideo ? '/v1/videos/image2video' : '/v1/videos/text2video';
  return {
    request: {
      method: 'POST',
      url: `${target.baseUrl}${pollPath}`,
      headers: { authorization: `Bearer ${bearerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(toKlingBody(request, target, cfgScale)),
    },
    warnings: collectKlingWarnings(request, imageToVideo, cfgScale),
    pollPath,
  };
}

export function toKlingPollRequest(upstreamTaskId: string, target: TaskTarget, pollPath: string | undefined, bearerToken: string): UpstreamRequest {
  if (!klingPollPaths.includes(pollPath as KlingPollPath)) {
    throw new Error(`A Kling task must be polled under its creation path, got ${String(pollPath)}`);
  }
  return {
    method: 'GET',
    url: `${target.baseUrl}${pollPath}/${encodeURIComponent(upstreamTaskId)}`,
    headers: { authorization: `Bearer ${bearerToken}` },
  };
}
