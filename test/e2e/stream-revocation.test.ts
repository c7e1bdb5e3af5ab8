/**
 * A running stream ends when its key is revoked or its account disabled, on SQLite and PostgreSQL: at once
 * for a change made on this instance, within the check interval for one it never hears of (the CLI, another
 * instance without Redis). The client gets the reason as the final event; what was done is charged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { usdToNanos } from '../../src/billing/money.js';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { startStreamingUpstream, type StreamingUpstream } from '../support/streaming-upstream.js';

describe.each(dialects)('streams of a revoked key or disabled account on %s', (dialect) => {
  let t: TestGateway;
  let upstream: StreamingUpstream;

  beforeAll(async () => {
    upstream = await startStreamingUpstream({ chunkChars: 20, intervalMs: 20 });
    t = await startTestGateway({
      dialect,
      providers: ['deepseek'],
      config: { upstreams: [{ provider: 'deepseek', apiKey: 'test-deepseek-key', baseUrl: upstream.baseUrl }] },
      liveAuthCheckIntervalMs: 300,
    });
  });
  afterAll(async () => {
    await t?.close();
    await upstream?.close();
  });

  async function newFundedUser() {
    const user = await t.gateway.users.create({ email: `v-${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough password' });
    const { key, plaintext } = await t.gateway.apiKeys.create(user.id, { name: 'k' });
    const granted = await t.gateway.billing.grant({ userId: user.id, amountNanos: usdToNanos('5'), reason: 'test', actor: 'test' });
    expect(granted.ok).toBe(true);
    return { userId: user.id, keyId: key.id, key: plaintext };
  }

  /** Opens an endless stream and returns its whole body once the gateway ends it (bounded). */
  async function streamUntilEnded(key: string, change: () => Promise<unknown>): Promise<{ code: string | undefined }> {
    const res = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Go on forever.' }], stream: true }),
    });
    expect(res.statusCode).toBe(200);
    const call = await upstream.nextCall();
    await change();
    const text = await Promise.race([
      res.body.text(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the stream did not end within 10 s')), 10_000).unref()),
    ]);
    await call.closed;
    const last = text
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: {'))
      .at(-1);
    return { code: (JSON.parse(last!.slice('data: '.length)) as { error?: { code: string } }).error?.code };
  }

  const expectSettled = async (userId: string) => {
    const holds = await t.gateway.store.db.selectFrom('holds').selectAll().where('user_id', '=', userId).execute();
    expect(holds.map((h) => h.status)).toEqual(['settled']);
    expect((await t.gateway.billing.getBalance(userId)).heldNanos).toBe(0n);
  };

  it('ends the stream of an account disabled here with user_disabled', async () => {
    const payer = await newFundedUser();
    const ended = await streamUntilEnded(payer.key, () => t.gateway.users.setStatus(payer.userId, 'disabled'));
    expect(ended.code).toBe('user_disabled');
    await expectSettled(payer.userId);
  });

  it('ends the stream of a key revoked here with key_disabled', async () => {
    const payer = await newFundedUser();
    const ended = await streamUntilEnded(payer.key, () => t.gateway.apiKeys.revoke(payer.userId, payer.keyId));
    expect(ended.code).toBe('key_disabled');
    await expectSettled(payer.userId);
  });

  it('ends the stream of a key revoked behind this instance (CLI, no Redis) within the check interval', async () => {
    const payer = await newFundedUser();
    const ended = await streamUntilEnded(payer.key, () =>
      t.gateway.store.db.updateTable('api_keys').set({ status: 'revoked', revoked_at: Date.now() }).where('id', '=', payer.keyId).execute(),
    );
    expect(ended.code).toBe('key_disabled');
    await expectSettled(payer.userId);
  });
});
