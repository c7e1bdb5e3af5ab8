/** Small undici helpers for talking to mock upstreams in tests. */
import { request } from 'undici';
import { decodeSse } from '../../../src/providers/sse-decoder.js';

export interface MockResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export async function postMockJson(url: string, body: unknown, apiKey = 'test-key'): Promise<MockResponse> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

export async function getMock(url: string, apiKey = 'test-key'): Promise<MockResponse> {
  const res = await request(url, { headers: { authorization: `Bearer ${apiKey}` } });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/** JSON payloads of the `data:` events, without the `[DONE]` marker. */
export function readSseJson(text: string): Array<Record<string, any>> {
  return decodeSse(text)
    .filter((event) => event.data !== '[DONE]')
    .map((event) => JSON.parse(event.data) as Record<string, any>);
}

/** Concatenated `delta.<field>` strings over all chunks. */
export function joinDeltas(chunks: Array<Record<string, any>>, field: 'content' | 'reasoning_content'): string {
  return chunks.map((chunk) => chunk.choices?.[0]?.delta?.[field] ?? '').join('');
}
