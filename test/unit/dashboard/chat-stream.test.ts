import { describe, expect, it } from 'vitest';
import { ChatStreamError, createSseParser, readChatStream } from '../../../web/src/lib/chat-stream.js';

function streamOf(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

async function collect(parts: string[]) {
  const seen = { content: '', reasoning: '', usage: undefined as unknown, finish: [] as string[] };
  await readChatStream(streamOf(parts), {
    onContent: (text) => (seen.content += text),
    onReasoning: (text) => (seen.reasoning += text),
    onUsage: (usage) => (seen.usage = usage),
    onFinish: (reason) => seen.finish.push(reason),
  });
  return seen;
}

const chunk = (delta: object, extra: object = {}) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;

describe('playground stream reading', () => {
  it('joins events split anywhere across chunks, including inside a CRLF', () => {
    const parser = createSseParser();
    expect(parser.push('data: {"a"')).toEqual([]);
    expect(parser.push(':1}\r')).toEqual([]);
    expect(parser.push('\n\r\ndata: 2\n')).toEqual(['{"a":1}']);
    expect(parser.push('\n')).toEqual(['2']);
    expect(parser.push(': comment\n\nevent: x\ndata: 3')).toEqual([]);
    expect(parser.end()).toEqual(['3']);
  });

  it('separates reasoning from the answer and reports usage and the finish reason', async () => {
    const whole = [
      chunk({ role: 'assistant', reasoning_content: 'Think ' }),
      chunk({ reasoning: 'more.' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo' }),
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
      `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, cost: 0.00001 } })}\n\n`,
      'data: [DONE]\n\n',
    ].join('');
    const byteByByte = whole.split('');
    for (const parts of [[whole], byteByByte]) {
      const seen = await collect(parts);
      expect(seen).toEqual({ content: 'Hello', reasoning: 'Think more.', usage: { prompt_tokens: 3, completion_tokens: 2, cost: 0.00001 }, finish: ['stop'] });
    }
  });

  it('turns an error event inside the stream into a ChatStreamError with its code', async () => {
    const parts = [chunk({ content: 'Par' }), `data: ${JSON.stringify({ error: { code: 'stream_truncated', message: 'cut' } })}\n\n`];
    await expect(collect(parts)).rejects.toEqual(new ChatStreamError('stream_truncated', 'cut'));
  });
});
