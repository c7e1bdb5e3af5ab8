/**
 * Builders for raw SSE frame text as mock upstreams put it on the wire. Each frame is one complete event
 * including its terminating blank line, which is the unit MockContext.sendSse writes and counts for faults.
 */

/** The OpenAI-family end marker. */
export const SSE_DONE_FRAME = 'data: [DONE]\n\n';

/** An unnamed event carrying JSON (`data: {...}`), as OpenAI-compatible upstreams send. */
export function formatSseData(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** A named event (`event: x` + `data: {...}`), as Anthropic sends. */
export function formatSseEvent(event: string, data: unknown): string {
  if (/[\r\n]/.test(event)) throw new Error(`SSE event name must be a single line: ${JSON.stringify(event)}`);
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line (`: keep-alive`), which clients must ignore. */
export function formatSseComment(text: string): string {
  if (/[\r\n]/.test(text)) throw new Error(`SSE comment must be a single line: ${JSON.stringify(text)}`);
  return `: ${text}\n\n`;
}
