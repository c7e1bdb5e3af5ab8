/**
 * OpenAI Chat Completions as clients send and receive it: the request schema (validated at the HTTP edge,
 * unknown fields kept so provider-specific extras reach the adapter) and the response and chunk types every
 * adapter produces.
 */
import { z } from 'zod';
import { stringOrArray } from '../../shared/schema-paths.js';
import { MAX_CHOICES, MAX_OUTPUT_TOKENS, MAX_TOP_LOGPROBS } from '../../shared/request-bounds.js';
import type { ReasoningDetail } from './reasoning-details.js';

/*
 * Extensions beyond OpenAI's reference are declared here once, with where they come from. Those a client sends
 * are typed `unknown`: the edge passes them on as given, and the adapter that uses one checks its shape (a shape
 * another provider would refuse is that provider's business). Those the gateway writes itself are typed exactly.
 */

/**
 * Anthropic's prompt-caching breakpoint, `{type: "ephemeral", ttl?: "5m" | "1h"}`, on text parts and tools
 * (OpenRouter's convention; the Anthropic front door puts it there). Checked by the Anthropic adapter; the
 * OpenAI-compatible adapter keeps or strips it per provider.
 */
const cacheControlExtension = z.unknown().optional();

// Loose so provider extras such as Anthropic's `cache_control` reach the adapter.
const textPart = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControlExtension });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const audioPart = z.looseObject({ type: z.literal('input_audio'), input_audio: z.looseObject({ data: z.string(), format: z.string().min(1) }) });
const filePart = z.looseObject({
  type: z.literal('file'),
  file: z.looseObject({ file_data: z.string().optional(), file_id: z.string().optional(), filename: z.string().optional() }),
});
const refusalPart = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });
/** Provider extensions (Qwen, GLM, Doubao) the OpenAI-compatible adapter passes on to the models that take them. */
const videoUrlPart = z.looseObject({ type: z.literal('video_url') });
const fileUrlPart = z.looseObject({ type: z.literal('file_url') });

const CONTENT_PART_TYPES = ['text', 'image_url', 'input_audio', 'file', 'refusal', 'video_url', 'file_url'];
/** Known part kinds only: an unknown one would reach the upstream, whose answer to it depends on the provider. */
export const contentPartSchema = z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart, refusalPart, videoUrlPart, fileUrlPart], {
  error: (issue) => (issue.code === 'invalid_union' ? unknownPartMessage(issue.input) : undefined),
});

function unknownPartMessage(input: unknown): string {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  const named = typeof type === 'string' ? `Content parts of type "${type}" are not supported` : 'Content parts need a "type"';
  return `${named}; supported types: ${CONTENT_PART_TYPES.join(', ')}.`;
}

const content = stringOrArray(contentPartSchema, 'an array of content parts');

export const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
  /** Google's OpenAI-compatible extension, `{google: {thought_signature}}`; read by the Gemini adapter. */
  extra_content: z.unknown().optional(),
});

const systemMessage = z.looseObject({ role: z.enum(['system', 'developer']), content, name: z.string().optional() });
const userMessage = z.looseObject({ role: z.literal('user'), content, name: z.string().optional() });
const assistantMessage = z.looseObject({
  role: z.literal('assistant'),
  content: content.nullish(),
  name: z.string().optional(),
  refusal: z.string().nullish(),
  tool_calls: z.array(toolCallSchema).optional(),
  /** Reasoning returned by an earlier turn; some providers want it back. */
  reasoning_content: z.string().nullish(),
  /**
   * The `reasoning_details` an earlier response carried (reasoning-details.ts), sent back so a provider can
   * verify its own reasoning. Read by the Anthropic and Gemini adapters, each taking only its own entries.
   */
  reasoning_details: z.unknown().optional(),
});
const toolMessage = z.looseObject({ role: z.literal('tool'), content, tool_call_id: z.string() });

export const chatMessageSchema = z.discriminatedUnion('role', [systemMessage, userMessage, assistantMessage, toolMessage]);

export const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
  cache_control: cacheControlExtension,
});

export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);

export const responseFormatSchema = z.union([
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const outputTokens = z.number().int().min(1).max(MAX_OUTPUT_TOKENS);

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  // Ranges as in OpenAI's reference, checked here so every provider's client gets the same 400.
  max_tokens: outputTokens.nullish(),
  max_completion_tokens: outputTokens.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().min(1).max(MAX_CHOICES).nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  seed: z.number().int().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string().regex(/^\d+$/, 'logit_bias keys are token ids.'), z.number().min(-100).max(100)).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(MAX_TOP_LOGPROBS).nullish(),
  user: z.string().nullish(),
  tools: z.array(functionToolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormatSchema.nullish(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).nullish(),
});

/**
 * Request fields the edge passes on unchecked: extensions, and OpenAI fields whose meaning is per provider.
 * Declared on the type rather than in the schema: a key the schema declares moves ahead of the client's other
 * extras in the parsed request, and those extras are forwarded upstream and warned about in the order the client
 * sent them.
 */
export interface ChatRequestUncheckedFields {
  /** Top-k sampling (Anthropic, Gemini, Qwen); a positive integer where an adapter maps it. */
  top_k?: unknown;
  /**
   * Extended thinking: Anthropic's `{type: "enabled", budget_tokens} | {type: "adaptive"} | {type: "disabled"}`
   * (the Anthropic front door passes the client's as given); several OpenAI-compatible providers take their own.
   */
  thinking?: unknown;
  /** OpenRouter's `{max_tokens?, effort?, enabled?, exclude?}`; read by the Anthropic adapter. */
  reasoning?: unknown;
  /** OpenAI's service tier; a tier the catalog prices is billed as such (billing/priced-features.ts). */
  service_tier?: unknown;
  /** OpenAI's search-model options; billed as one web search call where the catalog prices search. */
  web_search_options?: unknown;
}

export type ChatContentPart = z.infer<typeof contentPartSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type ChatToolCall = z.infer<typeof toolCallSchema>;
export type ChatRequest = z.infer<typeof chatRequestSchema> & ChatRequestUncheckedFields;

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number; cache_write_tokens?: number };
  completion_tokens_details?: { reasoning_tokens: number };
  /** USD charged for the request (added by billing). */
  cost?: number;
  /** Set by billing when the charge rests on the gateway's own count, not on usage the upstream reported. */
  estimated?: true;
}

export interface OpenAIResponseMessage {
  role: 'assistant';
  content: string | null;
  refusal?: string | null;
  reasoning_content?: string;
  /** Signed reasoning to send back on the next turn (reasoning-details.ts). */
  reasoning_details?: ReasoningDetail[];
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
}

export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: OpenAIResponseMessage;
    finish_reason: OpenAIFinishReason | null;
    /** The provider's own finish reason, kept when it does not map one to one. */
    native_finish_reason?: string;
    logprobs: unknown;
  }>;
  usage?: OpenAIUsage;
  system_fingerprint?: string | null;
}

export interface OpenAIChunkToolCall {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface OpenAIChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: {
      role?: 'assistant';
      content?: string | null;
      reasoning_content?: string;
      /** The whole list so far each time it grows, so keeping the last one seen is enough. */
      reasoning_details?: ReasoningDetail[];
      refusal?: string | null;
      tool_calls?: OpenAIChunkToolCall[];
    };
    finish_reason: OpenAIFinishReason | null;
    native_finish_reason?: string;
    logprobs?: unknown;
  }>;
  usage?: OpenAIUsage | null;
}
