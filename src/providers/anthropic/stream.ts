/**
 * Anthropic named SSE events → OpenAI chunks, as a pure state machine (one push per decoded event).
 *
 * Anthropic numbers all content blocks (thinking, text, tool_use) with one `index`; OpenAI numbers tool calls on
 * their own, so each tool_use block gets the next tool-call index when it starts. The synthetic JSON-mode tool
 * streams its input as content instead. Signed thinking blocks go out as `reasoning_details` as each one completes
 * (its content_block_stop, or a redacted block's start), every time as the whole list so far, and once more on the
 * finish chunk: a client that keeps the last list it saw (the `openai` SDK assigns unknown delta fields) and one
 * that merges entries by `index` both end with every block, and the Anthropic front door can send a signature
 * before the text that follows its thinking.
 */
import { GatewayError } from '../../shared/errors.js';
import type { OpenAIChatChunk, OpenAIChunkToolCall, OpenAIFinishReason } from '../openai/chat-types.js';
import { fromAnthropicThinkingBlocks, type SignedThinkingBlock } from '../openai/reasoning-details.js';
import type { SseEvent } from '../sse-decoder.js';
import type { NormalizedUsage, ResponseContext, StreamEnd, StreamStep, StreamTranslator, UpstreamTarget } from '../types.js';
import { anthropicStreamEventSchema, type AnthropicStreamEvent, type AnthropicUsage } from './anthropic-api.js';
import { parseAnthropicStreamError } from './error.js';
import { isAnthropicJsonToolUse, resolveAnthropicJsonMode, type AnthropicJsonMode } from './json-mode.js';
import { mapAnthropicStopReason } from './stop-reason.js';
import { fromAnthropicUsage, mergeAnthropicUsage } from './usage.js';

type Delta = OpenAIChatChunk['choices'][number]['delta'];

type OpenBlock =
  | { kind: 'text' | 'json' | 'other' }
  | { kind: 'tool'; toolIndex: number }
  | { kind: 'thinking'; text: string; signature: string };

const KNOWN_EVENTS = new Set(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop', 'ping', 'error']);

export function createAnthropicStreamTranslator(target: UpstreamTarget, ctx: ResponseContext): StreamTranslator {
  return new AnthropicStreamTranslator(resolveAnthropicJsonMode(ctx.request, target.model), ctx, target);
}

class AnthropicStreamTranslator implements StreamTranslator {
  private readonly blocks = new Map<number, OpenBlock>();
  private readonly thinking: SignedThinkingBlock[] = [];
  private nextToolIndex = 0;
  private rawUsage: AnthropicUsage | undefined;
  private finish: OpenAIFinishReason | null = null;
  private answeredByJsonTool = false;
  private finished = false;
  private failed = false;

  constructor(
    private readonly jsonMode: AnthropicJsonMode,
    private readonly ctx: ResponseContext,
    /** Its credentials and address are redacted from any upstream message passed on. */
    private readonly target: UpstreamTarget,
  ) {}

  get usage(): NormalizedUsage | undefined {
    return this.rawUsage === undefined ? undefined : fromAnthropicUsage(this.rawUsage);
  }

  get finishReason(): OpenAIFinishReason | null {
    return this.finish;
  }

  push(event: SseEvent): StreamStep {
    if (this.finished || this.failed) return { chunks: [] };
    const parsed = this.parse(event);
    if (parsed instanceof GatewayError) {
      this.failed = true;
      return { chunks: [], error: parsed };
    }
    return parsed === undefined ? { chunks: [] } : this.apply(parsed);
  }

  end(): StreamEnd {
    return { chunks: [], truncated: !this.finished && !this.failed };
  }

  private parse(event: SseEvent): AnthropicStreamEvent | GatewayError | undefined {
    let json: unknown;
    try {
      json = JSON.parse(event.data);
    } catch (error) {
      return new GatewayError('upstream_bad_response', { message: 'The upstream stream contained an unreadable event.', cause: error });
    }
    const type = (json as { type?: unknown } | null)?.type ?? event.event;
    // Event types added upstream later are skipped, as Anthropic's versioning policy asks of clients.
    if (typeof type !== 'string' || !KNOWN_EVENTS.has(type)) return undefined;
    const parsed = anthropicStreamEventSchema.safeParse(json);
    if (!parsed.success) return new GatewayError('upstream_bad_response', { message: `The upstream stream contained a malformed ${type} event.` });
    return parsed.data;
  }

  private apply(event: AnthropicStreamEvent): StreamStep {
    switch (event.type) {
      case 'message_start':
        if (event.message.usage) this.rawUsage = mergeAnthropicUsage(this.rawUsage, event.message.usage);
        return this.step({ role: 'assistant', content: '' });
      case 'content_block_start':
        return this.startBlock(event.index, event.content_block);
      case 'content_block_delta':
        return this.applyDelta(event.index, event.delta);
      case 'content_block_stop':
        return this.stopBlock(event.index);
      case 'message_delta':
        return this.applyMessageDelta(event);
      case 'message_stop':
        this.finished = true;
        return { chunks: [], done: true };
      case 'ping':
        return { chunks: [] };
      case 'error':
        this.failed = true;
        return { chunks: [], error: parseAnthropicStreamError(event.error, this.target) };
    }
  }

  private startBlock(index: number, block: Extract<AnthropicStreamEvent, { type: 'content_block_start' }>['content_block']): StreamStep {
    if (block.type === 'text') {
      this.blocks.set(index, { kind: 'text' });
      return typeof block.text === 'string' && block.text !== '' ? this.step({ content: block.text }) : { chunks: [] };
    }
    if (block.type === 'thinking') {
      const text = typeof block.thinking === 'string' ? block.thinking : '';
      this.blocks.set(index, { kind: 'thinking', text, signature: typeof block.signature === 'string' ? block.signature : '' });
      return text !== '' ? this.step({ reasoning_content: text }) : { chunks: [] };
    }
    if (block.type === 'redacted_thinking' && typeof block.data === 'string') {
      this.thinking.push({ type: 'redacted_thinking', data: block.data });
      this.blocks.set(index, { kind: 'other' });
      return this.reasoningDetailsStep();
    }
    if (block.type === 'tool_use' && typeof block.id === 'string' && typeof block.name === 'string') {
      if (isAnthropicJsonToolUse(this.jsonMode, block.name)) {
        this.answeredByJsonTool = true;
        this.blocks.set(index, { kind: 'json' });
        return { chunks: [] };
      }
      const toolIndex = this.nextToolIndex++;
      this.blocks.set(index, { kind: 'tool', toolIndex });
      return this.toolStep({ index: toolIndex, id: block.id, type: 'function', function: { name: block.name, arguments: '' } });
    }
    this.blocks.set(index, { kind: 'other' });
    return { chunks: [] };
  }

  private applyDelta(index: number, delta: Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>['delta']): StreamStep {
    const block = this.blocks.get(index);
    if (block === undefined) return { chunks: [] };
    if (delta.type === 'text_delta' && delta.text) return this.step({ content: delta.text });
    if (delta.type === 'input_json_delta' && delta.partial_json) {
      if (block.kind === 'json') return this.step({ content: delta.partial_json });
      if (block.kind === 'tool') return this.toolStep({ index: block.toolIndex, function: { arguments: delta.partial_json } });
    }
    if (block.kind === 'thinking') {
      if (delta.type === 'thinking_delta' && delta.thinking) {
        block.text += delta.thinking;
        return this.step({ reasoning_content: delta.thinking });
      }
      if (delta.type === 'signature_delta' && delta.signature) block.signature += delta.signature;
    }
    // Empty fragments and citations_delta carry nothing a chat completion can show.
    return { chunks: [] };
  }

  private stopBlock(index: number): StreamStep {
    const block = this.blocks.get(index);
    if (block?.kind !== 'thinking') return { chunks: [] };
    this.thinking.push({ type: 'thinking', thinking: block.text, signature: block.signature });
    return this.reasoningDetailsStep();
  }

  private reasoningDetailsStep(): StreamStep {
    return this.step({ reasoning_details: fromAnthropicThinkingBlocks(this.thinking) });
  }

  private applyMessageDelta(event: Extract<AnthropicStreamEvent, { type: 'message_delta' }>): StreamStep {
    if (event.usage) this.rawUsage = mergeAnthropicUsage(this.rawUsage, event.usage);
    const raw = event.delta.stop_reason;
    if (raw == null) return { chunks: [] };
    const finish = mapAnthropicStopReason(raw, { answeredByJsonTool: this.answeredByJsonTool && this.nextToolIndex === 0 });
    this.finish = finish.finishReason;
    const delta: Delta = this.thinking.length > 0 ? { reasoning_details: fromAnthropicThinkingBlocks(this.thinking) } : {};
    return { chunks: [this.chunk(delta, finish.finishReason, finish.nativeFinishReason)] };
  }

  private step(delta: Delta): StreamStep {
    return { chunks: [this.chunk(delta, null)] };
  }

  private toolStep(call: OpenAIChunkToolCall): StreamStep {
    return this.step({ tool_calls: [call] });
  }

  private chunk(delta: Delta, finishReason: OpenAIFinishReason | null, nativeFinishReason?: string): OpenAIChatChunk {
    const choice = { index: 0, delta, finish_reason: finishReason };
    return {
      id: this.ctx.id,
      object: 'chat.completion.chunk',
      created: this.ctx.created,
      model: this.ctx.model,
      choices: [nativeFinishReason === undefined ? choice : { ...choice, native_finish_reason: nativeFinishReason }],
    };
  }
}
