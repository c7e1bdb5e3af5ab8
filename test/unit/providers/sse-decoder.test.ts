import { describe, expect, it } from 'vitest';
import { decodeSse, SseDecoder, type SseEvent } from '../../../src/providers/sse-decoder.js';

const wire =
  ': keep-alive\r\n\r\n' +
  'event: message_start\r\ndata: {"a":1}\r\n\r\n' +
  'data: line one\ndata: line two\n\n' +
  'id: 7\rretry: 100\rdata: cr only\r\r' +
  'data:no-space\n\n' +
  'event: ping\n\n' +
  'data: [DONE]\n\n';

const expected: SseEvent[] = [
  { event: 'message_start', data: '{"a":1}' },
  { event: undefined, data: 'line one\nline two' },
  { event: undefined, data: 'cr only' },
  { event: undefined, data: 'no-space' },
  { event: undefined, data: '[DONE]' },
];

function decodeInSlices(bytes: Uint8Array, size: number): SseEvent[] {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  for (let i = 0; i < bytes.length; i += size) events.push(...decoder.push(bytes.subarray(i, i + size)));
  return [...events, ...decoder.end()];
}

describe('SseDecoder', () => {
  it('decodes \\n, \\r\\n and \\r line ends, multi-line data and names, and drops comments and data-less events', () => {
    expect(decodeSse(wire)).toEqual(expected);
  });

  it.each([1, 2, 3, 5, 7, 13])('gives the same events when the bytes arrive in %i-byte slices', (size) => {
    expect(decodeInSlices(new TextEncoder().encode(wire), size)).toEqual(expected);
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const bytes = new TextEncoder().encode('data: Xin chào, thế giới 👋\n\n');
    expect(decodeInSlices(bytes, 1)).toEqual([{ event: undefined, data: 'Xin chào, thế giới 👋' }]);
  });

  it('delivers a final event that lacks its blank line when the stream ends', () => {
    const decoder = new SseDecoder();
    expect(decoder.push('data: {"last":true}')).toEqual([]);
    expect(decoder.end()).toEqual([{ event: undefined, data: '{"last":true}' }]);
  });

  it('delivers a final event whose last line ended in a lone \\r, and an empty data line as an empty string', () => {
    const decoder = new SseDecoder();
    expect(decoder.push('data:\n\nevent: done\ndata: tail\r')).toEqual([{ event: undefined, data: '' }]);
    expect(decoder.end()).toEqual([{ event: 'done', data: 'tail' }]);
  });

  it('ends quietly when nothing is pending', () => {
    const decoder = new SseDecoder();
    expect(decoder.push('data: a\n\n: bye\n')).toEqual([{ event: undefined, data: 'a' }]);
    expect(decoder.end()).toEqual([]);
  });
});
