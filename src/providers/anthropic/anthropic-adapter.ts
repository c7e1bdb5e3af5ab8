/**
 * The Anthropic Messages wire family: clients speak OpenAI Chat Completions, the upstream speaks
 * `POST /v1/messages` natively. Each method delegates to one module of this folder.
 */
import { systemClock, type Clock } from '../../shared/clock.js';
import type { ChatAdapter } from '../types.js';
import { parseAnthropicError } from './error.js';
import { toAnthropicRequest } from './request.js';
import { fromAnthropicResponse } from './response.js';
import { createAnthropicStreamTranslator } from './stream.js';

export interface AnthropicAdapterDeps {
  /** Only used to turn an HTTP-date `retry-after` into seconds when the upstream sent no `date` header. */
  clock: Clock;
}

export function createAnthropicAdapter(deps: AnthropicAdapterDeps): ChatAdapter {
  return {
    toUpstream: async (request, target, ctx) => toAnthropicRequest(request, target, ctx),
    fromUpstream: fromAnthropicResponse,
    createStreamTranslator: createAnthropicStreamTranslator,
    parseError: (status, headers, bodyText, target) => parseAnthropicError(status, headers, bodyText, target, deps.clock),
  };
}

export const anthropicAdapter: ChatAdapter = createAnthropicAdapter({ clock: systemClock });
