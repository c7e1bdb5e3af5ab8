/**
 * The Anthropic Messages wire family: clients speak OpenAI Chat Completions, the upstream speaks
 * `POST /v1/messages` natively. Each method delegates to one module of this folder.
 */
import type { ChatAdapter } from '../types.js';
import { parseAnthropicError } from './error.js';
import { toAnthropicRequest } from './request.js';
import { fromAnthropicResponse } from './response.js';
import { createAnthropicStreamTranslator } from './stream.js';

export const anthropicAdapter: ChatAdapter = {
  toUpstream: async (request, target, ctx) => toAnthropicRequest(request, target, ctx),
  fromUpstream: fromAnthropicResponse,
  createStreamTranslator: createAnthropicStreamTranslator,
  parseError: parseAnthropicError,
};
