/** Kling behind the VideoTaskAdapter contract (catalog family `kling-video`). */
import type { TaskContext, TaskTarget, VideoTaskAdapter } from '../task-types.js';
import { createKlingTokenCache, type KlingTokenCache } from './jwt.js';
import { parseTaskError } from '../task-error-structure.js';
import { klingErrorStructure } from './kling-error.js';
import { toKlingPollRequest, toKlingRequest, validateKlingRequest } from './kling-request.js';
import { parseKlingPoll, parseKlingSubmit } from './kling-task.js';

export interface KlingAdapterOptions {
  tokenCache?: KlingTokenCache;
}

/**
 * A channel with a secret key signs JWTs from its access key (`apiKey`) and secret key; one without is
 * using Kling's newer plain API key, sent as is.
 */
async function resolveKlingBearer(target: TaskTarget, ctx: TaskContext, cache: KlingTokenCache): Promise<string> {
  if (target.secretKey === undefined || target.secretKey === '') return target.apiKey;
  return cache.token(target.apiKey, target.secretKey, Math.floor(ctx.now() / 1000));
}

export function createKlingVideoAdapter(options: KlingAdapterOptions = {}): VideoTaskAdapter {
  const cache = options.tokenCache ?? createKlingTokenCache();
  return {
    validate: validateKlingRequest,
    submit: async (request, target, ctx) => toKlingRequest(request, target, await resolveKlingBearer(target, ctx, cache)),
    parseSubmit: parseKlingSubmit,
    poll: async (upstreamTaskId, target, pollPath, ctx) =>
      toKlingPollRequest(upstreamTaskId, target, pollPath, await resolveKlingBearer(target, ctx, cache)),
    parsePoll: parseKlingPoll,
    parseError: (status, headers, bodyText, target, ctx) => parseTaskError(klingErrorStructure, status, headers, bodyText, target, ctx),
  };
}
