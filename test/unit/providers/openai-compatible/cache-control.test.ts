/**
 * Anthropic's `cache_control` hint (sent by Claude Code through the Anthropic front door) reaches DashScope, which
 * honours it for explicit caching, and is silently removed for every other upstream, which would reject it.
 */
import { describe, expect, it } from 'vitest';
import { chatRequestSchema, type ChatRequest } from '../../../../src/providers/openai/chat-types.js';
import { openAICompatibleAdapter } from '../../../../src/providers/openai-compatible/adapter.js';
import { openAICompatibleProviderIds, type OpenAICompatibleProviderId } from '../../../../src/providers/openai-compatible/param-support.js';
import { openAICompatibleDefaultQuirks, openAICompatibleQuirks } from '../../../../src/providers/openai-compatible/quirks.js';
import { makeTarget } from './fixture-harness.js';

const ephemeral = { type: 'ephemeral' };
const ephemeralHour = { type: 'ephemeral', ttl: '1h' };
const weatherParameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

/** Claude Code's shape: markers on system text, the last user text, a tool result text and the last tool. */
const clientBody = {
  model: 'm',
  stream: true,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'You are Claude Code.', cache_control: ephemeralHour }] },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
        { type: 'text', text: 'And the weather in Paris?', cache_control: ephemeral },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'Sunny, 21°C', cache_control: ephemeral }] },
  ],
  tools: [
    { type: 'function', function: { name: 'get_time', description: 'Current time', parameters: { type: 'object' } } },
    { type: 'function', function: { name: 'get_weather', parameters: weatherParameters }, cache_control: ephemeral },
  ],
};

const stripProviders = openAICompatibleProviderIds.filter((id) => id !== 'alibaba');

async function translate(provider: OpenAICompatibleProviderId, request: ChatRequest) {
  const { request: upstream, warnings } = await openAICompatibleAdapter.toUpstream(request, makeTarget(provider), {
    fetchImage: () => Promise.reject(new Error('adapter must not fetch images')),
    clientHeaders: {},
  });
  const text = upstream.body ?? '';
  return { text, body: JSON.parse(text) as Record<string, unknown>, warnings };
}

/** The client body with every `cache_control` key removed, at any depth. */
function withoutAnyCacheControl(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAnyCacheControl);
  if (typeof value !== 'object' || value === null) return value;
  const kept = Object.entries(value).filter(([key]) => key !== 'cache_control');
  return Object.fromEntries(kept.map(([key, v]) => [key, withoutAnyCacheControl(v)]));
}

describe('cache_control quirk', () => {
  it('is kept for DashScope only, and stripped for unknown providers', () => {
    const rows = openAICompatibleProviderIds.map((id) => [id, openAICompatibleQuirks[id].cacheControl]);
    expect(rows).toEqual(openAICompatibleProviderIds.map((id) => [id, id === 'alibaba' ? 'keep' : 'strip']));
    expect(openAICompatibleDefaultQuirks.cacheControl).toBe('strip');
  });

  it.each(stripProviders)('%s: no cache_control anywhere upstream, everything else unchanged, no warning', async (provider) => {
    const request = chatRequestSchema.parse(clientBody);
    const { text, body, warnings } = await translate(provider, request);
    expect(text).not.toContain('cache_control');
    const expected = withoutAnyCacheControl(clientBody) as typeof clientBody;
    expect(body.messages).toEqual(expected.messages);
    expect(body.tools).toEqual(expected.tools);
    expect(warnings).toEqual([]);
  });

  it('does not change the client request while stripping', async () => {
    const request = chatRequestSchema.parse(clientBody);
    const before = JSON.stringify(request);
    await translate('deepseek', request);
    expect(JSON.stringify(request)).toBe(before);
  });

  it('strips a message-level cache_control too', async () => {
    const request = chatRequestSchema.parse({ model: 'm', messages: [{ role: 'user', content: 'Hi', cache_control: ephemeral }] });
    const { text, body } = await translate('openai', request);
    expect(text).not.toContain('cache_control');
    expect(body.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('alibaba (DashScope): cache_control on text parts and tools is kept byte for byte', async () => {
    const request = chatRequestSchema.parse(clientBody);
    const { text, body } = await translate('alibaba', request);
    expect(JSON.stringify(body.messages)).toBe(JSON.stringify(request.messages));
    expect(JSON.stringify(body.tools)).toBe(JSON.stringify(request.tools));
    expect(text).toContain('{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral","ttl":"1h"}}');
    expect(text.match(/"cache_control":\{"type":"ephemeral"/g)).toHaveLength(4);
  });
});
