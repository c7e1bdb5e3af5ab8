/**
 * Anthropic message → OpenAI chat completion. Text blocks are joined in order, tool_use blocks become tool_calls
 * (the synthetic JSON-mode tool becomes content instead), thinking becomes `reasoning_content`, and the signed
 * blocks travel in `reasoning_details` so the client can send them back.
 */
import { GatewayError } from '../../shared/errors.js';
import type { OpenAIChatCompletion, OpenAIResponseMessage } from '../openai/chat-types.js';
import type { ChatTranslation, NormalizedUsage, ResponseContext, UpstreamTarget } from '../types.js';
import { toOpenAIUsage } from '../usage.js';
import { fromAnthropicThinkingBlocks, type ThinkingBlockInput } from '../openai/reasoning-details.js';
import { anthropicMessageResponseSchema, type AnthropicResponseBlock } from './anthropic-api.js';
import { isAnthropicJsonToolUse, resolveAnthropicJsonMode, type AnthropicJsonMode } from './json-mode.js';
import { mapAnthropicStopReason } from './stop-reason.js';
import { fromAnthropicUsage } from './usage.js';

type ToolCall = NonNullable<OpenAIResponseMessage['tool_calls']>[number];

export function fromAnthropicResponse(body: unknown, target: UpstreamTarget, ctx: ResponseContext): ChatTranslation {
  const parsed = anthropicMessageResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError('upstream_bad_response', { message: 'The upstream provider returned a message the gateway could not read.' });
  }
  const jsonMode = resolveAnthropicJsonMode(ctx.request, target.model);
  const parts = collectBlocks(parsed.data.content, jsonMode);
  const finish = mapAnthropicStopReason(parsed.data.stop_reason, {
    answeredByJsonTool: parts.answeredByJsonTool && parts.toolCalls.length === 0,
  });
  const usage: NormalizedUsage | undefined = parsed.data.usage ? fromAnthropicUsage(parsed.data.usage) : undefined;

  const message: OpenAIResponseMessage = {
    role: 'assistant',
    content: parts.text === '' && parts.toolCalls.length > 0 ? null : parts.text,
  };
  if (parts.thinking.length > 0) {
    message.reasoning_content = parts.thinking.flatMap((block) => (block.type === 'thinking' ? [block.thinking] : [])).join('');
    message.reasoning_details = fromAnthropicThinkingBlocks(parts.thinking);
  }
  if (parts.toolCalls.length > 0) message.tool_calls = parts.toolCalls;

  const completion: OpenAIChatCompletion = {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: finish.finishReason,
        ...(finish.nativeFinishReason !== undefined ? { native_finish_reason: finish.nativeFinishReason } : {}),
        logprobs: null,
      },
    ],
  };
  if (usage !== undefined) completion.usage = toOpenAIUsage(usage);
  return { completion, usage };
}

interface CollectedBlocks {
  text: string;
  toolCalls: ToolCall[];
  thinking: ThinkingBlockInput[];
  answeredByJsonTool: boolean;
}

function collectBlocks(blocks: readonly AnthropicResponseBlock[], jsonMode: AnthropicJsonMode): CollectedBlocks {
  const out: CollectedBlocks = { text: '', toolCalls: [], thinking: [], answeredByJsonTool: false };
  for (const block of blocks) {
    if (block.type === 'text' && typeof block.text === 'string') out.text += block.text;
    else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      out.thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature as string | null | undefined });
    } else if (block.type === 'redacted_thinking' && typeof block.data === 'string') {
      out.thinking.push({ type: 'redacted_thinking', data: block.data });
    } else if (block.type === 'tool_use' && typeof block.id === 'string' && typeof block.name === 'string') {
      const args = JSON.stringify(block.input ?? {});
      if (isAnthropicJsonToolUse(jsonMode, block.name)) {
        out.text += args;
        out.answeredByJsonTool = true;
      } else {
        out.toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: args } });
      }
    }
    // Server-tool blocks (web search results, …) have no OpenAI counterpart and are not requested by this adapter.
  }
  return out;
}
