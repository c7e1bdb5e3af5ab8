/**
 * The OpenAI Responses dialect: how the pipeline's OpenAI answer is written back to a `/responses` client, whole
 * (a response object) or streamed (named SSE events). A factory rather than a constant: a response repeats the
 * request's settings (instructions, tools, tool_choice, temperature, …), which only the original body has.
 */
import type { ChatDialect } from '../../gateway/chat-dialect.js';
import { toResponse, toResponseEcho } from './from-chat-completion.js';
import type { ResponsesBody } from './responses-schema.js';
import { createResponsesStreamEncoder } from './stream-encoder.js';

export function createResponsesDialect(body: ResponsesBody): ChatDialect {
  const echo = toResponseEcho(body);
  return {
    endpoint: 'responses',
    completion: (completion) => toResponse(completion, echo),
    streamEncoder: (ctx) => createResponsesStreamEncoder(ctx, echo),
  };
}
