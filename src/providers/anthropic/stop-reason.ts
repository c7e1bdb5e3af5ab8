/**
 * Anthropic `stop_reason` → OpenAI `finish_reason`
 * (https://docs.claude.com/en/api/handling-stop-reasons, shared/docs/providers.md §2.4).
 */
import type { OpenAIFinishReason } from '../openai/chat-types.js';

export interface AnthropicFinish {
  finishReason: OpenAIFinishReason;
  /** The raw upstream value, set whenever it differs from finishReason so it is never lost. */
  nativeFinishReason: string | undefined;
}

export interface AnthropicStopReasonOptions {
  /** The only tool called was the synthetic JSON-mode tool: to the client that is a plain answer. */
  answeredByJsonTool?: boolean;
}

export function mapAnthropicStopReason(raw: string | null | undefined, options: AnthropicStopReasonOptions = {}): AnthropicFinish {
  const finishReason = toFinishReason(raw, options);
  const nativeFinishReason = raw != null && raw !== finishReason ? raw : undefined;
  return { finishReason, nativeFinishReason };
}

function toFinishReason(raw: string | null | undefined, options: AnthropicStopReasonOptions): OpenAIFinishReason {
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
    // A paused server-tool turn is a complete answer for now; the client may send it back to continue.
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return options.answeredByJsonTool ? 'stop' : 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // Unknown or future reasons: the answer is complete as far as the client can tell; the raw value is kept.
      return 'stop';
  }
}
