/**
 * Review findings on the chat money path: every hold ends settled or released, a call the client never
 * received costs nothing, and a stream that breaks is charged for what it delivered, not for the partial
 * usage an upstream announced at its start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { request } from 'undici';
import { usdToNanos } from '../../src/billing/money.js';
import { countTokens } from '../../src/billing/token-count.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

describe('chat money path (review)', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ providers: ['deepseek', 'anthropic'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function newFundedUser() {
    const user = await t.gateway.users.create({ email: `r-${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough password' });
    const { plaintext } = await t.gateway.apiKeys.create(user.id, { name: 'k' });
    const granted = await t.gateway.billing.grant({ userId: user.id, amountNanos: usdToNanos('5'), reason: 'test', actor: 'test' });
    expect(granted.ok).toBe(true);
    return { userId: user.id, key: plaintext };
  }

  /** DeepSeek drops unknown fields with a warning naming them; here the name is a client JSON key no header can carry. */
  async function postWithForeignField(key: string, stream: boolean) {
    const res = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      // Bounds the wait when the gateway never answers (the failure this guards against), instead of hanging.
      headersTimeout: 10_000,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Hi' }], stream, 温度: 1 }),
    });
    await res.body.text();
    return res;
  }

  it('answers a stream whose dropped parameter has a non-ASCII name, and closes its hold', async () => {
    const payer = await newFundedUser();
    const res = await postWithForeignField(payer.key, true);
    expect(res.statusCode).toBe(200);
    expect((await t.gateway.billing.getBalance(payer.userId)).heldNanos).toBe(0n);
  });

  it('answers a non-stream call whose dropped parameter has a non-ASCII name, rather than charging for a 500', async () => {
    const payer = await newFundedUser();
    const res = await postWithForeignField(payer.key, false);
    expect(res.statusCode).toBe(200);
  });

  it('charges a truncated Anthropic stream at least for the text it delivered', async () => {
    const payer = await newFundedUser();
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    // message_start (its usage says output_tokens: 1), ping, block start, then 40 deltas of three words each.
    t.upstreams.enqueueFault('anthropic', { kind: 'truncate', afterFrames: 43 });
    const stream = await t.client(payer.key).chat.completions.create({ model: 'anthropic/claude-haiku-4-5', messages: [{ role: 'user', content: words }], stream: true });
    let delivered = '';
    const failure = await (async () => {
      for await (const chunk of stream) delivered += chunk.choices[0]?.delta?.content ?? '';
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(countTokens(delivered)).toBeGreaterThan(50);
    await t.gateway.requestLog.settled();
    const row = await t.gateway.store.db.selectFrom('request_logs').selectAll().where('user_id', '=', payer.userId).executeTakeFirstOrThrow();
    expect(row.completion_tokens).toBeGreaterThanOrEqual(countTokens(delivered));
    expect(row.estimated).toBe(1);
  });

  it('charges nothing for an Anthropic stream that broke before delivering any text', async () => {
    const payer = await newFundedUser();
    // message_start and ping only: the upstream announced its input usage, then the connection died.
    t.upstreams.enqueueFault('anthropic', { kind: 'break', afterFrames: 2 });
    const stream = await t.client(payer.key).chat.completions.create({ model: 'anthropic/claude-haiku-4-5', messages: [{ role: 'user', content: 'Hello there' }], stream: true });
    const failure = await (async () => {
      for await (const chunk of stream) expect(chunk.choices[0]?.delta?.content ?? '').toBe('');
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    await t.gateway.requestLog.settled();
    expect(await t.gateway.billing.getBalance(payer.userId)).toMatchObject({ balanceNanos: usdToNanos('5'), heldNanos: 0n });
  });
});
