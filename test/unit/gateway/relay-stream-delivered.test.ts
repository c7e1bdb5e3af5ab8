/**
 * Review finding: an aborted stream is charged over the text it delivered, so text relayed after the client
 * went away (the rest of an upstream read already in hand) must not count as delivered.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { relayStream } from '../../../src/gateway/relay-stream.js';
import { openAIChatDialect, type SseFrame } from '../../../src/gateway/chat-dialect.js';
import type { UpstreamResponse } from '../../../src/upstream/upstream-client.js';
import type { OpenAIChatChunk } from '../../../src/providers/openai/chat-types.js';
import type { StreamTranslator } from '../../../src/providers/types.js';

/** One content chunk per upstream event, whose data is the text. */
function createEchoTranslator(): StreamTranslator {
  const chunk = (content: string): OpenAIChatChunk => ({
    id: 'gen-1',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });
  return {
    push: (event) => ({ chunks: [chunk(event.data)] }),
    end: () => ({ chunks: [], truncated: false }),
    usage: undefined,
    finishReason: null,
  };
}

describe('relayStream delivered text (review)', () => {
  it('counts only the chunks written before the client went away', async () => {
    const controller = new AbortController();
    // Five events arrive in a single read, before the gateway notices the client is gone.
    const body = Readable.from([Buffer.from(['one ', 'two ', 'three ', 'four ', 'five '].map((text) => `data: ${text}\n\n`).join(''))]);
    const relay = relayStream({
      body: body as unknown as UpstreamResponse['body'],
      translator: createEchoTranslator(),
      encoder: openAIChatDialect.streamEncoder({ id: 'gen-1', created: 0, model: 'm/1', request: { model: 'm/1', messages: [{ role: 'user', content: 'hi' }] } }),
      signal: controller.signal,
      clientGone: () => controller.signal.aborted,
      now: () => 0,
    });
    // The client disconnects right after the first frame reaches it, as abortOnClientClose sees it.
    const frames: SseFrame[] = [];
    let step = await relay.next();
    while (!step.done) {
      frames.push(step.value);
      controller.abort();
      step = await relay.next();
    }
    const outcome = step.value;
    expect(frames).toHaveLength(1);
    expect(outcome.clientAborted).toBe(true);
    expect(outcome.delivered.text()).toBe('one ');
  });
});
