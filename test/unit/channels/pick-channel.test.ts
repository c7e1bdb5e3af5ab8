import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../src/channels/channels.js';
import { indexChannelsByModel, pickChannel, type ChannelCandidate } from '../../../src/channels/pick-channel.js';

function candidate(id: string, priority: number, weight: number, models = ['m/1'], enabled = true): ChannelCandidate {
  const channel: Channel = {
    id,
    provider: 'openai',
    name: id,
    baseUrl: 'https://example.test',
    apiKeyHint: '…',
    secretKeyHint: null,
    models,
    weight,
    priority,
    enabled,
    createdAt: 0,
    updatedAt: 0,
  };
  return { channelId: id, channel, provider: 'openai', baseUrl: channel.baseUrl, apiKey: `key-${id}`, secretKey: undefined };
}

const fixed = (value: number) => () => value;

describe('pickChannel', () => {
  const low = candidate('low', 0, 100);
  const a = candidate('a', 5, 1);
  const b = candidate('b', 5, 3);

  it('takes the highest priority regardless of weight', () => {
    for (const r of [0, 0.5, 0.999]) expect(pickChannel([low, a, b], undefined, fixed(r))?.channelId).not.toBe('low');
  });

  it('splits a priority tier by weight: 1 of 4 draws to a, 3 of 4 to b', () => {
    expect(pickChannel([low, a, b], undefined, fixed(0))?.channelId).toBe('a');
    expect(pickChannel([low, a, b], undefined, fixed(0.2499))?.channelId).toBe('a');
    expect(pickChannel([low, a, b], undefined, fixed(0.25))?.channelId).toBe('b');
    expect(pickChannel([low, a, b], undefined, fixed(0.9999))?.channelId).toBe('b');
  });

  it('falls back to the next priority once the top tier is excluded', () => {
    expect(pickChannel([low, a, b], new Set(['a']), fixed(0))?.channelId).toBe('b');
    expect(pickChannel([low, a, b], new Set(['a', 'b']), fixed(0))?.channelId).toBe('low');
    expect(pickChannel([low, a, b], new Set(['a', 'b', 'low']), fixed(0))).toBeUndefined();
    expect(pickChannel([], undefined, fixed(0))).toBeUndefined();
  });

  it('indexes only enabled channels under every model they serve', () => {
    const index = indexChannelsByModel([candidate('x', 0, 1, ['m/1', 'm/2']), candidate('y', 0, 1, ['m/2'], false)]);
    expect(index.get('m/1')?.map((c) => c.channelId)).toEqual(['x']);
    expect(index.get('m/2')?.map((c) => c.channelId)).toEqual(['x']);
    expect(index.has('m/3')).toBe(false);
  });

  it('orders each model\'s channels by name, then id, whatever order they were loaded in', () => {
    const loaded = [candidate('zeta', 0, 1), candidate('alpha', 0, 1), candidate('mid', 0, 1)];
    expect(indexChannelsByModel(loaded).get('m/1')?.map((c) => c.channelId)).toEqual(['alpha', 'mid', 'zeta']);
    expect(indexChannelsByModel([...loaded].reverse()).get('m/1')?.map((c) => c.channelId)).toEqual(['alpha', 'mid', 'zeta']);
  });
});
