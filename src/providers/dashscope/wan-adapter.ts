/** Wan on DashScope behind the VideoTaskAdapter contract (catalog family `dashscope-video`). */
import { parseTaskError } from '../task-error-structure.js';
import type { VideoTaskAdapter } from '../task-types.js';
import { dashScopeErrorStructure } from './dashscope-error.js';
import { toWanPollRequest, toWanRequest, validateWanRequest } from './wan-request.js';
import { parseWanPoll, parseWanSubmit } from './wan-task.js';

export const dashscopeVideoAdapter: VideoTaskAdapter = {
  validate: validateWanRequest,
  submit: async (request, target) => toWanRequest(request, target),
  parseSubmit: parseWanSubmit,
  poll: async (upstreamTaskId, target) => toWanPollRequest(upstreamTaskId, target),
  parsePoll: parseWanPoll,
  parseError: (status, headers, bodyText, target, ctx) => parseTaskError(dashScopeErrorStructure, status, headers, bodyText, target, ctx),
};
