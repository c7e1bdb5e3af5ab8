/**
 * A non-stream `GenerateContentResponse` → OpenAI chat completion. Thought parts become `reasoning_content`,
 * function calls become tool calls whose ids carry the part's thought signature (see tool-call-id.ts), and a
 * prompt blocked before generation becomes a content-filtered completion with null content.
 */
import { GatewayError } from '../../shared/errors.js';
import type { OpenAIChatCompletion, OpenAIResponseMessage } from '../openai/chat-types.js';
import type { ChatTranslation, ResponseContext } from '../types.js';
import { toOpenAIUsage } from '../usage.js';
import { geminiResponseSchema, type GeminiCandidate } from './gemini-api.js';
import { mapGeminiBlockReason, mapGeminiFinishReason, type GeminiFinish } from './finish-reason.js';
import { encodeGeminiToolCallId } from './tool-call-id.js';
import { fromGeminiUsage } from './usage.js';

type Choice = OpenAIChatCompletion['choices'][number];

export function fromGeminiResponse(body: unknown, ctx: ResponseContext): ChatTranslation {
  const parsed = geminiResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError('upstream_bad_response', { message: 'Gemini returned a body that is not a GenerateContentResponse.', cause: parsed.error });
  }
  const response = parsed.data;
  const usage = response.usageMetadata != null ? fromGeminiUsage(response.usageMetadata) : undefined;
  const candidates = [...(response.candidates ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const blockReason = response.promptFeedback?.blockReason;
  let choices: Choice[];
  if (candidates.length > 0) {
    const ids = { next: 0 };
    choices = candidates.map((candidate, position) => toChoice(candidate, candidate.index ?? position, ctx, ids));
  } else if (blockReason != null) {
    choices = blockedChoices(ctx.request.n ?? 1, mapGeminiBlockReason(blockReason));
  } else {
    throw new GatewayError('upstream_bad_response', { message: 'Gemini returned neither candidates nor a block reason.' });
  }
  const completion: OpenAIChatCompletion = { id: ctx.id, object: 'chat.completion', created: ctx.created, model: ctx.model, choices };
  if (usage !== undefined) completion.usage = toOpenAIUsage(usage);
  return { completion, usage };
}

function toChoice(candidate: GeminiCandidate, index: number, ctx: ResponseContext, ids: { next: number }): Choice {
  const text: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: NonNullable<OpenAIResponseMessage['tool_calls']> = [];
  for (const part of candidate.content?.parts ?? []) {
    if (part.functionCall !== undefined) {
      const id = encodeGeminiToolCallId(`${ctx.id}_${ids.next++}`, part.thoughtSignature);
      toolCalls.push({ id, type: 'function', function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) } });
    } else if (part.text !== undefined && part.text !== '') {
      // Empty text parts exist only to carry a thought signature.
      (part.thought === true ? reasoning : text).push(part.text);
    }
  }
  const message: OpenAIResponseMessage = { role: 'assistant', content: text.length > 0 ? text.join('') : null };
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('');
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const finish = candidate.finishReason != null ? mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0) : undefined;
  return withFinish({ index, message, finish_reason: null, logprobs: null }, finish);
}

function blockedChoices(n: number, finish: GeminiFinish): Choice[] {
  return Array.from({ length: n }, (_, index) => withFinish({ index, message: { role: 'assistant', content: null }, finish_reason: null, logprobs: null }, finish));
}

function withFinish(choice: Choice, finish: GeminiFinish | undefined): Choice {
  if (finish === undefined) return choice;
  const out: Choice = { ...choice, finish_reason: finish.finishReason };
  if (finish.nativeFinishReason !== undefined) out.native_finish_reason = finish.nativeFinishReason;
  return out;
}
