/**
 * The gateway's OpenAI chunk stream → OpenAI Responses SSE events, each named by its `type` and numbered by
 * `sequence_number` from 0: response.created and response.in_progress, then per output item its
 * output_item.added, part and delta events and closing events, then response.completed (or response.incomplete)
 * carrying the full response built by the same code as the non-stream answer.
 *
 * - Reasoning text streams as the summary of a reasoning item, text as an output_text part of a message item,
 *   a refusal as a refusal part of it.
 * - One item is open at a time, except function calls: parallel calls stay open together until something else
 *   arrives or the stream ends, so argument deltas interleaved between calls land on their own item before its
 *   done events. (A delta for a call already closed still goes to that call's item; the final response has it.)
 * - A failure after the stream began is a `response.failed` event and an `error` event; see responses-errors.ts.
 */
import type { GatewayError } from '../../shared/errors.js';
import type { ChatStreamContext, ChatStreamEncoder, ChatStreamEnd, SseFrame } from '../../gateway/chat-dialect.js';
import type { OpenAIChatChunk, OpenAIChunkToolCall } from '../../providers/openai/chat-types.js';
import {
  buildResponse,
  toFinishedStatus,
  toOutputItemId,
  toOutputText,
  toResponsesUsage,
  type FunctionCallOutputItem,
  type MessageContentPart,
  type MessageOutputItem,
  type ReasoningOutputItem,
  type ResponseEcho,
  type ResponseIdentity,
  type ResponseOutcome,
  type ResponseOutputItem,
} from './from-chat-completion.js';
import { toErrorEvent, toResponseError } from './responses-errors.js';

type StreamEvent = { type: string } & Record<string, unknown>;

interface Open<Item> {
  outputIndex: number;
  item: Item;
}
type OpenMessage = Open<MessageOutputItem> & { part: MessageContentPart | undefined };

export function createResponsesStreamEncoder(ctx: ChatStreamContext, echo: ResponseEcho): ChatStreamEncoder {
  return new ResponsesStreamEncoder({ generationId: ctx.id, created: ctx.created, model: ctx.model }, echo);
}

class ResponsesStreamEncoder implements ChatStreamEncoder {
  private started = false;
  private sequence = 0;
  private frames: SseFrame[] = [];
  /** Every item by output index, kept current as deltas arrive. */
  private readonly output: ResponseOutputItem[] = [];
  private reasoning: Open<ReasoningOutputItem> | undefined;
  private message: OpenMessage | undefined;
  /** OpenAI tool-call index → its item; `openTools` are those not closed yet. */
  private readonly tools = new Map<number, Open<FunctionCallOutputItem>>();
  private openTools: Array<Open<FunctionCallOutputItem>> = [];

  constructor(
    private readonly identity: ResponseIdentity,
    private readonly echo: ResponseEcho,
  ) {}

  chunk(chunk: OpenAIChatChunk): SseFrame[] {
    this.start();
    const delta = chunk.choices[0]?.delta;
    if (delta?.reasoning_content) this.appendReasoning(delta.reasoning_content);
    if (delta?.content) this.appendMessage('output_text', delta.content);
    if (delta?.refusal) this.appendMessage('refusal', delta.refusal);
    for (const call of delta?.tool_calls ?? []) this.appendToolCall(call);
    return this.flush();
  }

  finish(end: ChatStreamEnd): SseFrame[] {
    this.start();
    this.closeReasoning();
    this.closeMessage();
    this.closeTools();
    const status = toFinishedStatus(end.finishReason);
    const type = status.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    this.emit({ type, response: this.snapshot({ ...status, output: this.output, usage: toResponsesUsage(end.usage) }) });
    return this.flush();
  }

  error(error: GatewayError): SseFrame[] {
    // The SDKs' accumulators need response.created first, even when nothing else was sent.
    this.start();
    this.emit({ type: 'response.failed', response: this.snapshot({ status: 'failed', output: this.output, usage: null, error: toResponseError(error) }) });
    this.emit(toErrorEvent(error));
    return this.flush();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    const response = this.snapshot({ status: 'in_progress', output: [], usage: null });
    this.emit({ type: 'response.created', response });
    this.emit({ type: 'response.in_progress', response });
  }

  private appendReasoning(text: string): void {
    this.closeMessage();
    this.closeTools();
    if (this.reasoning === undefined) {
      this.reasoning = this.addItem({ id: this.itemId('rs'), type: 'reasoning', summary: [] });
      const part = { type: 'summary_text' as const, text: '' };
      this.emit({ type: 'response.reasoning_summary_part.added', ...this.at(this.reasoning), summary_index: 0, part });
      this.reasoning.item.summary.push(part);
    }
    const summary = this.reasoning.item.summary[0];
    if (summary !== undefined) summary.text += text;
    this.emit({ type: 'response.reasoning_summary_text.delta', ...this.at(this.reasoning), summary_index: 0, delta: text });
  }

  private appendMessage(kind: MessageContentPart['type'], text: string): void {
    this.closeReasoning();
    this.closeTools();
    this.message ??= { ...this.addItem<MessageOutputItem>({ id: this.itemId('msg'), type: 'message', role: 'assistant', status: 'in_progress', content: [] }), part: undefined };
    const message = this.message;
    if (message.part?.type !== kind) {
      this.closePart(message);
      message.part = kind === 'output_text' ? toOutputText('') : { type: 'refusal', refusal: '' };
      this.emit({ type: 'response.content_part.added', ...this.at(message), content_index: message.item.content.length, part: message.part });
      message.item.content.push(message.part);
    }
    const content_index = message.item.content.length - 1;
    if (message.part.type === 'output_text') {
      message.part.text += text;
      this.emit({ type: 'response.output_text.delta', ...this.at(message), content_index, delta: text, logprobs: [] });
    } else {
      message.part.refusal += text;
      this.emit({ type: 'response.refusal.delta', ...this.at(message), content_index, delta: text });
    }
  }

  private appendToolCall(call: OpenAIChunkToolCall): void {
    let tool = this.tools.get(call.index);
    if (tool === undefined) {
      this.closeReasoning();
      this.closeMessage();
      const callId = call.id ?? `call_${this.itemId('fc').slice(3)}`;
      tool = this.addItem<FunctionCallOutputItem>({
        id: this.itemId('fc'),
        type: 'function_call',
        call_id: callId,
        name: call.function?.name ?? '',
        arguments: '',
        status: 'in_progress',
      });
      this.tools.set(call.index, tool);
      this.openTools.push(tool);
    } else if (tool.item.name === '' && call.function?.name) {
      // A name sent after the first chunk; the done events carry it.
      tool.item.name = call.function.name;
    }
    const args = call.function?.arguments;
    if (!args) return;
    tool.item.arguments += args;
    this.emit({ type: 'response.function_call_arguments.delta', ...this.at(tool), delta: args });
  }

  private closeReasoning(): void {
    const reasoning = this.reasoning;
    if (reasoning === undefined) return;
    this.reasoning = undefined;
    const part = reasoning.item.summary[0] ?? { type: 'summary_text', text: '' };
    this.emit({ type: 'response.reasoning_summary_text.done', ...this.at(reasoning), summary_index: 0, text: part.text });
    this.emit({ type: 'response.reasoning_summary_part.done', ...this.at(reasoning), summary_index: 0, part });
    this.emit({ type: 'response.output_item.done', output_index: reasoning.outputIndex, item: reasoning.item });
  }

  private closeMessage(): void {
    const message = this.message;
    if (message === undefined) return;
    this.message = undefined;
    this.closePart(message);
    message.item.status = 'completed';
    this.emit({ type: 'response.output_item.done', output_index: message.outputIndex, item: message.item });
  }

  private closePart(message: OpenMessage): void {
    const part = message.part;
    if (part === undefined) return;
    message.part = undefined;
    const content_index = message.item.content.length - 1;
    if (part.type === 'output_text') this.emit({ type: 'response.output_text.done', ...this.at(message), content_index, text: part.text, logprobs: [] });
    else this.emit({ type: 'response.refusal.done', ...this.at(message), content_index, refusal: part.refusal });
    this.emit({ type: 'response.content_part.done', ...this.at(message), content_index, part });
  }

  private closeTools(): void {
    for (const tool of this.openTools) {
      this.emit({ type: 'response.function_call_arguments.done', ...this.at(tool), name: tool.item.name, arguments: tool.item.arguments });
      tool.item.status = 'completed';
      this.emit({ type: 'response.output_item.done', output_index: tool.outputIndex, item: tool.item });
    }
    this.openTools = [];
  }

  /** Adds an item at the next output index and announces it. */
  private addItem<Item extends ResponseOutputItem>(item: Item): Open<Item> {
    const outputIndex = this.output.length;
    this.output.push(item);
    this.emit({ type: 'response.output_item.added', output_index: outputIndex, item });
    return { outputIndex, item };
  }

  private itemId(kind: 'rs' | 'msg' | 'fc'): string {
    return toOutputItemId(kind, this.identity.generationId, this.output.length);
  }

  private at(open: Open<ResponseOutputItem>): { item_id: string; output_index: number } {
    return { item_id: open.item.id, output_index: open.outputIndex };
  }

  private snapshot(outcome: ResponseOutcome) {
    return buildResponse(this.identity, this.echo, outcome);
  }

  /** Serialized at once: items are mutated afterwards as deltas arrive. */
  private emit(event: StreamEvent): void {
    this.frames.push({ event: event.type, data: JSON.stringify({ ...event, sequence_number: this.sequence++ }) });
  }

  private flush(): SseFrame[] {
    const frames = this.frames;
    this.frames = [];
    return frames;
  }
}
