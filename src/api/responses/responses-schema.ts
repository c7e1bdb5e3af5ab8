/**
 * The OpenAI Responses request (`POST /v1/responses`) as Codex CLI and the `openai` SDKs send it, validated at the
 * front door. Objects are loose so fields added by newer API versions are tolerated.
 *
 * - Input items the gateway can translate are messages, function_call, function_call_output and reasoning; any
 *   other item type (file_search_call, computer_call, item_reference, …) is refused with a 400 at `input[i].type`:
 *   those items record hosted-tool work or server state the gateway does not have.
 * - Tools are accepted whatever their type: function tools are validated here; every other type (web_search,
 *   custom, local_shell, mcp, …) passes through as `{type}` so the translator can drop and report it (see
 *   to-chat-request.ts). New hosted tool types keep appearing in Codex; refusing them would break every request.
 * - Stateful fields (previous_response_id, conversation, …) are parsed so the translator can refuse them by name.
 */
import { z } from 'zod';
import { parseBody } from '../openai/parse-body.js';
import { reportIssues, stringOrArray } from '../../shared/schema-paths.js';
import { MAX_OUTPUT_TOKENS, MAX_TOP_LOGPROBS } from '../../shared/request-bounds.js';

function unsupportedType(kind: string, supported: readonly string[]) {
  return (issue: { code: string; input?: unknown }) => {
    if (issue.code !== 'invalid_union') return undefined;
    const type = typeof issue.input === 'object' && issue.input !== null ? (issue.input as { type?: unknown }).type : undefined;
    const named = typeof type === 'string' ? `${kind} of type "${type}" are not supported by this gateway` : `${kind} need a "type"`;
    return `${named}; supported types: ${supported.join(', ')}.`;
  };
}

const inputText = z.looseObject({ type: z.literal('input_text'), text: z.string() });
const inputImage = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1).nullish(),
  file_id: z.string().nullish(),
  detail: z.string().nullish(),
});
const outputText = z.looseObject({ type: z.literal('output_text'), text: z.string() });
const refusal = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });

const MESSAGE_PART_TYPES = ['input_text', 'input_image', 'output_text', 'refusal'];
const messagePart = z.discriminatedUnion('type', [inputText, inputImage, outputText, refusal], {
  error: unsupportedType('Content parts', MESSAGE_PART_TYPES),
});
const toolOutputPart = z.discriminatedUnion('type', [inputText, inputImage], { error: unsupportedType('Tool output parts', ['input_text', 'input_image']) });

const messageItem = z.looseObject({
  type: z.literal('message'),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: stringOrArray(messagePart),
});
const functionCallItem = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().nullish(),
});
const functionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: stringOrArray(toolOutputPart),
});
const reasoningItem = z.looseObject({
  type: z.literal('reasoning'),
  id: z.string().nullish(),
  summary: z.array(z.looseObject({ type: z.literal('summary_text'), text: z.string() })),
  encrypted_content: z.string().nullish(),
});

const ITEM_TYPES = ['message', 'function_call', 'function_call_output', 'reasoning'];
// Easy input messages (`{role, content}`) carry no type; they are messages.
const inputItem = z.preprocess(
  (value) => (typeof value === 'object' && value !== null && !('type' in value) && 'role' in value ? { ...value, type: 'message' } : value),
  z.discriminatedUnion('type', [messageItem, functionCallItem, functionCallOutputItem, reasoningItem], { error: unsupportedType('Input items', ITEM_TYPES) }),
);

const functionTool = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});
/** A tool of any other type: kept as is, for the translator to drop and report. */
export interface ResponsesOtherTool {
  type: string;
  [field: string]: unknown;
}
const tool = z.looseObject({ type: z.string().min(1) }).transform((value, ctx): ResponsesFunctionTool | ResponsesOtherTool => {
  return value.type === 'function' ? reportIssues(functionTool, value, ctx) : value;
});

const toolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), name: z.string().min(1) }),
  // Hosted-tool and allowed_tools choices: dropped with their tools.
  z.looseObject({ type: z.string().refine((type) => type !== 'function', 'A function tool_choice needs a "name".') }),
]);

const textFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  }),
]);

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: stringOrArray(inputItem),
  instructions: z.string().nullish(),
  // Ranges as in OpenAI's reference, checked here so every provider's client gets the same 400.
  max_output_tokens: z.number().int().min(1).max(MAX_OUTPUT_TOKENS).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_logprobs: z.number().int().min(0).max(MAX_TOP_LOGPROBS).nullish(),
  stream: z.boolean().nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  reasoning: z.looseObject({ effort: z.enum(REASONING_EFFORTS).nullish(), summary: z.string().nullish() }).nullish(),
  text: z.looseObject({ format: textFormat.nullish() }).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().nullish(),
  conversation: z.unknown().optional(),
  background: z.boolean().nullish(),
  prompt: z.unknown().optional(),
  include: z.array(z.string()).nullish(),
  truncation: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  service_tier: z.string().nullish(),
});

export type ResponsesBody = z.infer<typeof responsesRequestSchema>;
export type ResponsesInputItem = z.output<typeof inputItem>;
export type ResponsesMessageItem = z.output<typeof messageItem>;
export type ResponsesMessagePart = z.output<typeof messagePart>;
export type ResponsesToolOutputPart = z.output<typeof toolOutputPart>;
export type ResponsesFunctionTool = z.output<typeof functionTool>;
export type ResponsesTool = ResponsesFunctionTool | ResponsesOtherTool;
export type ResponsesToolChoice = z.output<typeof toolChoice>;

export function isFunctionTool(tool: ResponsesTool): tool is ResponsesFunctionTool {
  // The schema validated every `function` tool as one.
  return tool.type === 'function';
}

/** Validates a Responses body; the first issue becomes a 400 whose `param` names the field. */
export function parseResponsesBody(body: unknown): ResponsesBody {
  return parseBody(responsesRequestSchema, body);
}
