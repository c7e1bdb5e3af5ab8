/**
 * A stream the client cuts is charged for what the upstream was asked to do: once the upstream accepted the
 * request (2xx), the prompt, at least the delivered output, and any usage the upstream reported. An upstream
 * that fails before any output still costs nothing (see chat-money-edge-cases.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { usdToNanos } from '../../src/billing/money.js';
import { countChatPromptTokens } from '../../src/billing/token-count.js';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

describe.each(dialects)('a stream cut by the client on %s', (dialect) => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ dialect, providers: ['openai'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function newFundedUser() {
    const user = await t.gateway.users.create({ email: `c-${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough password' });
    const { plaintext } = await t.gateway.apiKeys.create(user.id, { name: 'k' });
    const granted = await t.gateway.billing.grant({ userId: user.id, amountNanos: usdToNanos('5'), reason: 'test', actor: 'test' });
    expect(granted.ok).toBe(true);
    return { userId: user.id, key: plaintext };
  }

  it('charges the prompt of a stream cut before its first token', async () => {
    const payer = await newFundedUser();
    const chat = { model: 'openai/gpt-4.1', messages: [{ role: 'user' as const, content: 'Please think about this long question for a while.' }], max_tokens: 2000 };
    // The upstream accepts and sends its role chunk (no text), then stays silent.
    t.upstreams.enqueueFault('openai', { kind: 'stall', afterFrames: 1 });
    const controller = new AbortController();
    const res = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${payer.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...chat, stream: true }),
    });
    expect(res.statusCode).toBe(200);
    const upstreamAborted = t.upstreams.waitForAbort();
    // Read up to the role chunk, so the gateway has surely relayed the upstream's acceptance.
    for await (const bytes of res.body) if (String(bytes).includes('"role":"assistant"')) break;
    controller.abort();
    await upstreamAborted;

    let row;
    for (let attempt = 0; !row && attempt < 200; attempt++) {
      await t.gateway.requestLog.settled();
      row = await t.gateway.store.db.selectFrom('request_logs').selectAll().where('user_id', '=', payer.userId).executeTakeFirst();
    }
    expect(row).toBeDefined();
    expect(row!.prompt_tokens).toBe(countChatPromptTokens(chat));
    expect(row!.completion_tokens).toBe(0);
    expect(row!.estimated).toBe(1);
    const balance = await t.gateway.billing.getBalance(payer.userId);
    expect(balance.heldNanos).toBe(0n);
    expect(balance.balanceNanos).toBeLessThan(usdToNanos('5'));
    expect(usdToNanos('5') - balance.balanceNanos).toBe(BigInt(row!.cost_nanos ?? -1));
    expect((await t.gateway.billing.reconcile()).ok).toBe(true);
  });
});
