/**
 * Anthropic Messages request → the gateway's OpenAI chat request, so `/messages` runs through the same pipeline
 * and adapters as `/chat/completions`. Pure: no I/O, no model resolution (the route replaces `model`).
 *
 * Choices that are not one-to-one:
 * - `system` and inline role "system" messages become OpenAI system messages in the order they appear;
 *   empty text blocks are dropped everywhere (Anthropic itself rejects them).
 * - `cache_control` stays on the text parts it was set on (OpenRouter's convention; the text part schema is
 *   loose). A `cache_control` on a tool_result block moves to the last text part of its tool message.
 * - tool_result blocks become `tool` messages, ahead of the rest of the same user turn. Images inside a
 *   tool_result stay inside the tool message as `image_url` parts: the Anthropic adapter turns them back into
 *   tool_result content, other adapters decide what their upstream can take. `is_error` has no OpenAI
 *   counterpart and is dropped; nothing is added to the content (Claude Code already writes the error there).
 * - thinking blocks travel as `reasoning_content` (for adapters that echo reasoning text) and `reasoning_details`
 *   (the signed blocks the Anthropic adapter restores unchanged in a tool loop).
 */
import { GatewayError } from '../../shared/errors.js';
import type { ChatContentPart, ChatMessage, ChatRequest, ChatToolCall } from '../../providers/openai/chat-types.js';
import { fromAnthropicThinkingBlocks, type ThinkingBlockInput } from '../../providers/openai/reasoning-details.js';
import type {
  AnthropicMessagesBody,
  AnthropicRequestBlock,
  AnthropicRequestImageBlock,
  AnthropicRequestTextBlock,
  AnthropicRequestToolResultBlock,
} from './messages-schema.js';

type Content = string | AnthropicRequestBlock[];
type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;
type ToolMessage = Extract<ChatMessage, { role: 'tool' }>;

export function toChatRequest(body: AnthropicMessagesBody): ChatRequest {
  const request: ChatRequest = { model: body.model, messages: toChatMessages(body), max_tokens: body.max_tokens };
  if (body.stop_sequences !== undefined && body.stop_sequences.length > 0) request.stop = body.stop_sequences;
  if (body.metadata?.user_id != null) request.user = body.metadata.user_id;
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.top_p = body.top_p;
  if (body.top_k !== undefined) request.top_k = body.top_k;
  if (body.tools !== undefined && body.tools.length > 0) request.tools = body.tools.map(toFunctionTool);
  if (body.tool_choice !== undefined) {
    request.tool_choice = toOpenAIToolChoice(body.tool_choice);
    if (body.tool_choice.disable_parallel_tool_use === true) request.parallel_tool_calls = false;
  }
  // Passed as given: the Anthropic adapter reads it; other adapters decide what it means for them.
  if (body.thinking !== undefined) request.thinking = body.thinking;
  if (body.stream === true) {
    request.stream = true;
    // Always asked for: the closing message_delta reports the final usage.
    request.stream_options = { include_usage: true };
  }
  return request;
}

function toChatMessages(body: AnthropicMessagesBody): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (body.system !== undefined) out.push(...toSystemMessages(body.system));
  body.messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case 'system':
        out.push(...toSystemMessages(message.content, param));
        return;
      case 'user':
        out.push(...toUserMessages(message.content, param));
        return;
      case 'assistant':
        out.push(toAssistantMessage(message.content, param));
        return;
    }
  });
  return out;
}

function toSystemMessages(content: Content, param = 'system'): ChatMessage[] {
  if (typeof content === 'string') return isBlank(content) ? [] : [{ role: 'system', content }];
  const parts = content.flatMap((block, j) => {
    if (block.type !== 'text') throw misplacedBlock(block.type, `${param}.content[${j}]`, 'system');
    return toTextParts(block);
  });
  return parts.length === 0 ? [] : [{ role: 'system', content: parts }];
}

/** One user turn → its tool results first (Anthropic's own order), then one user message with the rest. */
function toUserMessages(content: Content, param: string): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const toolMessages: ChatMessage[] = [];
  const parts: ChatContentPart[] = [];
  content.forEach((block, j) => {
    const blockParam = `${param}.content[${j}]`;
    switch (block.type) {
      case 'tool_result':
        toolMessages.push(toToolMessage(block));
        return;
      case 'text':
        parts.push(...toTextParts(block));
        return;
      case 'image':
        parts.push(toImagePart(block));
        return;
      default:
        throw misplacedBlock(block.type, blockParam, 'user');
    }
  });
  return parts.length === 0 ? toolMessages : [...toolMessages, { role: 'user', content: parts }];
}

function toToolMessage(block: AnthropicRequestToolResultBlock): ToolMessage {
  const message: ToolMessage = { role: 'tool', tool_call_id: block.tool_use_id, content: '' };
  const result = block.content;
  if (typeof result === 'string') message.content = result;
  else if (result !== undefined) {
    const parts = result.flatMap((part) => (part.type === 'text' ? toTextParts(part) : [toImagePart(part)]));
    const textOnly = parts.every((part) => part.type === 'text' && !('cache_control' in part));
    // Text alone is joined into a string, the form every upstream accepts for a tool message.
    message.content = textOnly ? parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n') : parts;
  }
  if (block.cache_control != null) message.content = withCacheControlOnLastText(message.content, block.cache_control);
  return message;
}

function withCacheControlOnLastText(content: string | ChatContentPart[], cacheControl: object): ChatContentPart[] {
  const parts: ChatContentPart[] = typeof content === 'string' ? (isBlank(content) ? [] : [{ type: 'text', text: content }]) : [...content];
  const last = parts.findLastIndex((part) => part.type === 'text');
  const part = parts[last];
  if (part?.type === 'text') parts[last] = { ...part, cache_control: cacheControl };
  return parts;
}

function toAssistantMessage(content: Content, param: string): AssistantMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  const texts: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  const thinking: ThinkingBlockInput[] = [];
  content.forEach((block, j) => {
    switch (block.type) {
      case 'text':
        if (!isBlank(block.text)) texts.push(block.text);
        return;
      case 'tool_use':
        toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input) } });
        return;
      case 'thinking':
        thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature ?? null });
        return;
      case 'redacted_thinking':
        thinking.push({ type: 'redacted_thinking', data: block.data });
        return;
      default:
        throw misplacedBlock(block.type, `${param}.content[${j}]`, 'assistant');
    }
  });
  // Text blocks are joined as the Anthropic adapter joins them in a response, so a round trip is stable.
  const message: AssistantMessage = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const reasoning = thinking.flatMap((block) => (block.type === 'thinking' ? [block.thinking] : [])).join('');
  if (reasoning !== '') message.reasoning_content = reasoning;
  if (thinking.length > 0) message.reasoning_details = fromAnthropicThinkingBlocks(thinking);
  return message;
}

function toTextParts(block: AnthropicRequestTextBlock): ChatContentPart[] {
  if (isBlank(block.text)) return [];
  return [block.cache_control != null ? { type: 'text', text: block.text, cache_control: block.cache_control } : { type: 'text', text: block.text }];
}

function toImagePart(block: AnthropicRequestImageBlock): ChatContentPart {
  const { source } = block;
  const url = source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url;
  return { type: 'image_url', image_url: { url } };
}

function toFunctionTool(tool: NonNullable<AnthropicMessagesBody['tools']>[number]): NonNullable<ChatRequest['tools']>[number] {
  const fn: NonNullable<ChatRequest['tools']>[number]['function'] = { name: tool.name, parameters: tool.input_schema };
  if (tool.description !== undefined) fn.description = tool.description;
  if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
  return tool.cache_control != null ? { type: 'function', function: fn, cache_control: tool.cache_control } : { type: 'function', function: fn };
}

function toOpenAIToolChoice(choice: NonNullable<AnthropicMessagesBody['tool_choice']>): NonNullable<ChatRequest['tool_choice']> {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
  }
}

function isBlank(text: string): boolean {
  // Anthropic rejects text blocks without non-whitespace text ("text content blocks must be non-empty").
  return text.trim() === '';
}

function misplacedBlock(type: string, param: string, role: 'system' | 'user' | 'assistant'): GatewayError {
  return new GatewayError('invalid_request', {
    param: `${param}.type`,
    message: `A ${role} message cannot contain "${type}" content blocks.`,
  });
}
