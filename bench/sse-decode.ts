/**
 * SSE decoding micro-benchmark: the hand-written decoder the gateway used to have (bench/hand-written-sse-decoder.ts)
 * against the gateway's SseDecoder, which runs on eventsource-parser, decoding the same realistic chat stream many
 * times. The stream is twenty
 * `chat.completion.chunk` events plus a keep-alive comment, a usage chunk and `[DONE]`, cut into network-sized
 * pieces at odd offsets (so events and `\r\n` pairs split across pieces), fed as bytes the way undici hands them over.
 *
 * Run: `npx tsx bench/sse-decode.ts [iterations]`.
 */
import { performance } from 'node:perf_hooks';
import { SseDecoder, type SseEvent } from '../src/providers/sse-decoder.js';
import { HandWrittenSseDecoder } from './hand-written-sse-decoder.js';

const ITERATIONS = Number(process.argv[2] ?? 20_000);
const ROUNDS = 7;

function chatStreamBody(): string {
  const words = 'The quick brown fox jumps over the lazy dog while the gateway relays every token it is given'.split(' ');
  const events: string[] = [];
  for (let i = 0; i < 20; i++) {
    const chunk = {
      id: 'chatcmpl-9x7Yb2kLmNoPqRsTuVwXyZ012345',
      object: 'chat.completion.chunk',
      created: 1_767_225_600,
      model: 'gpt-4.1-2025-04-14',
      system_fingerprint: 'fp_0123456789',
      choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content: '' } : { content: `${words[i % words.length]} ` }, logprobs: null, finish_reason: null }],
    };
    events.push(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    if (i === 9) events.push(': keep-alive\r\n\r\n');
  }
  const usage = { prompt_tokens: 42, completion_tokens: 20, total_tokens: 62 };
  events.push(`data: ${JSON.stringify({ id: 'chatcmpl-9x7Yb2kLmNoPqRsTuVwXyZ012345', object: 'chat.completion.chunk', choices: [], usage })}\r\n\r\n`);
  events.push('data: [DONE]\r\n\r\n');
  return events.join('');
}

/** Cuts the body at a repeating pattern of odd sizes, as a TCP stream would. */
function toPieces(body: string): Uint8Array[] {
  const bytes = new TextEncoder().encode(body);
  const sizes = [173, 61, 389, 17, 256, 97, 512, 5];
  const pieces: Uint8Array[] = [];
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length] as number;
    pieces.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}

function decodeWith(decoder: { push(chunk: Uint8Array): SseEvent[]; end(): SseEvent[] }, pieces: readonly Uint8Array[]): SseEvent[] {
  const events: SseEvent[] = [];
  for (const piece of pieces) events.push(...decoder.push(piece));
  events.push(...decoder.end());
  return events;
}

const decodeWithHandWritten = (pieces: readonly Uint8Array[]) => decodeWith(new HandWrittenSseDecoder(), pieces);
const decodeWithLibrary = (pieces: readonly Uint8Array[]) => decodeWith(new SseDecoder(), pieces);

interface Contender {
  name: string;
  decode(pieces: readonly Uint8Array[]): SseEvent[];
}

/** Rounds alternate between the contenders, so load from other processes on the machine falls on both alike. */
function measureInterleaved(contenders: readonly Contender[], pieces: readonly Uint8Array[]): Map<string, number> {
  let sink = 0;
  for (const contender of contenders) for (let i = 0; i < 2_000; i++) sink += contender.decode(pieces).length; // JIT warm-up
  const rates = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const contender of contenders) {
      const start = performance.now();
      for (let i = 0; i < ITERATIONS; i++) sink += contender.decode(pieces).length;
      rates.get(contender.name)?.push(ITERATIONS / ((performance.now() - start) / 1000));
    }
  }
  const medians = new Map<string, number>();
  for (const [name, list] of rates) {
    list.sort((a, b) => a - b);
    const median = list[Math.floor(list.length / 2)] as number;
    medians.set(name, median);
    console.log(`${name.padEnd(20)} ${Math.round(median).toLocaleString('en-US').padStart(10)} streams/s (median of ${ROUNDS} rounds)`);
  }
  if (sink === 0) throw new Error('Nothing was decoded.');
  return medians;
}

const body = chatStreamBody();
const pieces = toPieces(body);
const handWritten = decodeWithHandWritten(pieces);
const library = decodeWithLibrary(pieces);
if (JSON.stringify(handWritten) !== JSON.stringify(library)) throw new Error('The two decoders disagree on the benchmark stream.');
console.log(`stream: ${library.length} events, ${body.length} bytes in ${pieces.length} pieces; ${ITERATIONS} decodes per round`);
const rates = measureInterleaved(
  [
    { name: 'hand-written', decode: decodeWithHandWritten },
    { name: 'eventsource-parser', decode: decodeWithLibrary },
  ],
  pieces,
);
const ratio = (rates.get('eventsource-parser') ?? 0) / (rates.get('hand-written') ?? 1);
console.log(`eventsource-parser / hand-written: ${ratio.toFixed(2)}x`);
