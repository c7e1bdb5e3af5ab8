/**
 * How a chat answer is written back to the client. The pipeline works in OpenAI Chat Completions throughout
 * (every adapter translates its upstream into it); a dialect re-shapes the answer for the front door the client
 * called: OpenAI's own shape for `/chat/completions` (below), Anthropic Messages for `/messages`.
 */
import type { GatewayError } from '../shared/errors.js';
import type { OpenAIChatChunk, OpenAIChatCompletion, OpenAIFinishReason, OpenAIUsage } from '../providers/openai/chat-types.js';
import type { ResponseContext } from '../providers/types.js';

/** One server-sent event: `data` is sent as it is (JSON text, or a literal such as `[DONE]`). */
export interface SseFrame {
  event?: string;
  data: string;
}

/** The response's id, creation time, public model id and the request, as the adapters see them. */
export type ChatStreamContext = ResponseContext;

export interface ChatStreamEnd {
  /** What the call was charged for, `cost` (USD) included. */
  usage: OpenAIUsage;
  finishReason: OpenAIFinishReason | null;
}

export interface ChatStreamEncoder {
  /** Frames for one translated chunk; may be none. */
  chunk(chunk: OpenAIChatChunk): SseFrame[];
  /** Frames that close a stream that completed. */
  finish(end: ChatStreamEnd): SseFrame[];
  /** Frames for a failure after the stream began (the last frames sent). */
  error(error: GatewayError): SseFrame[];
}

export interface ChatDialect {
  /** The front door, as the request record names it. */
  endpoint: 'chat.completions' | 'messages' | 'responses';
  /** The non-stream body, from a completion whose usage is already the billed usage. */
  completion(completion: OpenAIChatCompletion): unknown;
  streamEncoder(ctx: ChatStreamContext): ChatStreamEncoder;
}

const json = (value: unknown): SseFrame => ({ data: JSON.stringify(value) });

/** OpenAI Chat Completions as it is: chunks pass through, the usage chunk only when asked for, then `[DONE]`. */
export const openAIChatDialect: ChatDialect = {
  endpoint: 'chat.completions',
  completion: (completion) => completion,
  streamEncoder: (ctx) => ({
    chunk: (chunk) => [json(chunk)],
    finish: ({ usage }) => {
      if (!ctx.request.stream_options?.include_usage) return [{ data: '[DONE]' }];
      const usageChunk: OpenAIChatChunk = { id: ctx.id, object: 'chat.completion.chunk', created: ctx.created, model: ctx.model, choices: [], usage };
      return [json(usageChunk), { data: '[DONE]' }];
    },
    error: (error) => [json(error.toBody())],
  }),
};
