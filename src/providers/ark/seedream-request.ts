/**
 * OpenAI image request → Seedream `POST /api/v3/images/generations`. Seedream has no `n`: a batch is asked
 * for with `sequential_image_generation`, whose `max_images` is only an upper bound, so the model may
 * return fewer images than n (billing counts what came back).
 */
import { GatewayError } from '../../shared/errors.js';
import type { CatalogModel } from '../../catalog/schema.js';
import {
  validateImageRequest,
  type ImageRequest,
  type TaskTarget,
  type TranslationWarning,
  type UpstreamRequest,
  type ValidatedImageRequest,
} from '../task-types.js';
import { getSeedreamTraits, seedreamMaxImagesPerRequest, type SeedreamTraits } from './seedream-models.js';

/** OpenAI fields Seedream has no counterpart for: dropped with a warning. */
const droppedImageParams = ['quality', 'style', 'user', 'background', 'moderation', 'output_format', 'output_compression'] as const;

function checkSeedreamSize(size: string, traits: SeedreamTraits, upstreamModel: string): void {
  const token = /^\dK$/.test(size);
  if (token && !traits.sizeTokens.includes(size)) {
    const allowed = traits.sizeTokens.length > 0 ? `Use ${traits.sizeTokens.join(', ')} or WIDTHxHEIGHT.` : 'Use WIDTHxHEIGHT.';
    throw new GatewayError('invalid_request', { param: 'size', message: `${upstreamModel} does not take size ${size}. ${allowed}` });
  }
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (match === null) return;
  const pixels = Number(match[1]) * Number(match[2]);
  if (pixels < traits.minPixels || pixels > traits.maxPixels) {
    throw new GatewayError('invalid_request', {
      param: 'size',
      message: `size ${size} is outside ${upstreamModel}'s range of ${traits.minPixels} to ${traits.maxPixels} pixels.`,
    });
  }
}

/** Catalog checks, then what this Seedream generation supports (batches, references, pixel range). */
export function validateSeedreamRequest(request: ImageRequest, model: CatalogModel): ValidatedImageRequest {
  const valid = validateImageRequest(request, model);
  const traits = getSeedreamTraits(model.upstreamModel);
  if (valid.images.length > traits.maxReferenceImages) {
    const message =
      traits.maxReferenceImages === 0
        ? `${model.id} does not take reference images.`
        : `${model.id} takes at most ${traits.maxReferenceImages} reference images.`;
    throw new GatewayError('invalid_request', { param: 'image', message });
  }
  if (valid.n > 1 && !traits.sequential) {
    throw new GatewayError('invalid_request', { param: 'n', message: `${model.id} generates one image per request.` });
  }
  if (valid.n > 1 && valid.n + valid.images.length > seedreamMaxImagesPerRequest) {
    throw new GatewayError('invalid_request', {
      param: 'n',
      message: `n plus reference images may not exceed ${seedreamMaxImagesPerRequest}.`,
    });
  }
  checkSeedreamSize(valid.size, traits, model.upstreamModel);
  return valid;
}

/** Seedream wants the image format in a data URI in lower case (`data:image/png;base64,`). */
function normalizeSeedreamImage(image: string): string {
  return image.replace(/^data:image\/([A-Za-z0-9.+-]+);base64,/, (_match, format: string) => `data:image/${format.toLowerCase()};base64,`);
}

export function toSeedreamRequest(
  request: ValidatedImageRequest,
  target: TaskTarget,
): { request: UpstreamRequest; warnings: TranslationWarning[] } {
  const body: Record<string, unknown> = {
    model: target.upstreamModel,
    prompt: request.prompt,
    size: request.size,
    response_format: request.response_format,
    // Seedream stamps an "AI generated" mark unless told not to; OpenAI clients expect clean images.
    watermark: false,
  };
  const images = request.images.map(normalizeSeedreamImage);
  if (images.length === 1) body.image = images[0];
  if (images.length > 1) body.image = images;
  if (request.n > 1) {
    body.sequential_image_generation = 'auto';
    body.sequential_image_generation_options = { max_images: request.n };
  }
  const warnings: TranslationWarning[] = droppedImageParams
    .filter((param) => request[param] !== undefined && request[param] !== null)
    .map((param) => ({ param, message: `Seedream has no ${param} option; it was ignored.` }));
  return {
    request: {
      method: 'POST',
      url: `${target.baseUrl}/api/v3/images/generations`,
      headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
    warnings,
  };
}
