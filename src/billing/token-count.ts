/**
 * Token counting for holds and for usage the upstream never reported. One tokenizer (o200k_base, bundled by
 * gpt-tokenizer, no network) stands in for every provider: it is exact for current OpenAI models and an
 * estimate elsewhere, which is why charges built on it are flagged `estimated`.
 */
import { countTokens as countO200kTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { ChatContentPart, ChatMessage, ChatRequest } from '../providers/openai/chat-types.js';

/**
 * Tokens allowed per input image in a hold. Providers bill images from 85 (OpenAI low detail) to about 1,600
 * (Anthropic, 1.15 MP) tokens; 2,000 covers the documented maxima without fetching the image to measure it.
 */
export const IMAGE_TOKEN_ALLOWANCE = 2_000;

/** Framing tokens per message (role, separators) and for priming the reply, as in OpenAI's counting guide. */
export const MESSAGE_OVERHEAD_TOKENS = 4;
export const REPLY_PRIMING_TOKENS = 3;

/**
 * Above this many characters the BPE pass is skipped: it costs up to ~1 ms per KiB of adversarial text on the
 * event loop. Instead the UTF-8 byte length is used, an upper bound (every token covers at least one byte).
 */
export const EXACT_COUNT_MAX_CHARS = 256 * 1024;

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens in `text`; special-token markers in user text count as plain text, never as control tokens. */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length > EXACT_COUNT_MAX_CHARS) return Buffer.byteLength(text, 'utf8');
  return countO200kTokens(text, PLAIN_TEXT);
}

/** Prompt tokens of a chat request: message text, tool calls, tool and schema definitions, image allowances. */
export function countChatPromptTokens(request: ChatRequest): number {
  const texts: string[] = [];
  let images = 0;
  let overhead = REPLY_PRIMING_TOKENS;
  for (const message of request.messages) {
    overhead += MESSAGE_OVERHEAD_TOKENS;
    images += collectMessageText(message, texts);
  }
  if (request.tools) texts.push(JSON.stringify(request.tools));
  if (request.response_format) texts.push(JSON.stringify(request.response_format));
  return countTokensOfParts(texts) + overhead + images * IMAGE_TOKEN_ALLOWANCE;
}

/** Counts each part separately so one huge part falls back to its byte bound without affecting the rest. */
function countTokensOfParts(texts: string[]): number {
  let total = 0;
  let batch = '';
  for (const text of texts) {
    if (batch.length + text.length > EXACT_COUNT_MAX_CHARS) {
      total += countTokens(batch);
      batch = '';
    }
    batch = batch.length === 0 ? text : `${batch}\n${text}`;
  }
  return total + countTokens(batch);
}

/** Pushes the message's countable text into `texts` and returns its number of images. */
function collectMessageText(message: ChatMessage, texts: string[]): number {
  if (typeof message.name === 'string') texts.push(message.name);
  if (message.role === 'assistant') {
    if (message.reasoning_content) texts.push(message.reasoning_content);
    if (message.refusal) texts.push(message.refusal);
    for (const call of message.tool_calls ?? []) texts.push(call.function.name, call.function.arguments);
  }
  const content = message.content;
  if (content === null || content === undefined) return 0;
  if (typeof content === 'string') {
    texts.push(content);
    return 0;
  }
  let images = 0;
  for (const part of content) images += collectPartText(part, texts);
  return images;
}

function collectPartText(part: ChatContentPart, texts: string[]): number {
  if (part.type === 'image_url') return 1;
  if (part.type === 'text' && 'text' in part && typeof part.text === 'string') {
    texts.push(part.text);
    return 0;
  }
  // Audio and files are billed by the provider in its own units; their JSON text (base64 included) bounds them from above.
  texts.push(JSON.stringify(part));
  return 0;
}
