/**
 * The Gemini wire family (Gemini Developer API `generateContent` / `streamGenerateContent?alt=sse`) behind
 * OpenAI Chat Completions. Needs `ctx.fetchImage` for http(s) image URLs: Gemini cannot fetch arbitrary URLs.
 */
import { systemClock, type Clock } from '../../shared/clock.js';
import type { ChatAdapter } from '../types.js';
import { parseGeminiError } from './error.js';
import { toGeminiRequest } from './request.js';
import { fromGeminiResponse } from './response.js';
import { createGeminiStreamTranslator } from './stream.js';

export interface GeminiAdapterDeps {
  /** Only used to turn an HTTP-date `retry-after` into seconds when the upstream sent no `date` header. */
  clock: Clock;
}

export function createGeminiAdapter(deps: GeminiAdapterDeps): ChatAdapter {
  return {
    toUpstream: (request, target, ctx) => toGeminiRequest(request, target, ctx),
    fromUpstream: (body, _target, ctx) => fromGeminiResponse(body, ctx),
    createStreamTranslator: (target, ctx) => createGeminiStreamTranslator(target, ctx),
    parseError: (status, headers, bodyText, target) => parseGeminiError(status, headers, bodyText, target, deps.clock),
  };
}

export const geminiAdapter: ChatAdapter = createGeminiAdapter({ clock: systemClock });
