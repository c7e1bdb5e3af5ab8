/**
 * Upstream finish reasons → OpenAI's, keeping the raw value whenever it differs (shared/docs/providers.md §8.3).
 */
import type { OpenAIFinishReason } from '../openai/chat-types.js';
import type { OpenAICompatibleQuirks } from './quirks.js';

export interface OpenAICompatibleFinish {
  finishReason: OpenAIFinishReason | null;
  /** Set only when the upstream's value is not the OpenAI one. */
  nativeFinishReason?: string;
}

const openAIReasons: Readonly<Record<string, OpenAIFinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  // Responses carry tool_calls, never the legacy function_call message, so the reason follows.
  function_call: 'tool_calls',
};

export function mapOpenAICompatibleFinishReason(raw: unknown, quirks: OpenAICompatibleQuirks): OpenAICompatibleFinish {
  if (typeof raw !== 'string' || raw === '') return { finishReason: null };
  const mapped = Object.hasOwn(openAIReasons, raw)
    ? openAIReasons[raw]
    : Object.hasOwn(quirks.finishReasons, raw)
      ? quirks.finishReasons[raw]
      : undefined;
  // An unknown reason still ended the choice; `stop` is the neutral reading, and the raw value stays visible.
  const finishReason = mapped ?? 'stop';
  return finishReason === raw ? { finishReason } : { finishReason, nativeFinishReason: raw };
}
