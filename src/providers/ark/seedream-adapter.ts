/** Seedream behind the ImageAdapter contract (catalog family `ark-image`). */
import type { ImageAdapter } from '../task-types.js';
import { parseArkError } from './ark-error.js';
import { toSeedreamRequest, validateSeedreamRequest } from './seedream-request.js';
import { fromSeedreamResponse } from './seedream-response.js';

export const arkImageAdapter: ImageAdapter = {
  validate: validateSeedreamRequest,
  toUpstream: toSeedreamRequest,
  fromUpstream: fromSeedreamResponse,
  parseError: parseArkError,
};
