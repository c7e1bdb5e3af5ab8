/**
 * The gateway's OpenAI chat completion → an Anthropic Messages response, plus the pieces the stream encoder
 * shares with it (message id, stop reason, usage), so both shapes say the same thing.
 *
 * - id: generations are `gen-<id>`; the message is `msg_<id>`, so the generation stays recognisable in logs.
 * - content order is Anthropic's: thinking blocks, then text, then tool_use.
 * - tool arguments are a JSON string in OpenAI and an object in Anthropic. Empty arguments become `{}`; text
 *   that is not a JSON object (a model's broken JSON) becomes `{"_raw": "<text>"}`: never silently a valid call
 *   with no arguments, and the client's schema check shows the model what it sent.
 */
import type { OpenAIChatCompletion, OpenAIFinishReason, OpenAIResponseMessage, OpenAIUsage } from '../../providers/openai/chat-types.js';
import type {
  AnthropicRedactedThinkingBlock,
  AnthropicTextBlock,
  AnthropicThinkingBlock,
  AnthropicToolUseBlock,
} from '../../providers/anthropic/anthropic-api.js';
import { toAnthropicThinkingBlocks } from '../../providers/openai/reasoning-details.js';
import { mapAnthropicStopReason } from '../../providers/anthropic/stop-reason.js';

export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

const ANTHROPIC_STOP_REASONS: ReadonlySet<string> = new Set<AnthropicStopReason>([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
]);

export interface AnthropicResponseUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
  /** USD charged for the call, as OpenRouter adds it. */
  cost?: number;
  /** Counted by the gateway because the upstream reported no usage. */
  estimated?: true;
}

export type AnthropicResponseBlock = AnthropicThinkingBlock | AnthropicRedactedThinkingBlock | AnthropicTextBlock | AnthropicToolUseBlock;

export interface AnthropicMessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: null;
  usage: AnthropicResponseUsage;
}

export function toAnthropicMessage(completion: OpenAIChatCompletion): AnthropicMessageResponse {
  const choice = completion.choices[0];
  return {
    id: toAnthropicMessageId(completion.id),
    type: 'message',
    role: 'assistant',
    model: completion.model,
    content: choice === undefined ? [] : toContentBlocks(choice.message),
    stop_reason: toAnthropicStopReason(choice?.finish_reason ?? null, choice?.native_finish_reason),
    stop_sequence: null,
    usage: toAnthropicUsage(completion.usage),
  };
}

export function toAnthropicMessageId(generationId: string): string {
  return `msg_${generationId.startsWith('gen-') ? generationId.slice(4) : generationId}`;
}

/**
 * An upstream's own Anthropic stop reason is kept when it agrees with the OpenAI one (it is more precise:
 * stop_sequence, pause_turn, model_context_window_exceeded); otherwise the OpenAI reason decides. The check
 * matters when the Anthropic adapter answered JSON mode through its synthetic tool: native `tool_use`, but no
 * tool call for the client.
 */
export function toAnthropicStopReason(finishReason: OpenAIFinishReason | null, nativeFinishReason: string | undefined): AnthropicStopReason | null {
  if (finishReason === null) return null;
  if (nativeFinishReason !== undefined && ANTHROPIC_STOP_REASONS.has(nativeFinishReason)) {
    if (mapAnthropicStopReason(nativeFinishReason).finishReason === finishReason) return nativeFinishReason as AnthropicStopReason;
  }
  switch (finishReason) {
    case 'stop':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
  }
}

/** Anthropic's `input_tokens` excludes cache reads and writes, which OpenAI's `prompt_tokens` includes. */
export function toAnthropicUsage(usage: OpenAIUsage | null | undefined): AnthropicResponseUsage {
  const cacheRead = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const cacheWrite = usage?.prompt_tokens_details?.cache_write_tokens ?? 0;
  const out: AnthropicResponseUsage = {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage?.completion_tokens ?? 0,
  };
  if (typeof usage?.cost === 'number') out.cost = usage.cost;
  if (usage?.estimated === true) out.estimated = true;
  return out;
}

/** Parsed tool arguments; see the header for what broken JSON becomes. */
export function toToolInput(argumentsText: string): Record<string, unknown> {
  if (argumentsText.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(argumentsText);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the wrapped raw text.
  }
  return { _raw: argumentsText };
}

function toContentBlocks(message: OpenAIResponseMessage): AnthropicResponseBlock[] {
  const blocks: AnthropicResponseBlock[] = [...toThinkingBlocks(message)];
  const text = message.content ?? '';
  if (text !== '') blocks.push({ type: 'text', text });
  else if (message.refusal) blocks.push({ type: 'text', text: message.refusal });
  for (const call of message.tool_calls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toToolInput(call.function.arguments) });
  }
  return blocks;
}

/**
 * Signed blocks from `reasoning_details` (set by the Anthropic adapter) so the client can send them back
 * unchanged; otherwise the reasoning text as one unsigned block (other providers have no signature).
 */
function toThinkingBlocks(message: OpenAIResponseMessage): Array<AnthropicThinkingBlock | AnthropicRedactedThinkingBlock> {
  const signed = toAnthropicThinkingBlocks(message.reasoning_details, 'reasoning_details').blocks;
  if (signed.length > 0) return signed;
  const text = message.reasoning_content ?? '';
  return text === '' ? [] : [{ type: 'thinking', thinking: text, signature: '' }];
}
