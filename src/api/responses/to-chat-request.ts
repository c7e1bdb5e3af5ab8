/**
 * OpenAI Responses request → the gateway's OpenAI chat request, so `/responses` runs through the same pipeline and
 * adapters as `/chat/completions`. Pure: no I/O, no model resolution (the route replaces `model`).
 *
 * Choices that are not one-to-one:
 * - Stateless only: previous_response_id, conversation, prompt and background need responses stored at the
 *   gateway, so they are refused by name. `store` is accepted and ignored (the response says `store: false`).
 * - Hosted tools (web_search, file_search, custom, local_shell, mcp, …) cannot run here. They are dropped and
 *   returned in `dropped` (with a tool_choice naming one) so the route can report them in a warning header;
 *   Codex sends some by default and keeps working with its function tools.
 * - tool_choice and parallel_tool_calls are only sent with tools: OpenAI rejects them without any.
 * - Consecutive function_call items (after an assistant message, or alone) become one assistant message with
 *   tool_calls; function_call_output items become `tool` messages.
 * - Reasoning items from history: their summary text becomes `reasoning_content` on the next assistant message
 *   (for upstreams that want reasoning echoed; a reasoning item does not split a group of function calls).
 *   encrypted_content is dropped for every upstream: chat completions has no field to carry it, and we never
 *   produce it ourselves.
 * - metadata, include, truncation, prompt_cache_key, service_tier, reasoning.summary and text.verbosity are
 *   accepted and ignored: they have no chat-completions counterpart every upstream understands.
 */
import { GatewayError } from '../../shared/errors.js';
import type { ChatContentPart, ChatMessage, ChatRequest } from '../../providers/openai/chat-types.js';
import type { TranslationWarning } from '../../providers/types.js';
import {
  isFunctionTool,
  type ResponsesBody,
  type ResponsesFunctionTool,
  type ResponsesInputItem,
  type ResponsesMessageItem,
  type ResponsesToolOutputPart,
} from './responses-schema.js';

export interface ResponsesTranslation {
  request: ChatRequest;
  /** Parts of the request that were dropped instead of refused, for a warning header. */
  dropped: TranslationWarning[];
}

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;
type ChatTool = NonNullable<ChatRequest['tools']>[number];

const STATEFUL_PARAMS = ['previous_response_id', 'conversation', 'prompt'] as const;

export function toChatRequest(body: ResponsesBody): ResponsesTranslation {
  refuseStatefulParams(body);
  const dropped: TranslationWarning[] = [];
  const request: ChatRequest = { model: body.model, messages: toChatMessages(body) };
  if (body.max_output_tokens != null) request.max_tokens = body.max_output_tokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.top_p = body.top_p;
  if (body.user != null) request.user = body.user;
  if (body.reasoning?.effort != null) request.reasoning_effort = body.reasoning.effort;
  const format = body.text?.format;
  if (format?.type === 'json_object') request.response_format = { type: 'json_object' };
  if (format?.type === 'json_schema') {
    const jsonSchema: { name: string; schema: Record<string, unknown>; description?: string; strict?: boolean } = { name: format.name, schema: format.schema };
    if (format.description != null) jsonSchema.description = format.description;
    if (format.strict != null) jsonSchema.strict = format.strict;
    request.response_format = { type: 'json_schema', json_schema: jsonSchema };
  }
  const tools: ChatTool[] = [];
  (body.tools ?? []).forEach((tool, i) => {
    if (isFunctionTool(tool)) tools.push(toChatTool(tool));
    else dropped.push({ param: `tools[${i}]`, message: `Tools of type "${tool.type}" cannot run on this gateway and were dropped.` });
  });
  if (tools.length > 0) {
    request.tools = tools;
    const choice = body.tool_choice;
    if (typeof choice === 'string') request.tool_choice = choice;
    else if (choice?.type === 'function' && typeof choice['name'] === 'string') request.tool_choice = { type: 'function', function: { name: choice['name'] } };
    else if (choice != null) dropped.push({ param: 'tool_choice', message: `tool_choice of type "${choice.type}" is not supported and was dropped.` });
    if (body.parallel_tool_calls != null) request.parallel_tool_calls = body.parallel_tool_calls;
  }
  if (body.stream === true) {
    request.stream = true;
    // Always asked for: response.completed carries the final usage.
    request.stream_options = { include_usage: true };
  }
  return { request, dropped };
}

function refuseStatefulParams(body: ResponsesBody): void {
  for (const param of STATEFUL_PARAMS) {
    if (body[param] != null) {
      throw new GatewayError('invalid_request', { param, message: `'${param}' is not supported: this gateway does not store responses; send the full input instead.` });
    }
  }
  if (body.background === true) {
    throw new GatewayError('invalid_request', { param: 'background', message: "'background' is not supported: this gateway does not store responses." });
  }
}

function toChatMessages(body: ResponsesBody): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (body.instructions != null && body.instructions !== '') messages.push({ role: 'system', content: body.instructions });
  if (typeof body.input === 'string') return [...messages, { role: 'user', content: body.input }];
  return [...messages, ...new HistoryBuilder().build(body.input)];
}

/** Walks the input items, grouping function calls into assistant messages and carrying reasoning forward. */
class HistoryBuilder {
  private readonly messages: ChatMessage[] = [];
  /** The assistant message the next function_call joins, while nothing else came in between. */
  private openAssistant: AssistantMessage | undefined;
  /** Summary texts of reasoning items not yet attached to an assistant message. */
  private pendingReasoning: string[] = [];

  build(items: ResponsesInputItem[]): ChatMessage[] {
    items.forEach((item, i) => this.add(item, `input[${i}]`));
    return this.messages;
  }

  private add(item: ResponsesInputItem, param: string): void {
    switch (item.type) {
      case 'message':
        if (item.role === 'assistant') this.openAssistant = this.pushAssistant(toAssistantContent(item, param));
        else this.push(toInputMessage(item, param));
        return;
      case 'function_call': {
        const call = { id: item.call_id, type: 'function' as const, function: { name: item.name, arguments: item.arguments } };
        const target = this.openAssistant ?? this.pushAssistant(null);
        this.attachReasoning(target);
        target.tool_calls = [...(target.tool_calls ?? []), call];
        this.openAssistant = target;
        return;
      }
      case 'function_call_output':
        this.push({ role: 'tool', tool_call_id: item.call_id, content: toToolContent(item.output, `${param}.output`) });
        return;
      case 'reasoning':
        // Kept for the next assistant output; it does not end a function_call group (reasoning may sit between
        // parallel calls, and splitting them would separate calls from their tool messages).
        this.pendingReasoning.push(...item.summary.map((part) => part.text).filter((text) => text !== ''));
        return;
    }
  }

  private pushAssistant(content: string | null): AssistantMessage {
    const message: AssistantMessage = { role: 'assistant', content };
    this.attachReasoning(message);
    this.messages.push(message);
    return message;
  }

  private attachReasoning(message: AssistantMessage): void {
    if (this.pendingReasoning.length === 0) return;
    message.reasoning_content = [message.reasoning_content ?? '', ...this.pendingReasoning].filter((text) => text !== '').join('\n\n');
    this.pendingReasoning = [];
  }

  private push(message: ChatMessage): void {
    this.openAssistant = undefined;
    this.messages.push(message);
  }
}

function toInputMessage(item: ResponsesMessageItem, param: string): ChatMessage {
  const role = item.role as 'user' | 'system' | 'developer';
  if (typeof item.content === 'string') return { role, content: item.content };
  const parts = item.content.map((part, j): ChatContentPart => {
    const partParam = `${param}.content[${j}]`;
    switch (part.type) {
      case 'input_text':
      case 'output_text':
        return { type: 'text', text: part.text };
      case 'input_image':
        if (role !== 'user') throw misplacedPart(part.type, partParam, role);
        return toImagePart(part, partParam);
      case 'refusal':
        throw misplacedPart(part.type, partParam, role);
    }
  });
  return { role, content: parts };
}

/** Assistant history: text parts joined (as a chat completion answers), a refusal read as text. */
function toAssistantContent(item: ResponsesMessageItem, param: string): string | null {
  if (typeof item.content === 'string') return item.content;
  const texts = item.content.map((part, j) => {
    if (part.type === 'input_image') throw misplacedPart(part.type, `${param}.content[${j}]`, 'assistant');
    return part.type === 'refusal' ? part.refusal : part.text;
  });
  return texts.length === 0 ? null : texts.join('');
}

function toToolContent(output: string | ResponsesToolOutputPart[], param: string): string | ChatContentPart[] {
  if (typeof output === 'string') return output;
  const parts = output.map((part, j): ChatContentPart => (part.type === 'input_text' ? { type: 'text', text: part.text } : toImagePart(part, `${param}[${j}]`)));
  // Text alone is joined into a string, the form every upstream accepts for a tool message.
  if (parts.every((part) => part.type === 'text')) return parts.map((part) => (part as { text: string }).text).join('\n');
  return parts;
}

function toImagePart(part: Extract<ResponsesToolOutputPart, { type: 'input_image' }>, param: string): ChatContentPart {
  if (part.image_url == null) {
    const message = part.file_id != null ? 'Images by file_id are not supported: this gateway has no file storage. Send image_url.' : 'An input_image needs an image_url.';
    throw new GatewayError('invalid_request', { param: `${param}.${part.file_id != null ? 'file_id' : 'image_url'}`, message });
  }
  const detail = part.detail;
  // Chat completions knows auto/low/high only; "original" and newer values fall back to the upstream default.
  if (detail === 'auto' || detail === 'low' || detail === 'high') return { type: 'image_url', image_url: { url: part.image_url, detail } };
  return { type: 'image_url', image_url: { url: part.image_url } };
}

function toChatTool(tool: ResponsesFunctionTool): ChatTool {
  const fn: ChatTool['function'] = { name: tool.name };
  if (tool.description != null) fn.description = tool.description;
  if (tool.parameters != null) fn.parameters = tool.parameters;
  if (tool.strict != null) fn.strict = tool.strict;
  return { type: 'function', function: fn };
}

function misplacedPart(type: string, param: string, role: string): GatewayError {
  return new GatewayError('invalid_request', { param: `${param}.type`, message: `A ${role} message cannot contain "${type}" content parts.` });
}
