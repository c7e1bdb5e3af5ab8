/**
 * The gateway's OpenAI chunk stream → Anthropic Messages SSE events (message_start, content_block_start/delta/
 * stop, message_delta, message_stop), as Anthropic streams them: each event named by its `type`, one content
 * block open at a time, block indexes counted from 0 in the order blocks open, thinking before text before tools
 * as the chunks bring them.
 *
 * Signatures. Signed thinking reaches the pipeline as a `reasoning_details` array on a delta; each
 * `reasoning.text` entry is matched to the streamed thinking block with the same text and sent as its
 * `signature_delta`. A thinking block stays open until a non-thinking delta (text, tool call, redacted block) or
 * the finish, so details that arrive while it is open are sent in order, before its content_block_stop. Our
 * Anthropic upstream adapter currently reports the details only on its finish chunk, after the text and tools;
 * holding every later block back until then would stop streaming for any model whose reasoning is never signed,
 * so the signature is then sent late: a signature_delta for the already stopped block's index. The Anthropic SDKs
 * apply deltas by index, so their final message carries it. An entry whose text matches no streamed block becomes
 * a complete thinking block of its own; a `reasoning.encrypted` entry becomes a redacted_thinking block (start
 * with its data, stop) where it arrives. Entries of another provider's format are skipped: Anthropic could not
 * verify them when the client sends them back.
 */
import type { GatewayError } from '../../shared/errors.js';
import type { ChatStreamContext, ChatStreamEncoder, ChatStreamEnd, SseFrame } from '../../gateway/chat-dialect.js';
import type { OpenAIChatChunk, OpenAIChunkToolCall } from '../../providers/openai/chat-types.js';
import { toAnthropicThinkingBlocks, type ReasoningDetail } from '../../providers/openai/reasoning-details.js';
import { toAnthropicError } from './anthropic-errors.js';
import { toAnthropicMessageId, toAnthropicStopReason, toAnthropicUsage } from './from-chat-completion.js';

interface ThinkingRecord {
  index: number;
  text: string;
  signature: string | undefined;
}

type OpenBlock = { kind: 'thinking'; record: ThinkingRecord } | { kind: 'text'; index: number } | { kind: 'tool'; index: number };

type ContentBlockStart =
  | { type: 'thinking'; thinking: ''; signature: '' }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: '' }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, never> };

export function createAnthropicStreamEncoder(ctx: ChatStreamContext): ChatStreamEncoder {
  return new AnthropicStreamEncoder(ctx);
}

class AnthropicStreamEncoder implements ChatStreamEncoder {
  private started = false;
  private open: OpenBlock | undefined;
  private nextIndex = 0;
  private readonly thinking: ThinkingRecord[] = [];
  private readonly redacted = new Set<string>();
  /** OpenAI tool-call index → block index. */
  private readonly tools = new Map<number, number>();
  private nativeFinishReason: string | undefined;
  private frames: SseFrame[] = [];

  constructor(private readonly ctx: ChatStreamContext) {}

  chunk(chunk: OpenAIChatChunk): SseFrame[] {
    this.start();
    const choice = chunk.choices[0];
    if (choice !== undefined) {
      const delta = choice.delta;
      if (delta.reasoning_content) this.appendThinking(delta.reasoning_content);
      if (Array.isArray(delta.reasoning_details)) this.applyReasoningDetails(delta.reasoning_details);
      if (delta.content) this.appendText(delta.content);
      if (delta.refusal) this.appendText(delta.refusal);
      for (const call of delta.tool_calls ?? []) this.appendToolCall(call);
      if (choice.native_finish_reason !== undefined) this.nativeFinishReason = choice.native_finish_reason;
    }
    return this.flush();
  }

  finish(end: ChatStreamEnd): SseFrame[] {
    this.start();
    this.closeOpenBlock();
    this.emit({
      type: 'message_delta',
      delta: { stop_reason: toAnthropicStopReason(end.finishReason, this.nativeFinishReason), stop_sequence: null },
      usage: toAnthropicUsage(end.usage),
    });
    this.emit({ type: 'message_stop' });
    return this.flush();
  }

  error(error: GatewayError): SseFrame[] {
    // Anthropic ends a failed stream with a bare error event, whatever was open.
    return [toFrame({ type: 'error', error: toAnthropicError(error).body.error })];
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.emit({
      type: 'message_start',
      message: {
        id: toAnthropicMessageId(this.ctx.id),
        type: 'message',
        role: 'assistant',
        model: this.ctx.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // Known only at the end; message_delta carries the full usage.
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
  }

  private appendThinking(text: string): void {
    // A signed block is complete: more reasoning is a new block.
    let record = this.open?.kind === 'thinking' && this.open.record.signature === undefined ? this.open.record : undefined;
    if (record === undefined) record = this.openThinkingBlock();
    record.text += text;
    this.emitDelta(record.index, { type: 'thinking_delta', thinking: text });
  }

  private applyReasoningDetails(details: readonly ReasoningDetail[]): void {
    for (const block of toAnthropicThinkingBlocks(details, 'reasoning_details').blocks) {
      if (block.type === 'thinking') this.applySignature(block.thinking, block.signature);
      else this.emitRedactedBlock(block.data);
    }
  }

  private applySignature(text: string, signature: string): void {
    // Details may be repeated (e.g. the whole list again on the finish chunk).
    if (this.thinking.some((record) => record.text === text && record.signature === signature)) return;
    let record = this.thinking.find((candidate) => candidate.signature === undefined && candidate.text === text);
    if (record === undefined) {
      record = this.openThinkingBlock();
      record.text = text;
      if (text !== '') this.emitDelta(record.index, { type: 'thinking_delta', thinking: text });
    }
    record.signature = signature;
    this.emitDelta(record.index, { type: 'signature_delta', signature });
  }

  private emitRedactedBlock(data: string): void {
    if (this.redacted.has(data)) return;
    this.redacted.add(data);
    const index = this.startBlock({ type: 'redacted_thinking', data });
    this.emit({ type: 'content_block_stop', index });
  }

  private appendText(text: string): void {
    let index = this.open?.kind === 'text' ? this.open.index : undefined;
    if (index === undefined) {
      index = this.startBlock({ type: 'text', text: '' });
      this.open = { kind: 'text', index };
    }
    this.emitDelta(index, { type: 'text_delta', text });
  }

  private appendToolCall(call: OpenAIChunkToolCall): void {
    let index = this.tools.get(call.index);
    if (index === undefined) {
      const id = call.id ?? `toolu_${toAnthropicMessageId(this.ctx.id).slice(4)}_${call.index}`;
      index = this.startBlock({ type: 'tool_use', id, name: call.function?.name ?? '', input: {} });
      this.open = { kind: 'tool', index };
      this.tools.set(call.index, index);
    }
    // Arguments of a call whose block was already closed (interleaved calls) still go to that call's block.
    const args = call.function?.arguments;
    if (args) this.emitDelta(index, { type: 'input_json_delta', partial_json: args });
  }

  private openThinkingBlock(): ThinkingRecord {
    const record: ThinkingRecord = { index: this.startBlock({ type: 'thinking', thinking: '', signature: '' }), text: '', signature: undefined };
    this.thinking.push(record);
    this.open = { kind: 'thinking', record };
    return record;
  }

  /** Closes the open block and starts the next one; returns its index. */
  private startBlock(contentBlock: ContentBlockStart): number {
    this.closeOpenBlock();
    const index = this.nextIndex++;
    this.emit({ type: 'content_block_start', index, content_block: contentBlock });
    return index;
  }

  private closeOpenBlock(): void {
    if (this.open === undefined) return;
    const index = this.open.kind === 'thinking' ? this.open.record.index : this.open.index;
    this.open = undefined;
    this.emit({ type: 'content_block_stop', index });
  }

  private emitDelta(index: number, delta: Record<string, string>): void {
    this.emit({ type: 'content_block_delta', index, delta });
  }

  private emit(event: { type: string } & Record<string, unknown>): void {
    this.frames.push(toFrame(event));
  }

  private flush(): SseFrame[] {
    const frames = this.frames;
    this.frames = [];
    return frames;
  }
}

function toFrame(event: { type: string } & Record<string, unknown>): SseFrame {
  return { event: event.type, data: JSON.stringify(event) };
}
