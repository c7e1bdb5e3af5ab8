/**
 * Anthropic upstream SSE → our Anthropic stream translator (OpenAI chunks) → the /messages stream encoder →
 * the client. What the client rebuilds must hold what the upstream sent: thinking with its signature on the
 * right block, redacted thinking, text and tool input byte for byte, stop reason and usage.
 */
import { describe, expect, it } from 'vitest';
import { createAnthropicStreamEncoder } from '../../../../src/api/anthropic/stream-encoder.js';
import type { SseFrame } from '../../../../src/gateway/chat-dialect.js';
import { anthropicAdapter } from '../../../../src/providers/anthropic/anthropic-adapter.js';
import { chatRequestSchema } from '../../../../src/providers/openai/chat-types.js';
import { decodeSse } from '../../../../src/providers/sse-decoder.js';
import { toOpenAIUsage } from '../../../../src/providers/usage.js';
import { anthropicFixtures, createResponseContext, createTestTarget, readFixture } from '../../../support/anthropic-fixtures.js';
import { decodeSseInSlices } from '../../../support/fixture-runner.js';
import { expectBlockDiscipline, rebuildMessage, toEvents, type RebuiltBlock, type StreamEvent } from './stream-events.js';

const request = chatRequestSchema.parse({ model: 'anthropic/claude-sonnet-4.5', messages: [{ role: 'user', content: 'Hi' }], stream: true });

function relay(fixture: string, splitBytes?: number): StreamEvent[] {
  const ctx = createResponseContext(request);
  const translator = anthropicAdapter.createStreamTranslator(createTestTarget(), ctx);
  const encoder = createAnthropicStreamEncoder(ctx);
  const frames: SseFrame[] = [];
  const bytes = anthropicFixtures.bytes(`${fixture}.upstream.sse`);
  for (const event of decodeSseInSlices(bytes, splitBytes)) {
    const step = translator.push(event);
    for (const chunk of step.chunks) frames.push(...encoder.chunk(chunk));
    expect(step.error).toBeUndefined();
  }
  const usage = translator.usage;
  if (usage === undefined) throw new Error(`${fixture} reported no usage`);
  frames.push(...encoder.finish({ usage: toOpenAIUsage(usage), finishReason: translator.finishReason }));
  return toEvents(frames);
}

/** The upstream's own events, rebuilt the same way, as the reference. */
function upstreamMessage(fixture: string) {
  const events = decodeSse(readFixture(`${fixture}.upstream.sse`).replace(/\r\n/g, '\n'))
    .map((event) => JSON.parse(event.data) as StreamEvent)
    .filter((event) => event.type !== 'ping' && event.type !== 'message_start');
  return rebuildMessage(events);
}

const ofType = (blocks: RebuiltBlock[], ...types: string[]) => blocks.filter((block) => types.includes(block.type));

describe('anthropic upstream → /messages stream round trip', () => {
  it.each([undefined, 1, 7])('thinking + signature + tool use survive (bytes split every %s)', (split) => {
    const events = relay('stream-thinking-tool', split);
    const ours = rebuildMessage(events);
    const theirs = upstreamMessage('stream-thinking-tool');

    // The signature reaches the client on the thinking block (index 0). Our upstream adapter reports it only on
    // its finish chunk, so it arrives after that block's stop: the documented late-signature fallback.
    const signatureEvents = events.filter((e) => e.type === 'content_block_delta' && (e.delta as { type: string }).type === 'signature_delta');
    expect(signatureEvents).toEqual([{ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCkYI...' } }]);
    expectBlockDiscipline(events, [0]);

    expect(ours.content).toEqual(theirs.content);
    expect(ofType(ours.content, 'tool_use')).toEqual([{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: {}, input_json: '{"city": "Paris"}' }]);
    expect(ours.stopReason).toBe('tool_use');
    expect(ours.usage).toEqual({ input_tokens: 412, cache_creation_input_tokens: 0, cache_read_input_tokens: 1800, output_tokens: 96 });
  });

  it('signed thinking, redacted thinking and text survive a max_tokens stop', () => {
    const events = relay('stream-redacted-max-tokens');
    expectBlockDiscipline(events, [0]);
    const ours = rebuildMessage(events);
    const theirs = upstreamMessage('stream-redacted-max-tokens');
    // Redacted blocks never stream through the OpenAI chunks, so it comes last here; among the thinking blocks the
    // order, which is what goes back upstream, is kept.
    expect(ofType(ours.content, 'thinking', 'redacted_thinking')).toEqual(ofType(theirs.content, 'thinking', 'redacted_thinking'));
    expect(ofType(ours.content, 'text')).toEqual(ofType(theirs.content, 'text'));
    expect(ours.stopReason).toBe('max_tokens');
  });

  it.each(['stream-text', 'stream-multi-tool'])('%s: text and every tool input survive byte for byte', (fixture) => {
    const events = relay(fixture);
    expectBlockDiscipline(events);
    const ours = rebuildMessage(events);
    const theirs = upstreamMessage(fixture);
    expect(ours.content).toEqual(theirs.content);
    expect(ours.stopReason).toBe(theirs.stopReason);
  });
});
