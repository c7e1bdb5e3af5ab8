/**
 * The ChatAdapter for every upstream that speaks OpenAI's chat wire format: OpenAI itself, xAI, DeepSeek,
 * DashScope compatible mode, Zhipu, MiniMax, Xiaomi MiMo and Moonshot. Provider differences live in quirks.ts.
 */
import { systemClock, type Clock } from '../../shared/clock.js';
import type { ChatAdapter } from '../types.js';
import { parseOpenAICompatibleError } from './error.js';
import { getOpenAICompatibleQuirks } from './quirks.js';
import { toOpenAICompatibleRequest } from './request.js';
import { fromOpenAICompatibleResponse } from './response.js';
import { createOpenAICompatibleStreamTranslator } from './stream.js';

export interface OpenAICompatibleAdapterDeps {
  /** Only used to turn an HTTP-date `retry-after` into seconds when the upstream sent no `date` header. */
  clock: Clock;
}

export function createOpenAICompatibleAdapter(deps: OpenAICompatibleAdapterDeps): ChatAdapter {
  return {
    toUpstream: async (request, target) => toOpenAICompatibleRequest(request, target),
    fromUpstream: (body, target, ctx) => fromOpenAICompatibleResponse(body, target, ctx),
    createStreamTranslator: (target, ctx) => createOpenAICompatibleStreamTranslator(target, ctx),
    parseError: (status, headers, bodyText, target) =>
      parseOpenAICompatibleError(status, headers, bodyText, target, getOpenAICompatibleQuirks(target.provider), deps.clock),
  };
}

export const openAICompatibleAdapter: ChatAdapter = createOpenAICompatibleAdapter({ clock: systemClock });
