/**
 * Re-emits one choice's streamed tool calls in OpenAI's delta form: keyed by `index`, the first fragment of a
 * call carrying `id`, `type` and `function.name`, later ones only argument text.
 */
import type { OpenAIChunkToolCall } from '../openai/chat-types.js';
import { isJsonRecord } from './json-record.js';
import { toOpenAICompatibleArgumentsText } from './tool-call-arguments.js';

interface PendingToolCall {
  id?: string;
  name?: string;
  /** Argument text received before the call's name was known. */
  bufferedArguments: string;
  started: boolean;
}

export class OpenAICompatibleToolCallDeltas {
  private readonly calls = new Map<number, PendingToolCall>();
  private readonly indexById = new Map<string, number>();
  private nextIndex = 0;
  private lastIndex: number | undefined;

  /** `idPrefix` builds ids for calls the upstream sent without one. */
  constructor(private readonly idPrefix: string) {}

  push(rawCalls: readonly unknown[]): OpenAIChunkToolCall[] {
    const out: OpenAIChunkToolCall[] = [];
    for (const raw of rawCalls) {
      if (!isJsonRecord(raw)) continue;
      const fn = isJsonRecord(raw.function) ? raw.function : {};
      const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
      const index = this.indexFor(raw.index, id);
      const call = this.calls.get(index) ?? { bufferedArguments: '', started: false };
      this.calls.set(index, call);
      call.id ??= id;
      if (typeof fn.name === 'string' && fn.name !== '') call.name ??= fn.name;
      const delta = this.advance(index, call, toOpenAICompatibleArgumentsText(fn.arguments));
      if (delta !== undefined) out.push(delta);
    }
    return out;
  }

  /** Calls whose name never arrived are still handed on at the end rather than lost. */
  flush(): OpenAIChunkToolCall[] {
    const out: OpenAIChunkToolCall[] = [];
    for (const [index, call] of this.calls) {
      if (call.started) continue;
      call.name ??= '';
      const delta = this.advance(index, call, '');
      if (delta !== undefined) out.push(delta);
    }
    return out;
  }

  /**
   * Some OpenAI-compatible servers send the first fragment without `function.name`, so arguments wait until the
   * name is known; the header then carries everything buffered so far.
   */
  private advance(index: number, call: PendingToolCall, args: string): OpenAIChunkToolCall | undefined {
    if (call.started) return args === '' ? undefined : { index, function: { arguments: args } };
    call.bufferedArguments += args;
    if (call.name === undefined) return undefined;
    call.started = true;
    const header: OpenAIChunkToolCall = {
      index,
      id: call.id ?? `call_${this.idPrefix}_${index}`,
      type: 'function',
      function: { name: call.name, arguments: call.bufferedArguments },
    };
    call.bufferedArguments = '';
    return header;
  }

  /** xAI sends whole calls without `index`: each new id gets the next position. */
  private indexFor(rawIndex: unknown, id: string | undefined): number {
    let index: number;
    if (typeof rawIndex === 'number' && Number.isInteger(rawIndex) && rawIndex >= 0) index = rawIndex;
    else if (id !== undefined) index = this.indexById.get(id) ?? this.nextIndex;
    else index = this.lastIndex ?? this.nextIndex;
    if (id !== undefined) this.indexById.set(id, index);
    this.nextIndex = Math.max(this.nextIndex, index + 1);
    this.lastIndex = index;
    return index;
  }
}
