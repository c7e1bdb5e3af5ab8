/**
 * Our encoder's frames and our response object, read by the official `openai` SDK (v6) as a client reads them:
 * the SDK's own SSE parser and stream accumulator run, through a `fetch` that never touches the network.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { toResponse } from '../../../../src/api/responses/from-chat-completion.js';
import { createResponsesStreamEncoder } from '../../../../src/api/responses/stream-encoder.js';
import { GatewayError } from '../../../../src/shared/errors.js';
import type { SseFrame } from '../../../../src/gateway/chat-dialect.js';
import { chunk, echo, fullAnswer, fullAnswerChunks, streamContext, usage } from './fixtures.js';

function clientAnswering(body: string, contentType: string): OpenAI {
  return new OpenAI({
    apiKey: 'th-test',
    baseURL: 'http://127.0.0.1:1/api/v1',
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { 'content-type': contentType } }),
  });
}

const sseBody = (frames: readonly SseFrame[]) => frames.map((frame) => `event: ${frame.event}\ndata: ${frame.data}\n\n`).join('');
const request = { model: 'openai/gpt-5', input: 'List files and the date.' };

describe('openai SDK reading the /responses answer', () => {
  it('accumulates the stream into the same response as the non-stream answer', async () => {
    const encoder = createResponsesStreamEncoder(streamContext, echo);
    const frames = [...fullAnswerChunks.flatMap((c) => encoder.chunk(c)), ...encoder.finish({ usage, finishReason: 'tool_calls' })];
    const stream = clientAnswering(sseBody(frames), 'text/event-stream').responses.stream(request);
    const textDeltas: string[] = [];
    stream.on('response.output_text.delta', (event) => textDeltas.push(event.delta));
    const final = await stream.finalResponse();

    expect(textDeltas).toEqual(['Running ', 'both.']);
    expect(final.output_text).toBe('Running both.');
    expect(final.status).toBe('completed');
    expect(final.usage).toMatchObject({ input_tokens: 1200, output_tokens: 300, input_tokens_details: { cached_tokens: 1000 } });
    const calls = final.output.filter((item) => item.type === 'function_call');
    expect(calls.map((call) => [call.call_id, call.arguments])).toEqual([
      ['call_a', '{"cmd":"ls"}'],
      ['call_b', '{"cmd":"date"}'],
    ]);
    // The SDK adds only what it computes itself (output_text, parsed_arguments, output_parsed).
    expect(final).toMatchObject(toResponse(fullAnswer, echo));
  });

  it('rejects finalResponse() when the stream fails after it began', async () => {
    const encoder = createResponsesStreamEncoder(streamContext, echo);
    const frames = [...encoder.chunk(chunk({ content: 'Hal' })), ...encoder.error(new GatewayError('upstream_timeout'))];
    const stream = clientAnswering(sseBody(frames), 'text/event-stream').responses.stream(request);
    stream.on('error', () => undefined);
    await expect(stream.finalResponse()).rejects.toThrow('did not answer in time');
  });

  it('reads the non-stream response, computing output_text', async () => {
    const response = await clientAnswering(JSON.stringify(toResponse(fullAnswer, echo)), 'application/json').responses.create(request);
    expect(response.output_text).toBe('Running both.');
    expect(response.id).toBe('resp_01JABCDEF');
  });
});
