import { describe, expect, it } from 'vitest';
import type { ChannelPick } from '../../../src/channels/channel-pick.js';
import { catalogRetryable, withChannelFailover, type AttemptResult } from '../../../src/kernel/channel-failover.js';
import { GatewayError } from '../../../src/shared/errors.js';

const channels = ['chn_a', 'chn_b', 'chn_c'];
const router = {
  pick: (_modelId: string, exclude?: ReadonlySet<string>): ChannelPick | undefined => {
    const channelId = channels.find((id) => !exclude?.has(id));
    return channelId === undefined ? undefined : { channelId, provider: 'p', baseUrl: 'http://x', apiKey: 'k' };
  },
};
const logger = { warn() {} };

function run(answers: Record<string, AttemptResult<string> | Error>, options: { maxAttempts?: number; isRetryable?: (e: GatewayError) => boolean } = {}) {
  const tried: string[] = [];
  const result = withChannelFailover<string>({
    modality: 'test',
    modelId: 'm',
    router,
    maxAttempts: options.maxAttempts ?? 3,
    isRetryable: options.isRetryable ?? catalogRetryable,
    noChannel: () => new GatewayError('no_channel'),
    logger,
    attempt: async (channel) => {
      tried.push(channel.channelId);
      const answer = answers[channel.channelId] ?? { ok: false, error: new GatewayError('upstream_error') };
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  return { result, tried };
}

const fail = (code: 'upstream_error' | 'upstream_timeout' | 'invalid_request') => ({ ok: false as const, error: new GatewayError(code) });

describe('withChannelFailover', () => {
  it('moves past retryable failures, each channel once, and names the channel that answered', async () => {
    const { result, tried } = run({ chn_a: fail('upstream_error'), chn_b: { ok: true, value: 'done' } });
    expect(await result).toMatchObject({ ok: true, value: 'done', channel: { channelId: 'chn_b' } });
    expect(tried).toEqual(['chn_a', 'chn_b']);
  });

  it('answers with a failure the classifier calls final, trying no other channel', async () => {
    const { result, tried } = run({ chn_a: fail('invalid_request'), chn_b: { ok: true, value: 'never' } });
    expect(await result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(tried).toEqual(['chn_a']);
  });

  it('lets each modality decide: a timeout is final where the classifier says so', async () => {
    const answers = { chn_a: fail('upstream_timeout'), chn_b: { ok: true as const, value: 'second' } };
    expect(await run(answers).result).toMatchObject({ ok: true, value: 'second' });
    const strict = run(answers, { isRetryable: (e) => e.retryable && e.code !== 'upstream_timeout' });
    expect(await strict.result).toMatchObject({ ok: false, error: { code: 'upstream_timeout' } });
    expect(strict.tried).toEqual(['chn_a']);
  });

  it('stops at maxAttempts with the last failure', async () => {
    const { result, tried } = run({}, { maxAttempts: 2 });
    expect(await result).toMatchObject({ ok: false, error: { code: 'upstream_error' } });
    expect(tried).toEqual(['chn_a', 'chn_b']);
  });

  it('answers noChannel when no channel can be tried', async () => {
    const { result, tried } = run({}, { maxAttempts: 0 });
    expect(await result).toMatchObject({ ok: false, error: { code: 'no_channel' } });
    expect(tried).toEqual([]);
  });

  it('lets an attempt that throws end the call at once', async () => {
    const { result, tried } = run({ chn_a: new Error('must not be retried'), chn_b: { ok: true, value: 'never' } });
    await expect(result).rejects.toThrow('must not be retried');
    expect(tried).toEqual(['chn_a']);
  });
});
