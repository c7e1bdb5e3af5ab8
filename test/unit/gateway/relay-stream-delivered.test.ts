/**
 * Review finding: an aborted stream is charged over the text it delivered, so text relayed after the client
 * went away (the rest of an upstream read already in hand) must not count as delivered.
 */
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SseWriter } from '../../../src/api/sse-writer.js';
import { relayStream } from '../../../src/gateway/relay-stream.js';
import { openAIChatDialect } from '../../../src/gateway/chat-dialect.js';
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

/** A response whose client disconnects right after the first frame reaches it, as abortOnClientClose sees it. */
function createResponseClosingAfterFirstWrite(controller: AbortController): { res: ServerResponse; frames: string[] } {
  const frames: string[] = [];
  const res = {
    destroyed: false,
    writableEnded: false,
    write(frame: string) {
      frames.push(frame);
      this.destroyed = true;
      controller.abort();
      return true;
    },
    end() {
      this.writableEnded = true;
    },
  };
  return { res: res as unknown as ServerResponse, frames };
}

describe('relayStream delivered text (review)', () => {
  it('counts only the chunks written before the client went away', async () => {
    const controller = new AbortController();
    const { res, frames } = createResponseClosingAfterFirstWrite(controller);
    // Five events arrive in a single read, before the gateway notices the client is gone.
    const body = Readable.from([Buffer.from(['one ', 'two ', 'three ', 'four ', 'five '].map((text) => `data: ${text}\n\n`).join(''))]);
    const outcome = await relayStream({
      body: body as unknown as UpstreamResponse['body'],
      translator: createEchoTranslator(),
      encoder: openAIChatDialect.streamEncoder({ id: 'gen-1', created: 0, model: 'm/1', request: { model: 'm/1', messages: [{ role: 'user', content: 'hi' }] } }),
      writer: new SseWriter(res),
      signal: controller.signal,
      now: () => 0,
    });
    expect(frames).toHaveLength(1);
    expect(outcome.clientAborted).toBe(true);
    expect(outcome.delivered.text()).toBe('one ');
  });
});
