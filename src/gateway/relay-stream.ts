/**
 * Relays an upstream SSE body to the client: bytes → SseDecoder → the adapter's translator → the front door's
 * encoder → SSE frames, yielded one by one (the reader writes them; reading the next one waits for the last
 * write, so a slow client slows the upstream read). Nothing here touches the database or the socket; the
 * outcome is the generator's return value, for settlement and logging afterwards.
 */
import { GatewayError } from '../shared/errors.js';
import { SseDecoder } from '../providers/sse-decoder.js';
import type { OpenAIChatChunk, OpenAIFinishReason } from '../providers/openai/chat-types.js';
import type { NormalizedUsage, StreamTranslator } from '../providers/types.js';
import type { ChatStreamEncoder, SseFrame } from './chat-dialect.js';
import { toTransportError, type UpstreamResponse } from '../upstream/upstream-client.js';
import { DeliveredText } from './delivered-text.js';

export interface StreamOutcome {
  usage: NormalizedUsage | undefined;
  finishReason: OpenAIFinishReason | null;
  delivered: DeliveredText;
  /** The upstream failed or ended early; the caller sends it as the final event once the money is settled. */
  error: GatewayError | undefined;
  clientAborted: boolean;
  /** The gateway ended the stream (time limit, shutdown, key revoked); `error` is the reason told to the client. */
  stopped: boolean;
  firstChunkAt: number | undefined;
}

export interface RelayInput {
  body: UpstreamResponse['body'];
  translator: StreamTranslator;
  encoder: ChatStreamEncoder;
  /** Aborts the upstream read: the client left, or the gateway ended the stream. */
  signal: AbortSignal;
  /** True once the client is gone: nothing more reaches it, so nothing more counts as delivered. */
  clientGone(): boolean;
  /** Why the gateway ended the stream, once it did (the client's leaving is not such a reason). */
  stopReason?: () => GatewayError | undefined;
  now(): number;
}

export async function* relayStream(input: RelayInput): AsyncGenerator<SseFrame, StreamOutcome, undefined> {
  const { translator, encoder } = input;
  const decoder = new SseDecoder();
  const delivered = new DeliveredText();
  let firstChunkAt: number | undefined;
  let error: GatewayError | undefined;
  let done = false;

  const send = function* (chunks: OpenAIChatChunk[]): Generator<SseFrame, void, undefined> {
    for (const chunk of chunks) {
      // Once the client is gone nothing more is delivered, so nothing more counts toward an estimated charge.
      if (input.clientGone()) return;
      firstChunkAt ??= input.now();
      delivered.add(chunk);
      yield* encoder.chunk(chunk);
    }
  };

  try {
    for await (const bytes of input.body) {
      for (const event of decoder.push(bytes as Buffer)) {
        const step = translator.push(event);
        yield* send(step.chunks);
        if (step.error) {
          error = step.error;
          break;
        }
        if (step.done) done = true;
      }
      if (error || done) break;
    }
    if (!error && !done) {
      for (const event of decoder.end()) {
        const step = translator.push(event);
        yield* send(step.chunks);
        if (step.error) {
          error = step.error;
          break;
        }
      }
    }
  } catch (failure) {
    error = input.stopReason?.() ?? toTransportError(failure, input.signal);
  }
  if (!done || error) input.body.destroy();

  if (!error) {
    const end = translator.end();
    yield* send(end.chunks);
    error = end.error ?? (end.truncated ? new GatewayError('stream_truncated') : undefined);
  }
  const stopped = error !== undefined && error === input.stopReason?.();
  const clientAborted = input.signal.aborted && !stopped;
  return { usage: translator.usage, finishReason: translator.finishReason, delivered, error, clientAborted, stopped, firstChunkAt };
}
