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
 * BPE merging is quadratic in the length of one pre-token, and the tokenizer runs on the event loop before any
 * balance check: 65,536 × `a` took seconds. So a run of this many or more characters without a break between
 * whitespace and non-whitespace (the longest a pre-token can be) is never given to the tokenizer: its UTF-8
 * byte length is used instead, an upper bound (every token covers at least one byte).
 */
export const EXACT_RUN_MAX_CHARS = 256;

/**
 * Characters one counting step gives the tokenizer at most. Even short pre-tokens cost up to ~4 µs per
 * character of adversarial text, so the rest of a longer text is counted by its UTF-8 byte length.
 */
export const EXACT_COUNT_MAX_CHARS = 64 * 1024;

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
/** Maximal runs of whitespace or of non-whitespace; a pre-token never spans two of them except for one leading space. */
const RUN = /\s+|\S+/g;

/**
 * An allowance of exactly counted characters shared by the texts of one counting step, so a request split
 * into many parts costs no more than one long text.
 */
export class TokenCounter {
  private exactCharsLeft: number;

  constructor(exactChars: number = EXACT_COUNT_MAX_CHARS) {
    this.exactCharsLeft = exactChars;
  }

  /** Tokens in `text`, or an upper bound; special-token markers count as plain text, never as control tokens. */
  count(text: string): number {
    if (text.length === 0) return 0;
    if (text.length <= this.exactCharsLeft && !hasLongRun(text)) {
      this.exactCharsLeft -= text.length;
      return countO200kTokens(text, PLAIN_TEXT);
    }
    return this.countRunByRun(text);
  }

  /** Short runs are gathered into segments counted exactly; long runs and everything past the allowance count by bytes. */
  private countRunByRun(text: string): number {
    let total = 0;
    let segmentStart = 0;
    const flush = (end: number): void => {
      if (end <= segmentStart) return;
      const length = end - segmentStart;
      const segment = text.slice(segmentStart, end);
      total += length <= this.exactCharsLeft ? countO200kTokens(segment, PLAIN_TEXT) : Buffer.byteLength(segment, 'utf8');
      this.exactCharsLeft = Math.max(this.exactCharsLeft - length, 0);
    };
    RUN.lastIndex = 0;
    for (let match = RUN.exec(text); match !== null; match = RUN.exec(text)) {
      const runEnd = match.index + match[0].length;
      if (match[0].length >= EXACT_RUN_MAX_CHARS) {
        flush(match.index);
        total += Buffer.byteLength(match[0], 'utf8');
        segmentStart = runEnd;
      } else if (runEnd - segmentStart > this.exactCharsLeft) {
        // The allowance is spent: what is gathered so far is counted, the rest of the text by its bytes.
        flush(match.index);
        return total + Buffer.byteLength(text.slice(match.index), 'utf8');
      }
    }
    flush(text.length);
    return total;
  }
}

function hasLongRun(text: string): boolean {
  if (text.length < EXACT_RUN_MAX_CHARS) return false;
  RUN.lastIndex = 0;
  for (let match = RUN.exec(text); match !== null; match = RUN.exec(text)) {
    if (match[0].length >= EXACT_RUN_MAX_CHARS) return true;
  }
  return false;
}

/** Tokens in `text` (or an upper bound, see TokenCounter), as one counting step of its own. */
export function countTokens(text: string): number {
  return new TokenCounter().count(text);
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
  const counter = new TokenCounter();
  return texts.reduce((total, text) => total + counter.count(text), 0) + overhead + images * IMAGE_TOKEN_ALLOWANCE;
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
