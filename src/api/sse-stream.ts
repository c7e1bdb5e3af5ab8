/**
 * Writes a stream answer: hijacks the reply, sends the SSE head with the headers set so far, then writes each
 * frame as the stream yields it (the next frame is asked for only once the last one was written). The stream is
 * always read to its end, even after the client left or a write failed, because reading it is what settles the
 * call's money; once the socket is gone the writes go nowhere.
 */
import type { FastifyReply } from 'fastify';
import type { SseFrame } from '../gateway/chat-dialect.js';
import { SseWriter, type SseWriterOptions } from './sse-writer.js';

export async function writeSseStream(reply: FastifyReply, frames: AsyncIterable<SseFrame>, options: SseWriterOptions): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  const writer = new SseWriter(res, options);
  try {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...(reply.getHeaders() as Record<string, string>),
    });
  } catch (error) {
    reply.log.error({ err: error }, 'stream head could not be written');
    res.destroy();
  }
  try {
    for await (const frame of frames) {
      try {
        await writer.sendRaw(frame.data, frame.event);
      } catch (error) {
        reply.log.error({ err: error }, 'stream frame could not be written; closing the connection');
        res.destroy();
      }
    }
    writer.end();
  } catch (error) {
    // The headers are sent: no error answer is possible any more, only a cut connection.
    reply.log.error({ err: error }, 'chat stream failed after its headers were sent');
    res.destroy();
  }
}
