/**
 * Review findings on the chat money path: every hold must end settled or released, and a stream that breaks
 * after delivering text is charged for the delivered text, even when the upstream had sent a partial usage.
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
    t = await startTestGateway({ providers: ['deepseek', 'anthropic'], config: { billing: { adminInitialCreditUsd: '0' } } });
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

  it('closes the hold of a stream whose dropped-parameter warning cannot be a header value', async () => {
    const payer = await newFundedUser();
    // DeepSeek drops unknown fields with a warning naming them; the name is the client's own JSON key.
    const res = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${payer.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Hi' }], stream: true, 温度: 1 }),
    });
    await res.body.text().catch(() => '');
    await t.gateway.requestLog.settled();
    expect((await t.gateway.billing.getBalance(payer.userId)).heldNanos).toBe(0n);
  });

  it('charges a broken Anthropic stream at least for the text it delivered', async () => {
    const payer = await newFundedUser();
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    // message_start (with its usage: output_tokens 1), ping, block start, then 40 deltas of three words.
    t.upstreams.enqueueFault('anthropic', { kind: 'truncate', afterFrames: 43 });
    const client = t.client(payer.key);
    const stream = await client.chat.completions.create({ model: 'anthropic/claude-haiku-4-5', messages: [{ role: 'user', content: words }], stream: true });
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
    expect((await t.gateway.billing.getBalance(payer.userId)).heldNanos).toBe(0n);
  });
});
