/**
 * OpenAI `messages` → Gemini `systemInstruction` + `contents`. Gemini has two roles (user, model), takes tool
 * results as `functionResponse` parts in a user turn, and wants consecutive same-role turns as one turn, so
 * adjacent user/tool messages are merged. Nothing is added that the client did not send, except the
 * documented `skip_thought_signature_validator` sentinel when a Gemini 3 history lost its thought signature.
 */
import { GatewayError, isGatewayError } from '../../shared/errors.js';
import type { ChatContentPart, ChatMessage, ChatToolCall } from '../openai/chat-types.js';
import type { RequestContext, TranslationWarning } from '../types.js';
import type { GeminiContent, GeminiPart, GeminiRequest, GeminiRole } from './gemini-api.js';
import { decodeGeminiToolCallSignature } from './tool-call-id.js';

export interface GeminiContentsOptions {
  /** Gemini 3 validates thought signatures on function calls in the history. */
  requireThoughtSignatures: boolean;
}

export interface GeminiContentsTranslation {
  systemInstruction?: NonNullable<GeminiRequest['systemInstruction']>;
  contents: GeminiContent[];
  warnings: TranslationWarning[];
}

/** Documented by Google for histories whose signatures are unavailable (e.g. transferred from another model). */
export const GEMINI_SKIP_SIGNATURE = 'skip_thought_signature_validator';

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;
type ContentValue = Extract<ChatMessage, { role: 'user' }>['content'];

export async function toGeminiContents(
  messages: ChatMessage[],
  ctx: RequestContext,
  options: GeminiContentsOptions,
): Promise<GeminiContentsTranslation> {
  const warnings: TranslationWarning[] = [];
  const system: Array<{ text: string }> = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  for (const [i, message] of messages.entries()) {
    if (message.name !== undefined && message.role !== 'tool') {
      warnings.push({ param: `messages[${i}].name`, message: 'Gemini has no participant names; the name was not sent.' });
    }
    switch (message.role) {
      case 'system':
      case 'developer':
        if (contents.length > 0) {
          warnings.push({ param: `messages[${i}]`, message: `A ${message.role} message after the conversation started was moved into systemInstruction.` });
        }
        system.push({ text: toPlainText(message.content, `messages[${i}].content`) });
        break;
      case 'user':
        appendTurn(contents, 'user', await toUserParts(message.content, i, ctx, warnings));
        break;
      case 'assistant':
        appendTurn(contents, 'model', toModelParts(message, i, toolNames, options));
        break;
      case 'tool':
        appendTurn(contents, 'user', [toFunctionResponsePart(message, i, toolNames)]);
        break;
      default:
        return message satisfies never;
    }
  }
  const out: GeminiContentsTranslation = { contents, warnings };
  if (system.length > 0) out.systemInstruction = { parts: system };
  return out;
}

function appendTurn(contents: GeminiContent[], role: GeminiRole, parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents[contents.length - 1];
  if (last !== undefined && last.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

function toPlainText(content: ContentValue, param: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((part, j) => {
      if (part.type === 'text' && typeof part.text === 'string') return part.text;
      throw new GatewayError('invalid_request', { param: `${param}[${j}]`, message: `Only text parts are allowed here, got "${part.type}".` });
    })
    .join('\n');
}

async function toUserParts(content: ContentValue, i: number, ctx: RequestContext, warnings: TranslationWarning[]): Promise<GeminiPart[]> {
  if (typeof content === 'string') return [{ text: content }];
  const parts: GeminiPart[] = [];
  for (const [j, part] of content.entries()) {
    const param = `messages[${i}].content[${j}]`;
    const detail = part.type === 'image_url' ? part.image_url.detail : undefined;
    if (detail !== undefined && detail !== 'auto') {
      warnings.push({ param: `${param}.image_url.detail`, message: 'Gemini has no per-image detail setting; the image was sent at the default resolution.' });
    }
    parts.push(await toUserPart(part, param, ctx));
  }
  return parts;
}

async function toUserPart(part: ChatContentPart, param: string, ctx: RequestContext): Promise<GeminiPart> {
  if (part.type === 'text') return { text: part.text };
  if (part.type === 'image_url') return { inlineData: await toImageData(part.image_url.url, `${param}.image_url.url`, ctx) };
  if (part.type === 'input_audio') return { inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } };
  if (part.type === 'file') {
    const fileData = part.file.file_data;
    if (typeof fileData === 'string') return { inlineData: parseDataUrl(fileData, `${param}.file.file_data`) };
    throw new GatewayError('unsupported_parameter', { param: `${param}.file`, message: 'Only inline files ("file_data" data URLs) can be sent to Gemini.' });
  }
  throw new GatewayError('unsupported_parameter', { param, message: `Content parts of type "${part.type}" are not supported by Gemini.` });
}

async function toImageData(url: string, param: string, ctx: RequestContext): Promise<{ mimeType: string; data: string }> {
  if (url.startsWith('data:')) return parseDataUrl(url, param);
  if (!/^https?:\/\//i.test(url)) {
    throw new GatewayError('invalid_request', { param, message: 'Image URLs must be http(s) URLs or base64 data URLs.' });
  }
  try {
    return await ctx.fetchImage(url);
  } catch (err) {
    // The fetcher knows why it refused; this adds where in the request the URL was.
    if (isGatewayError(err) && err.code === 'image_fetch_failed') throw new GatewayError('image_fetch_failed', { param, message: err.message, cause: err });
    throw err;
  }
}

function parseDataUrl(url: string, param: string): { mimeType: string; data: string } {
  const match = /^data:([\w.+-]+\/[\w.+-]+)((?:;[^;,]*)*);base64,(.*)$/is.exec(url);
  if (match === null || match[1] === undefined || match[3] === undefined) {
    throw new GatewayError('invalid_request', { param, message: 'Data URLs must look like data:<mime type>;base64,<data>.' });
  }
  return { mimeType: match[1].toLowerCase(), data: match[3] };
}

function toModelParts(message: AssistantMessage, i: number, toolNames: Map<string, string>, options: GeminiContentsOptions): GeminiPart[] {
  const parts: GeminiPart[] = [];
  const content = message.content;
  if (typeof content === 'string' && content !== '') parts.push({ text: content });
  if (Array.isArray(content)) {
    for (const [j, part] of content.entries()) {
      const text = part.type === 'text' ? part.text : part.type === 'refusal' ? part.refusal : undefined;
      if (typeof text !== 'string') throw new GatewayError('invalid_request', { param: `messages[${i}].content[${j}]`, message: `Assistant content parts must be text, got "${part.type}".` });
      parts.push({ text });
    }
  }
  for (const [j, call] of (message.tool_calls ?? []).entries()) {
    toolNames.set(call.id, call.function.name);
    const part: GeminiPart = { functionCall: { name: call.function.name, args: parseArguments(call, `messages[${i}].tool_calls[${j}].function.arguments`) } };
    const signature = findThoughtSignature(message, call) ?? (j === 0 && options.requireThoughtSignatures ? GEMINI_SKIP_SIGNATURE : undefined);
    if (signature !== undefined) part.thoughtSignature = signature;
    parts.push(part);
  }
  return parts;
}

function parseArguments(call: ChatToolCall, param: string): Record<string, unknown> {
  if (call.function.arguments.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.function.arguments);
  } catch (err) {
    throw new GatewayError('invalid_request', { param, message: 'Tool call arguments are not valid JSON.', cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError('invalid_request', { param, message: 'Tool call arguments must be a JSON object for Gemini.' });
  }
  return parsed as Record<string, unknown>;
}

/** The signature from our own id, OpenRouter-style `reasoning_details`, or Google's compat `extra_content`. */
function findThoughtSignature(message: AssistantMessage, call: ChatToolCall): string | undefined {
  const fromId = decodeGeminiToolCallSignature(call.id);
  if (fromId !== undefined) return fromId;
  const details = message.reasoning_details;
  if (Array.isArray(details)) {
    for (const detail of details) {
      if (!isRecord(detail)) continue;
      const isGemini = detail.format === undefined || detail.format === 'google-gemini-v1';
      if (detail.type === 'reasoning.encrypted' && detail.id === call.id && isGemini && typeof detail.data === 'string') return detail.data;
    }
  }
  const google = isRecord(call.extra_content) ? call.extra_content.google : undefined;
  const fromExtra = isRecord(google) ? google.thought_signature : undefined;
  return typeof fromExtra === 'string' ? fromExtra : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function toFunctionResponsePart(message: Extract<ChatMessage, { role: 'tool' }>, i: number, toolNames: Map<string, string>): GeminiPart {
  const name = toolNames.get(message.tool_call_id);
  if (name === undefined) {
    throw new GatewayError('invalid_request', {
      param: `messages[${i}].tool_call_id`,
      message: `No earlier assistant tool call has the id "${message.tool_call_id}".`,
    });
  }
  return { functionResponse: { name, response: toResponseObject(toPlainText(message.content, `messages[${i}].content`)) } };
}

/** Gemini's `response` is a Struct: a JSON object stays as is, anything else is wrapped as `{result: …}`. */
function toResponseObject(text: string): Record<string, unknown> {
  let parsed: unknown = text;
  if (/^\s*[[{"\d-]|^\s*(true|false|null)\s*$/.test(text)) {
    try {
      parsed = JSON.parse(text);
    } catch {
      // Text that merely starts like JSON is passed on as text.
      parsed = text;
    }
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  return { result: parsed };
}
