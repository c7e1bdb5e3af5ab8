/**
 * OpenAI `messages` → Anthropic `system` + alternating `messages`.
 *
 * - system and developer messages, wherever they appear, become top-level `system` text blocks, in order;
 * - consecutive same-role messages are merged into one turn, blocks kept in order (tool messages count as user);
 * - a message that yields no blocks (empty text) is left out instead of being padded;
 * - in a user turn tool_result blocks come first, as Anthropic requires; in an assistant turn thinking blocks do.
 */
import { GatewayError } from '../../shared/errors.js';
import type { CatalogModel } from '../../catalog/schema.js';
import type { ChatMessage } from '../openai/chat-types.js';
import { toAnthropicThinkingBlocks } from '../openai/reasoning-details.js';
import type { TranslationWarning } from '../types.js';
import type { AnthropicContentBlock, AnthropicMessage, AnthropicTextBlock, AnthropicToolResultBlock, AnthropicToolUseBlock } from './anthropic-api.js';
import { toAnthropicTextBlocks, toAnthropicUserBlocks } from './content.js';

export interface AnthropicPrompt {
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
  warnings: TranslationWarning[];
}

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;
type ToolMessage = Extract<ChatMessage, { role: 'tool' }>;

export function toAnthropicPrompt(messages: readonly ChatMessage[], model: CatalogModel): AnthropicPrompt {
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicMessage[] = [];
  const warnings: TranslationWarning[] = [];
  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...toAnthropicTextBlocks(message.content, param));
        return;
      case 'user':
        appendTurn(turns, 'user', toAnthropicUserBlocks(message.content, param, model));
        return;
      case 'tool':
        appendTurn(turns, 'user', [toAnthropicToolResult(message, param, model)]);
        return;
      case 'assistant': {
        const restored = toAnthropicThinkingBlocks(message.reasoning_details, `${param}.reasoning_details`);
        warnings.push(...restored.warnings);
        appendTurn(turns, 'assistant', [...restored.blocks, ...toAssistantBlocks(message, param)]);
        return;
      }
    }
  });
  return { system, messages: turns.map(orderTurnBlocks), warnings };
}

function appendTurn(turns: AnthropicMessage[], role: 'user' | 'assistant', blocks: AnthropicContentBlock[]): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last !== undefined && last.role === role) last.content.push(...blocks);
  else turns.push({ role, content: [...blocks] });
}

// `reasoning_content` echoed back carries no signature, so Anthropic could not verify it; only reasoning_details can
// restore thinking blocks.
function toAssistantBlocks(message: AssistantMessage, param: string): AnthropicContentBlock[] {
  const toolUses = (message.tool_calls ?? []).map(
    (call, k): AnthropicToolUseBlock => ({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseAnthropicToolArguments(call.function.arguments, `${param}.tool_calls[${k}].function.arguments`),
    }),
  );
  return [...toAnthropicTextBlocks(message.content, param), ...toolUses];
}

function toAnthropicToolResult(message: ToolMessage, param: string, model: CatalogModel): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: message.tool_call_id };
  if (typeof message.content === 'string') {
    if (message.content !== '') block.content = message.content;
    return block;
  }
  const parts = toAnthropicUserBlocks(message.content, param, model);
  if (parts.length > 0) block.content = parts;
  return block;
}

/** Tool arguments arrive as a JSON string; Anthropic wants the object. An empty string means no arguments. */
export function parseAnthropicToolArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new GatewayError('invalid_request', { param, message: `${param} is not valid JSON.`, cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GatewayError('invalid_request', { param, message: `${param} must be a JSON object.` });
  }
  return value as Record<string, unknown>;
}

function orderTurnBlocks(turn: AnthropicMessage): AnthropicMessage {
  const leading = turn.role === 'user' ? ['tool_result'] : ['thinking', 'redacted_thinking'];
  const first = turn.content.filter((block) => leading.includes(block.type));
  if (first.length === 0) return turn;
  return { role: turn.role, content: [...first, ...turn.content.filter((block) => !leading.includes(block.type))] };
}
