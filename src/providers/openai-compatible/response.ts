/**
 * Upstream chat.completion body → the completion the client sees: our id, creation time and public model id;
 * reasoning always as `reasoning_content`; OpenAI finish reasons with the raw one kept; normalized usage.
 */
import { GatewayError } from '../../shared/errors.js';
import type { OpenAIChatCompletion, OpenAIResponseMessage } from '../openai/chat-types.js';
import type { ChatTranslation, ResponseContext, UpstreamTarget } from '../types.js';
import { toOpenAIUsage } from '../usage.js';
import { findOpenAICompatiblePayloadError } from './error.js';
import { mapOpenAICompatibleFinishReason } from './finish-reason.js';
import { isJsonRecord, type JsonRecord } from './json-record.js';
import { getOpenAICompatibleQuirks, type OpenAICompatibleQuirks } from './quirks.js';
import { readOpenAICompatibleReasoning } from './reasoning.js';
import { splitThinkTags } from './think-tag-splitter.js';
import { toOpenAICompatibleArgumentsText } from './tool-call-arguments.js';
import { toOpenAICompatibleNormalizedUsage } from './usage.js';

type CompletionChoice = OpenAIChatCompletion['choices'][number];
type ResponseToolCall = NonNullable<OpenAIResponseMessage['tool_calls']>[number];

export function fromOpenAICompatibleResponse(body: unknown, target: UpstreamTarget, ctx: ResponseContext): ChatTranslation {
  const quirks = getOpenAICompatibleQuirks(target.provider);
  const payloadError = findOpenAICompatiblePayloadError(body, target, quirks);
  if (payloadError !== undefined) throw payloadError;
  if (!isJsonRecord(body) || !Array.isArray(body.choices)) {
    throw new GatewayError('upstream_bad_response', { cause: { provider: target.provider, reason: 'no choices array' } });
  }
  const rawChoices: unknown[] = body.choices;
  const choices = rawChoices.map((raw, position) => toCompletionChoice(raw, position, ctx.id, quirks));
  const firstChoice = rawChoices[0];
  const rawUsage = body.usage ?? (quirks.usage.inChoice && isJsonRecord(firstChoice) ? firstChoice.usage : undefined);
  const usage = toOpenAICompatibleNormalizedUsage(rawUsage, quirks);
  const completion: OpenAIChatCompletion = {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices,
  };
  if (usage !== undefined) completion.usage = toOpenAIUsage(usage);
  if (typeof body.system_fingerprint === 'string') completion.system_fingerprint = body.system_fingerprint;
  return { completion, usage };
}

function toCompletionChoice(raw: unknown, position: number, responseId: string, quirks: OpenAICompatibleQuirks): CompletionChoice {
  if (!isJsonRecord(raw)) throw new GatewayError('upstream_bad_response', { cause: { reason: 'choice is not an object' } });
  const message = isJsonRecord(raw.message) ? raw.message : {};
  const index = typeof raw.index === 'number' ? raw.index : position;
  const finish = mapOpenAICompatibleFinishReason(raw.finish_reason, quirks);
  const choice: CompletionChoice = {
    index,
    message: toResponseMessage(message, `${responseId}_${index}`, quirks),
    finish_reason: finish.finishReason,
    logprobs: raw.logprobs ?? null,
  };
  if (finish.nativeFinishReason !== undefined) choice.native_finish_reason = finish.nativeFinishReason;
  return choice;
}

function toResponseMessage(message: JsonRecord, idPrefix: string, quirks: OpenAICompatibleQuirks): OpenAIResponseMessage {
  let content = readContentText(message.content);
  const reasoningParts = [readOpenAICompatibleReasoning(message, quirks)];
  if (quirks.thinkTagsInContent && content !== null) {
    const split = splitThinkTags(content);
    content = split.content;
    reasoningParts.push(split.reasoning);
  }
  const out: OpenAIResponseMessage = { role: 'assistant', content };
  const reasoning = reasoningParts.filter((part) => part !== undefined && part !== '').join('');
  if (reasoning !== '') out.reasoning_content = reasoning;
  if (typeof message.refusal === 'string') out.refusal = message.refusal;
  const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls.map((call: unknown, k: number) => toToolCall(call, `${idPrefix}_${k}`)) : [];
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  return out;
}

/** Content is a string in this family, but a parts array is joined rather than lost. */
function readContentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  return content.map((part: unknown) => (isJsonRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

function toToolCall(raw: unknown, fallbackId: string): ResponseToolCall {
  const call = isJsonRecord(raw) ? raw : {};
  const fn = isJsonRecord(call.function) ? call.function : {};
  return {
    id: typeof call.id === 'string' && call.id !== '' ? call.id : `call_${fallbackId}`,
    type: 'function',
    function: {
      name: typeof fn.name === 'string' ? fn.name : '',
      arguments: toOpenAICompatibleArgumentsText(fn.arguments),
    },
  };
}
