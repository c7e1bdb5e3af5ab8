/** Seedream behind the ImageAdapter contract (catalog family `ark-image`). */
import { parseTaskError } from '../task-error-structure.js';
import type { ImageAdapter } from '../task-types.js';
import { arkErrorStructure } from './ark-error.js';
import { toSeedreamRequest, validateSeedreamRequest } from './seedream-request.js';
import { fromSeedreamResponse } from './seedream-response.js';

export const arkImageAdapter: ImageAdapter = {
  validate: validateSeedreamRequest,
  toUpstream: toSeedreamRequest,
  fromUpstream: fromSeedreamResponse,
  parseError: (status, headers, bodyText, target, ctx) => parseTaskError(arkErrorStructure, status, headers, bodyText, target, ctx),
};
