/**
 * The Anthropic Messages dialect: how the pipeline's OpenAI answer is written back to a `/messages` client,
 * whole (a message object) or streamed (named SSE events).
 */
import type { ChatDialect } from '../../gateway/chat-dialect.js';
import { toAnthropicMessage } from './from-chat-completion.js';
import { createAnthropicStreamEncoder } from './stream-encoder.js';

export const anthropicMessagesDialect: ChatDialect = {
  endpoint: 'messages',
  completion: toAnthropicMessage,
  streamEncoder: createAnthropicStreamEncoder,
};
