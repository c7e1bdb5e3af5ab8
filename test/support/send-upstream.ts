/** Sends an adapter's UpstreamRequest with undici, as the gateway will, and returns status, headers and parsed body. */
import { request } from 'undici';
import type { UpstreamRequest } from '../../src/providers/task-types.js';

export interface UpstreamReply {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

export async function sendUpstream(upstream: UpstreamRequest): Promise<UpstreamReply> {
  const response = await request(upstream.url, { method: upstream.method, headers: upstream.headers, body: upstream.body });
  const text = await response.body.text();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  return { status: response.statusCode, headers, text, json };
}
