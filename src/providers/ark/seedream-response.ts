/**
 * Seedream image response → OpenAI `data[]`. In a batch, one image can fail (a content-filter hit) while the
 * others succeed: such entries carry `error` instead of an image and are counted, never charged.
 */
import { z } from 'zod';
import { GatewayError } from '../../shared/errors.js';
import { mapTaskErrorCode, taskMessage } from '../task-error-structure.js';
import { parseUpstreamBody, type ImageResult, type OpenAIImage, type TaskTarget } from '../task-types.js';
import { arkErrorStructure } from './ark-error.js';

const seedreamImageSchema = z.looseObject({
  url: z.string().nullish(),
  b64_json: z.string().nullish(),
  size: z.string().nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

export const seedreamResponseSchema = z.looseObject({
  model: z.string().nullish(),
  created: z.number().nullish(),
  data: z.array(seedreamImageSchema).nullish(),
  usage: z.looseObject({ generated_images: z.number().nullish() }).nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

type SeedreamFailure = { code?: string | null; message?: string | null };

function toFailureError(failure: SeedreamFailure, target: TaskTarget): GatewayError {
  const code = (failure.code ? mapTaskErrorCode(arkErrorStructure, failure.code) : undefined) ?? 'upstream_error';
  const blamesRequest = code === 'content_policy_violation' || code === 'invalid_request';
  return new GatewayError(code, blamesRequest && failure.message ? { message: taskMessage(failure.message, target) } : {});
}

export function fromSeedreamResponse(body: unknown, target: TaskTarget): ImageResult {
  const response = parseUpstreamBody(seedreamResponseSchema, body);
  if (response.error) throw toFailureError(response.error, target);
  const data: OpenAIImage[] = [];
  const failures: SeedreamFailure[] = [];
  for (const item of response.data ?? []) {
    if (item.url) data.push({ url: item.url });
    else if (item.b64_json) data.push({ b64_json: item.b64_json });
    else failures.push(item.error ?? { code: undefined, message: 'The upstream returned an empty image entry.' });
  }
  if (data.length === 0) {
    const firstFailure = failures[0];
    if (firstFailure !== undefined) throw toFailureError(firstFailure, target);
    throw new GatewayError('upstream_bad_response', { message: 'The upstream returned no images.' });
  }
  return {
    ...(typeof response.created === 'number' ? { created: response.created } : {}),
    data,
    usage: { images: data.length },
    failedImages: failures.length,
  };
}
