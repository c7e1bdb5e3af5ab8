/**
 * Builds the non-streaming `chat.completion` body of an OpenAI-compatible answer in the provider's dialect:
 * where reasoning goes, what `content` is beside tool calls, which envelope fields the provider adds.
 */
import type { MockChatAnswer } from './mock-chat-answer.js';
import { openAICompatibleProfiles, type OpenAICompatibleMockProviderId } from './openai-compatible-profiles.js';
import type { OpenAICompatibleMockRequest } from './openai-compatible-request.js';
import { formatMiniMaxThinkContent, toMiniMaxReasoningDetail, type OpenAICompatibleMockMeta } from './openai-compatible-stream.js';

export function buildOpenAICompatibleCompletion(
  provider: OpenAICompatibleMockProviderId,
  request: OpenAICompatibleMockRequest,
  answer: MockChatAnswer,
  meta: OpenAICompatibleMockMeta,
): Record<string, unknown> {
  const profile = openAICompatibleProfiles[provider];
  const choice: Record<string, unknown> = {
    index: 0,
    message: buildMockMessage(provider, request, answer),
    ...(profile.chunk.logprobs ? { logprobs: null } : {}),
    finish_reason: answer.finishReason,
  };
  const body: Record<string, unknown> = {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: request.model,
    choices: [choice],
    usage: profile.toUsage(answer.usage),
  };
  if (profile.openaiExtras) Object.assign(body, { service_tier: 'default', system_fingerprint: meta.systemFingerprint });
  if (provider === 'minimax') Object.assign(body, { input_sensitive: false, output_sensitive: false, base_resp: { status_code: 0, status_msg: '' } });
  return body;
}

function buildMockMessage(provider: OpenAICompatibleMockProviderId, request: OpenAICompatibleMockRequest, answer: MockChatAnswer) {
  const profile = openAICompatibleProfiles[provider];
  const { reasoning, toolCalls } = answer;
  // Zhipu answers tool calls with an empty string; the others with null.
  let content: string | null = answer.content ?? (provider === 'zhipu' ? '' : null);
  const message: Record<string, unknown> = { role: 'assistant' };
  if (reasoning !== undefined && profile.reasoning === 'think-tags') {
    if (request.reasoningSplit) message.reasoning_details = [toMiniMaxReasoningDetail(reasoning)];
    else content = formatMiniMaxThinkContent(reasoning, answer.content);
  }
  message.content = content;
  if (reasoning !== undefined && profile.reasoning === 'reasoning_content') message.reasoning_content = reasoning;
  if (profile.openaiExtras) Object.assign(message, { refusal: null, annotations: [] });
  if (toolCalls.length > 0) {
    message.tool_calls = toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  }
  return message;
}
