/** Seedance behind the VideoTaskAdapter contract (catalog family `ark-video`). */
import { parseTaskError } from '../task-error-structure.js';
import { validateVideoRequest, type VideoTaskAdapter } from '../task-types.js';
import { arkErrorStructure } from './ark-error.js';
import { toSeedancePollRequest, toSeedanceRequest } from './seedance-request.js';
import { parseSeedancePoll, parseSeedanceSubmit } from './seedance-task.js';

export const arkVideoAdapter: VideoTaskAdapter = {
  validate: validateVideoRequest,
  submit: async (request, target) => toSeedanceRequest(request, target),
  parseSubmit: parseSeedanceSubmit,
  poll: async (upstreamTaskId, target) => toSeedancePollRequest(upstreamTaskId, target),
  parsePoll: parseSeedancePoll,
  parseError: (status, headers, bodyText, target, ctx) => parseTaskError(arkErrorStructure, status, headers, bodyText, target, ctx),
};
