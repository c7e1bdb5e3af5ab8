/**
 * `streamGenerateContent?alt=sse` events → OpenAI chat chunks. Gemini has no end marker (the connection just
 * closes) and puts finishReason on the last candidate chunk, so finish chunks are held until end(): by then
 * every part is known (a STOP after a function call must read `tool_calls`) and no content chunk can follow a
 * finish chunk. A stream that closes without any finishReason or block reason is reported as truncated.
 */
import { GatewayError } from '../../shared/errors.js';
import type { OpenAIChatChunk, OpenAIFinishReason } from '../openai/chat-types.js';
import type { SseEvent } from '../sse-decoder.js';
import type { NormalizedUsage, ResponseContext, StreamEnd, StreamStep, StreamTranslator, UpstreamTarget } from '../types.js';
import { toGeminiGatewayError } from './error.js';
import { geminiErrorDataSchema, geminiResponseSchema, type GeminiCandidate, type GeminiResponsePart } from './gemini-api.js';
import { mapGeminiBlockReason, mapGeminiFinishReason, type GeminiFinish } from './finish-reason.js';
import { encodeGeminiToolCallId } from './tool-call-id.js';
import { fromGeminiUsage } from './usage.js';

type Delta = OpenAIChatChunk['choices'][number]['delta'];

interface ChoiceState {
  roleSent: boolean;
  toolCalls: number;
  rawFinish: string | undefined;
}

export function createGeminiStreamTranslator(target: UpstreamTarget, ctx: ResponseContext): StreamTranslator {
  return new GeminiStreamTranslator(target, ctx);
}

class GeminiStreamTranslator implements StreamTranslator {
  usage: NormalizedUsage | undefined;
  private readonly choices = new Map<number, ChoiceState>();
  private blockReason: string | undefined;
  private nextToolCallId = 0;

  constructor(
    private readonly target: UpstreamTarget,
    private readonly ctx: ResponseContext,
  ) {}

  get finishReason(): OpenAIFinishReason | null {
    return this.finishFor(0)?.finishReason ?? null;
  }

  push(event: SseEvent): StreamStep {
    const data = event.data.trim();
    if (data === '') return { chunks: [] };
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch (err) {
      return { chunks: [], error: new GatewayError('upstream_bad_response', { message: 'Gemini sent a stream event that is not JSON.', cause: err }) };
    }
    const error = geminiErrorDataSchema.safeParse(json);
    if (error.success) {
      const status = error.data.error.code ?? 500;
      return { chunks: [], error: toGeminiGatewayError(error.data.error, status, undefined, this.target) };
    }
    const parsed = geminiResponseSchema.safeParse(json);
    if (!parsed.success) {
      return { chunks: [], error: new GatewayError('upstream_bad_response', { message: 'Gemini sent a stream event of an unknown shape.', cause: parsed.error }) };
    }
    const response = parsed.data;
    if (response.usageMetadata != null) this.usage = fromGeminiUsage(response.usageMetadata);
    const candidates = response.candidates ?? [];
    if (candidates.length === 0 && response.promptFeedback?.blockReason != null) this.blockReason = response.promptFeedback.blockReason;
    const chunks: OpenAIChatChunk[] = [];
    for (const [position, candidate] of candidates.entries()) chunks.push(...this.readCandidate(candidate, candidate.index ?? position));
    return { chunks };
  }

  end(): StreamEnd {
    const chunks: OpenAIChatChunk[] = [];
    if (this.choices.size === 0 && this.blockReason !== undefined) {
      const finish = mapGeminiBlockReason(this.blockReason);
      for (let index = 0; index < (this.ctx.request.n ?? 1); index++) chunks.push(this.chunk(index, { role: 'assistant', content: null }, finish));
      return { chunks, truncated: false };
    }
    const indexes = [...this.choices.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      const finish = this.finishFor(index);
      if (finish === undefined) continue;
      const state = this.stateFor(index);
      chunks.push(this.chunk(index, state.roleSent ? {} : { role: 'assistant' }, finish));
    }
    return { chunks, truncated: chunks.length === 0 };
  }

  private readCandidate(candidate: GeminiCandidate, index: number): OpenAIChatChunk[] {
    const state = this.stateFor(index);
    const chunks: OpenAIChatChunk[] = [];
    for (const part of candidate.content?.parts ?? []) {
      for (const delta of this.toDeltas(part, state)) {
        chunks.push(this.chunk(index, state.roleSent ? delta : { role: 'assistant', ...delta }));
        state.roleSent = true;
      }
    }
    if (candidate.finishReason != null) state.rawFinish = candidate.finishReason;
    return chunks;
  }

  /** One part → its deltas; a complete functionCall is a header delta and a full-arguments delta. */
  private toDeltas(part: GeminiResponsePart, state: ChoiceState): Delta[] {
    if (part.functionCall !== undefined) {
      const index = state.toolCalls++;
      const id = encodeGeminiToolCallId(`${this.ctx.id}_${this.nextToolCallId++}`, part.thoughtSignature);
      return [
        { tool_calls: [{ index, id, type: 'function', function: { name: part.functionCall.name, arguments: '' } }] },
        { tool_calls: [{ index, function: { arguments: JSON.stringify(part.functionCall.args ?? {}) } }] },
      ];
    }
    // Empty text parts only carry a thought signature, which text turns do not need back.
    if (part.text === undefined || part.text === '') return [];
    return [part.thought === true ? { reasoning_content: part.text } : { content: part.text }];
  }

  private finishFor(index: number): GeminiFinish | undefined {
    if (this.choices.size === 0 && this.blockReason !== undefined) return mapGeminiBlockReason(this.blockReason);
    const state = this.choices.get(index);
    if (state?.rawFinish === undefined) return undefined;
    return mapGeminiFinishReason(state.rawFinish, state.toolCalls > 0);
  }

  private stateFor(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (state === undefined) {
      state = { roleSent: false, toolCalls: 0, rawFinish: undefined };
      this.choices.set(index, state);
    }
    return state;
  }

  private chunk(index: number, delta: Delta, finish?: GeminiFinish): OpenAIChatChunk {
    const choice: OpenAIChatChunk['choices'][number] = { index, delta, finish_reason: finish?.finishReason ?? null };
    if (finish?.nativeFinishReason !== undefined) choice.native_finish_reason = finish.nativeFinishReason;
    return { id: this.ctx.id, object: 'chat.completion.chunk', created: this.ctx.created, model: this.ctx.model, choices: [choice] };
  }
}
