/**
 * The family's stream translator: a pure state machine fed decoded SSE events. It re-emits OpenAI chunks under
 * our id/created/model, routes every spelling of reasoning to `reasoning_content`, rebuilds tool-call deltas,
 * records the latest usage wherever the provider puts it and never emits the usage-only chunk itself.
 */
import { GatewayError } from '../../shared/errors.js';
import type { OpenAIChatChunk, OpenAIFinishReason } from '../openai/chat-types.js';
import type { SseEvent } from '../sse-decoder.js';
import type { NormalizedUsage, ResponseContext, StreamEnd, StreamStep, StreamTranslator, UpstreamTarget } from '../types.js';
import {
  findOpenAICompatiblePayloadError,
  parseJsonLenient,
  readOpenAICompatibleErrorFields,
  toOpenAICompatibleGatewayError,
} from './error.js';
import { mapOpenAICompatibleFinishReason, type OpenAICompatibleFinish } from './finish-reason.js';
import { isJsonRecord, type JsonRecord } from './json-record.js';
import { getOpenAICompatibleQuirks, type OpenAICompatibleQuirks } from './quirks.js';
import { readOpenAICompatibleReasoning } from './reasoning.js';
import { ThinkTagSplitter } from './think-tag-splitter.js';
import { OpenAICompatibleToolCallDeltas } from './tool-call-deltas.js';
import { toOpenAICompatibleNormalizedUsage } from './usage.js';

type ChunkChoice = OpenAIChatChunk['choices'][number];
type ChunkDelta = ChunkChoice['delta'];

interface ChoiceState {
  roleSent: boolean;
  finished: boolean;
  splitter: ThinkTagSplitter | undefined;
  toolCalls: OpenAICompatibleToolCallDeltas;
}

export function createOpenAICompatibleStreamTranslator(target: UpstreamTarget, ctx: ResponseContext): StreamTranslator {
  return new OpenAICompatibleStreamTranslator(target, ctx);
}

class OpenAICompatibleStreamTranslator implements StreamTranslator {
  private readonly quirks: OpenAICompatibleQuirks;
  private readonly choices = new Map<number, ChoiceState>();
  private sawDone = false;
  private sawFinish = false;
  private latestUsage: NormalizedUsage | undefined;
  private firstFinishReason: OpenAIFinishReason | null = null;

  constructor(
    private readonly target: UpstreamTarget,
    private readonly ctx: ResponseContext,
  ) {
    this.quirks = getOpenAICompatibleQuirks(target.provider);
  }

  get usage(): NormalizedUsage | undefined {
    return this.latestUsage;
  }

  get finishReason(): OpenAIFinishReason | null {
    return this.firstFinishReason;
  }

  push(event: SseEvent): StreamStep {
    const data = event.data.trim();
    if (data === '[DONE]') {
      this.sawDone = true;
      return { chunks: this.flushOpenChoices(), done: true };
    }
    const payload = parseJsonLenient(data);
    if (!isJsonRecord(payload)) {
      const cause = { provider: this.target.provider, event: 'non-JSON stream event' };
      return { chunks: [], error: new GatewayError('upstream_bad_response', { cause }) };
    }
    const error = this.findError(event, payload);
    if (error !== undefined) return { chunks: [], error };
    const rawChoices: unknown[] = Array.isArray(payload.choices) ? payload.choices : [];
    this.recordUsage(payload.usage);
    const choices: ChunkChoice[] = [];
    rawChoices.forEach((raw, position) => {
      const choice = isJsonRecord(raw) ? this.translateChoice(raw, position) : undefined;
      if (choice !== undefined) choices.push(choice);
    });
    return { chunks: choices.length > 0 ? [this.toChunk(choices)] : [] };
  }

  end(): StreamEnd {
    const chunks = this.sawDone ? [] : this.flushOpenChoices();
    return { chunks, truncated: !this.sawDone && !this.sawFinish };
  }

  private findError(event: SseEvent, payload: JsonRecord): GatewayError | undefined {
    const inPayload = findOpenAICompatiblePayloadError(payload, this.target, this.quirks);
    if (inPayload !== undefined || event.event !== 'error') return inPayload;
    // A named `error` event whose body is not wrapped in {"error": …}.
    const fields = readOpenAICompatibleErrorFields(payload);
    return toOpenAICompatibleGatewayError({ status: 0, fields }, this.quirks, this.target);
  }

  private recordUsage(raw: unknown): void {
    if (raw === undefined || raw === null) return;
    // Moonshot repeats usage at the top level and inside the choice; the latest report wins, so nothing doubles.
    const usage = toOpenAICompatibleNormalizedUsage(raw, this.quirks);
    if (usage !== undefined) this.latestUsage = usage;
  }

  private translateChoice(raw: JsonRecord, position: number): ChunkChoice | undefined {
    if (this.quirks.usage.inChoice) this.recordUsage(raw.usage);
    const index = typeof raw.index === 'number' ? raw.index : position;
    const state = this.stateFor(index);
    const upstreamDelta = isJsonRecord(raw.delta) ? raw.delta : {};
    const delta = this.translateDelta(upstreamDelta, state);
    const mapped = mapOpenAICompatibleFinishReason(raw.finish_reason, this.quirks);
    // A choice finishes once; a repeated finish_reason (Moonshot's trailing usage chunk) is not re-emitted.
    const finish: OpenAICompatibleFinish = state.finished ? { finishReason: null } : mapped;
    if (finish.finishReason !== null) {
      mergeDelta(delta, this.closeChoice(state));
      this.sawFinish = true;
      // The gateway logs one finish reason: choice 0's, or the first one seen until choice 0 finishes.
      if (index === 0 || this.firstFinishReason === null) this.firstFinishReason = finish.finishReason;
    }
    const hasLogprobs = raw.logprobs !== undefined && raw.logprobs !== null;
    const announcesRole = !state.roleSent && upstreamDelta.role !== undefined;
    if (Object.keys(delta).length === 0 && finish.finishReason === null && !hasLogprobs && !announcesRole) return undefined;
    const choice: ChunkChoice = { index, delta: this.withRole(delta, state), finish_reason: finish.finishReason };
    if (finish.nativeFinishReason !== undefined) choice.native_finish_reason = finish.nativeFinishReason;
    if (hasLogprobs) choice.logprobs = raw.logprobs;
    return choice;
  }

  private translateDelta(upstream: JsonRecord, state: ChoiceState): ChunkDelta {
    const delta: ChunkDelta = {};
    const reasoning = [readOpenAICompatibleReasoning(upstream, this.quirks) ?? ''];
    if (typeof upstream.content === 'string') {
      if (state.splitter === undefined) {
        delta.content = upstream.content;
      } else {
        const split = state.splitter.push(upstream.content);
        reasoning.push(split.reasoning);
        delta.content = split.content;
      }
    }
    if (delta.content === '') delete delta.content;
    const reasoningText = reasoning.join('');
    if (reasoningText !== '') delta.reasoning_content = reasoningText;
    if (Array.isArray(upstream.tool_calls)) {
      const toolCalls = state.toolCalls.push(upstream.tool_calls);
      if (toolCalls.length > 0) delta.tool_calls = toolCalls;
    }
    if (typeof upstream.refusal === 'string' && upstream.refusal !== '') delta.refusal = upstream.refusal;
    return delta;
  }

  /** Releases what the choice still holds: text waiting on a possible tag, tool calls still without a name. */
  private closeChoice(state: ChoiceState): ChunkDelta {
    state.finished = true;
    const delta: ChunkDelta = {};
    if (state.splitter !== undefined) {
      const rest = state.splitter.flush();
      if (rest.content !== '') delta.content = rest.content;
      if (rest.reasoning !== '') delta.reasoning_content = rest.reasoning;
    }
    const toolCalls = state.toolCalls.flush();
    if (toolCalls.length > 0) delta.tool_calls = toolCalls;
    return delta;
  }

  private flushOpenChoices(): OpenAIChatChunk[] {
    const choices: ChunkChoice[] = [];
    for (const [index, state] of this.choices) {
      if (state.finished) continue;
      const delta = this.closeChoice(state);
      if (Object.keys(delta).length > 0) choices.push({ index, delta: this.withRole(delta, state), finish_reason: null });
    }
    return choices.length > 0 ? [this.toChunk(choices)] : [];
  }

  /** The first chunk of every choice announces the assistant role, as OpenAI's do; later ones never repeat it. */
  private withRole(delta: ChunkDelta, state: ChoiceState): ChunkDelta {
    if (state.roleSent) return delta;
    state.roleSent = true;
    return { role: 'assistant', ...delta };
  }

  private stateFor(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (state === undefined) {
      state = {
        roleSent: false,
        finished: false,
        splitter: this.quirks.thinkTagsInContent ? new ThinkTagSplitter() : undefined,
        toolCalls: new OpenAICompatibleToolCallDeltas(`${this.ctx.id}_${index}`),
      };
      this.choices.set(index, state);
    }
    return state;
  }

  private toChunk(choices: ChunkChoice[]): OpenAIChatChunk {
    return { id: this.ctx.id, object: 'chat.completion.chunk', created: this.ctx.created, model: this.ctx.model, choices };
  }
}

function mergeDelta(into: ChunkDelta, extra: ChunkDelta): void {
  if (extra.content !== undefined) into.content = (into.content ?? '') + extra.content;
  if (extra.reasoning_content !== undefined) into.reasoning_content = (into.reasoning_content ?? '') + extra.reasoning_content;
  if (extra.tool_calls !== undefined) into.tool_calls = [...(into.tool_calls ?? []), ...extra.tool_calls];
}
