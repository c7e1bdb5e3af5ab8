/**
 * The Anthropic Messages request (`POST /v1/messages`) as Claude Code and the Anthropic SDKs send it, validated at
 * the front door. Objects are loose so fields added by newer API versions are tolerated; content block kinds the
 * gateway cannot translate (document, server_tool_use, search_result, …) are refused with a 400 naming the block,
 * because dropping them silently would change what the model reads.
 */
import { z } from 'zod';
import { parseBody } from '../openai/parse-body.js';
import { stringOrArray } from '../../shared/schema-paths.js';
import { MAX_OUTPUT_TOKENS } from '../../shared/request-bounds.js';

const cacheControl = z.looseObject({ type: z.string() });

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControl.nullish() });

const imageSource = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string() }),
    z.looseObject({ type: z.literal('url'), url: z.string().min(1) }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'Image sources must be of type "base64" or "url".' : undefined) },
);
const imageBlock = z.looseObject({ type: z.literal('image'), source: imageSource, cache_control: cacheControl.nullish() });

/** What a tool_result may hold besides a plain string. */
const toolResultPart = z.discriminatedUnion('type', [textBlock, imageBlock], {
  error: (issue) => (issue.code === 'invalid_union' ? unsupportedBlockMessage(issue.input, ['text', 'image']) : undefined),
});

const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl.nullish(),
});
const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: stringOrArray(toolResultPart, 'an array of content blocks').optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl.nullish(),
});
// A missing signature is tolerated: such a block cannot be verified upstream, which the Anthropic adapter handles.
const thinkingBlock = z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().nullish() });
const redactedThinkingBlock = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });

const BLOCK_TYPES = ['text', 'image', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'];
const contentBlock = z.discriminatedUnion('type', [textBlock, imageBlock, toolUseBlock, toolResultBlock, thinkingBlock, redactedThinkingBlock], {
  error: (issue) => (issue.code === 'invalid_union' ? unsupportedBlockMessage(issue.input, BLOCK_TYPES) : undefined),
});

const message = z.looseObject({
  // Newer Claude Code versions put role "system" messages inline; they are read as system text.
  role: z.enum(['user', 'assistant', 'system']),
  content: stringOrArray(contentBlock, 'an array of content blocks'),
});

const tool = z.looseObject({
  // Server tools (web_search_…, bash_…, text_editor_…) run at Anthropic and have no counterpart elsewhere.
  type: z.literal('custom', { error: 'Only custom tools (name, description, input_schema) are supported; server tools are not.' }).nullish(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  cache_control: cacheControl.nullish(),
  /** Strict tool use; only a boolean is passed on, anything else is ignored. */
  strict: z.unknown().optional(),
});

const toolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.enum(['auto', 'any', 'none']), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
]);

const thinking = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1).max(MAX_OUTPUT_TOKENS) }),
  z.looseObject({ type: z.enum(['disabled', 'adaptive']) }),
]);

export const anthropicMessagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  // Required, as in Anthropic's API: the gateway never invents an output budget for this front door.
  max_tokens: z.number({ error: (issue) => (issue.input === undefined ? 'max_tokens is required.' : undefined) }).int().min(1).max(MAX_OUTPUT_TOKENS),
  messages: z.array(message).min(1),
  system: stringOrArray(textBlock, 'an array of content blocks').optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  // Ranges as in Anthropic's reference, checked here because the model behind this door may be any provider's.
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  thinking: thinking.optional(),
});

export type AnthropicMessagesBody = z.infer<typeof anthropicMessagesRequestSchema>;
export type AnthropicRequestMessage = AnthropicMessagesBody['messages'][number];
export type AnthropicRequestBlock = z.infer<typeof contentBlock>;
export type AnthropicRequestTextBlock = z.infer<typeof textBlock>;
export type AnthropicRequestImageBlock = z.infer<typeof imageBlock>;
export type AnthropicRequestToolResultBlock = z.infer<typeof toolResultBlock>;

/** Validates a Messages body; the first issue becomes a 400 whose `param` names the field. */
export function parseAnthropicMessagesBody(body: unknown): AnthropicMessagesBody {
  return parseBody(anthropicMessagesRequestSchema, body);
}

function unsupportedBlockMessage(input: unknown, supported: readonly string[]): string {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  const named = typeof type === 'string' ? `Content blocks of type "${type}" are not supported here` : 'Content blocks need a "type"';
  return `${named}; supported types: ${supported.join(', ')}.`;
}
