/**
 * Public video request → DashScope Wan `{model, input, parameters}`. The task must be created with
 * `X-DashScope-Async: enable`: these models are async-only over HTTP and answer 403 without it.
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
import { getWanTaskKind, wanDefaultAspectRatio, wanEndpoints, wanMaxSeed, wanSizes, type WanTaskKind } from './wan-models.js';

/** The `W*H` a text-to-video request renders at; throws when the tier has no such aspect ratio. */
export function toWanSize(resolution: string, aspectRatio: string | undefined): string {
  const ratios = wanSizes[resolution.toLowerCase()];
  if (ratios === undefined) throw invalidParam('resolution', `Wan text-to-video has no ${resolution} tier.`);
  const ratio = aspectRatio ?? wanDefaultAspectRatio;
  const size = ratios[ratio];
  if (size === undefined) {
    throw invalidParam('aspect_ratio', `At ${resolution} Wan renders ${Object.keys(ratios).join(', ')}, not ${ratio}.`);
  }
  return size;
}

function checkWanMedia(request: ValidatedVideoRequest, kind: WanTaskKind, modelId: string): void {
  const { firstFrame, lastFrame } = request.media;
  if (hasReferenceMedia(request.media)) throw invalidParam('content', `${modelId} takes no reference media.`);
  if (kind === 't2v' && firstFrame !== undefined) {
    throw invalidParam('content', `${modelId} is a text-to-video model; use an image-to-video model for a first frame.`);
  }
  if (kind !== 't2v' && firstFrame === undefined) throw invalidParam('content', `${modelId} needs a first_frame image.`);
  if (kind === 'i2v' && lastFrame !== undefined) throw invalidParam('content', `${modelId} takes no last_frame.`);
  if (kind === 'kf2v' && lastFrame === undefined) throw invalidParam('content', `${modelId} needs a last_frame image.`);
}

/** Catalog checks, then what the model's task kind needs (its input images, a valid t2v size, the seed range). */
export function validateWanRequest(request: VideoRequest, model: CatalogModel): ValidatedVideoRequest {
  const valid = validateVideoRequest(request, model);
  const kind = getWanTaskKind(model.upstreamModel);
  checkWanMedia(valid, kind, model.id);
  if (kind === 't2v') toWanSize(valid.resolution, valid.aspect_ratio);
  if (valid.seed !== undefined && (valid.seed < 0 || valid.seed > wanMaxSeed)) {
    throw invalidParam('seed', `seed must be between 0 and ${wanMaxSeed} for Wan.`);
  }
  return valid;
}

function toWanInput(request: ValidatedVideoRequest, kind: WanTaskKind): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (request.prompt) input.prompt = request.prompt;
  if (request.negative_prompt !== undefined) input.negative_prompt = request.negative_prompt;
  if (kind === 'i2v') input.img_url = request.media.firstFrame;
  if (kind === 'kf2v') {
    input.first_frame_url = request.media.firstFrame;
    input.last_frame_url = request.media.lastFrame;
  }
  return input;
}

function toWanParameters(request: ValidatedVideoRequest, kind: WanTaskKind, audio: boolean): Record<string, unknown> {
  const parameters: Record<string, unknown> =
    kind === 't2v'
      ? { size: toWanSize(request.resolution, request.aspect_ratio) }
      : { resolution: request.resolution.toUpperCase() };
  parameters.duration = request.duration;
  if (request.seed !== undefined) parameters.seed = request.seed;
  // Only audio models (Wan 2.5+) know the field; a silent model is asked for nothing it cannot do.
  if (request.generate_audio !== undefined && audio) parameters.audio = request.generate_audio;
  if (request.prompt_extend !== undefined) parameters.prompt_extend = request.prompt_extend;
  parameters.watermark = false;
  return parameters;
}

function collectWanWarnings(request: ValidatedVideoRequest, kind: WanTaskKind): TranslationWarning[] {
  const warnings: TranslationWarning[] = [];
  const drop = (param: string, message: string) => warnings.push({ param, message });
  if (request.camera_fixed !== undefined) drop('camera_fixed', 'Wan has no camera_fixed; it was ignored.');
  if (request.cfg_scale !== undefined) drop('cfg_scale', 'Wan has no cfg_scale; it was ignored.');
  if (kind !== 't2v' && request.aspect_ratio !== undefined) {
    drop('aspect_ratio', 'Wan image-to-video takes the aspect ratio of the first frame; aspect_ratio was ignored.');
  }
  return warnings;
}

export function toWanRequest(
  request: ValidatedVideoRequest,
  target: TaskTarget,
): { request: UpstreamRequest; warnings: TranslationWarning[] } {
  const kind = getWanTaskKind(target.upstreamModel);
  const body = { model: target.upstreamModel, input: toWanInput(request, kind), parameters: toWanParameters(request, kind, target.model.video?.audio === true) };
  return {
    request: {
      method: 'POST',
      url: `${target.baseUrl}${wanEndpoints[kind]}`,
      headers: {
        authorization: `Bearer ${target.apiKey}`,
        'content-type': 'application/json',
        'x-dashscope-async': 'enable',
      },
      body: JSON.stringify(body),
    },
    warnings: collectWanWarnings(request, kind),
  };
}

export function toWanPollRequest(upstreamTaskId: string, target: TaskTarget): UpstreamRequest {
  return {
    method: 'GET',
    url: `${target.baseUrl}/api/v1/tasks/${encodeURIComponent(upstreamTaskId)}`,
    headers: { authorization: `Bearer ${target.apiKey}` },
  };
}
