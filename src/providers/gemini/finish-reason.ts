/**
 * Gemini `finishReason` / `promptFeedback.blockReason` → OpenAI `finish_reason`. The raw value is kept as
 * `native_finish_reason` whenever the OpenAI value is not simply its lower-case spelling, so a client can tell
 * a MALFORMED_FUNCTION_CALL from a normal stop. Enum: js-genai `FinishReason`, `BlockedReason`.
 */
import type { OpenAIFinishReason } from '../openai/chat-types.js';

export interface GeminiFinish {
  finishReason: OpenAIFinishReason;
  nativeFinishReason?: string;
}

const knownReasons = [
  'FINISH_REASON_UNSPECIFIED',
  'STOP',
  'MAX_TOKENS',
  'SAFETY',
  'RECITATION',
  'LANGUAGE',
  'OTHER',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'MALFORMED_FUNCTION_CALL',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'IMAGE_OTHER',
  'NO_IMAGE',
  'UNEXPECTED_TOOL_CALL',
  'TOO_MANY_TOOL_CALLS',
] as const;

type KnownReason = (typeof knownReasons)[number];

function isKnownReason(value: string): value is KnownReason {
  return (knownReasons as readonly string[]).includes(value);
}

function mapKnownReason(reason: KnownReason, hasToolCalls: boolean): OpenAIFinishReason {
  switch (reason) {
    case 'STOP':
      // Gemini ends a function-calling turn with STOP; OpenAI clients loop on `tool_calls`.
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
    case 'IMAGE_OTHER':
      return 'content_filter';
    // Errors on the model side; the native value tells the client what went wrong.
    case 'MALFORMED_FUNCTION_CALL':
    case 'UNEXPECTED_TOOL_CALL':
    case 'TOO_MANY_TOOL_CALLS':
    case 'OTHER':
    case 'LANGUAGE':
    case 'NO_IMAGE':
    case 'FINISH_REASON_UNSPECIFIED':
      return 'stop';
    default:
      return reason satisfies never;
  }
}

/** Maps a candidate's finishReason; values newer than this table map to `stop` with the raw value kept. */
export function mapGeminiFinishReason(reason: string, hasToolCalls: boolean): GeminiFinish {
  const finishReason = isKnownReason(reason) ? mapKnownReason(reason, hasToolCalls) : 'stop';
  return withNative(finishReason, reason);
}

/** A prompt blocked before generation (`promptFeedback.blockReason`, no candidates). */
export function mapGeminiBlockReason(blockReason: string): GeminiFinish {
  return withNative('content_filter', blockReason);
}

function withNative(finishReason: OpenAIFinishReason, raw: string): GeminiFinish {
  return raw.toLowerCase() === finishReason ? { finishReason } : { finishReason, nativeFinishReason: raw };
}
