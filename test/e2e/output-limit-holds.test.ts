/**
 * A hold is sized on the output limit the upstream is actually sent. DeepSeek, Qwen, GLM and Kimi take
 * max_tokens; a request setting both limits must not be held on max_completion_tokens and sent max_tokens,
 * or the upstream writes past the hold and the overrun lands on a balance that cannot pay it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { usdToNanos } from '../../src/billing/money.js';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const maxTokensProviders = [
  { provider: 'deepseek', model: 'deepseek/deepseek-chat' },
  { provider: 'alibaba', model: 'qwen/qwen-plus' },
  { provider: 'zhipu', model: 'z-ai/glm-4.6' },
  { provider: 'moonshot', model: 'moonshotai/kimi-k2-0905' },
];

describe.each(dialects)('holds sized on the output limit sent upstream (%s)', (dialect) => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ dialect, providers: maxTokensProviders.map((p) => p.provider) });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A key whose account holds a few cents' thousandths: enough for a one-token answer, not for thousands. */
  async function newThinUser() {
    const user = await t.gateway.users.create({ email: `thin-${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough password' });
    const { plaintext } = await t.gateway.apiKeys.create(user.id, { name: 'thin' });
    const granted = await t.gateway.billing.grant({ userId: user.id, amountNanos: usdToNanos('0.00002'), reason: 'test', actor: 'test' });
    expect(granted.ok).toBe(true);
    return { userId: user.id, key: plaintext };
  }

  it.each(maxTokensProviders)('$model: max_completion_tokens 1 with max_tokens 4000 asks the upstream for one token', async ({ model }) => {
    const payer = await newThinUser();
    const res = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${payer.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, max_completion_tokens: 1, max_tokens: 4000, messages: [{ role: 'user', content: 'Tell me a long story.' }] }),
    });
    const body = (await res.body.json()) as { usage?: { completion_tokens: number; cost: number } };
    expect(res.statusCode).toBe(200);
    // The upstream wrote no more than the hold was sized for, so the whole charge was paid from the hold.
    expect(body.usage?.completion_tokens).toBeLessThanOrEqual(1);
    expect(String(res.headers['x-tokenhub-warnings'])).toContain('max_tokens');
    const balance = await t.gateway.billing.getBalance(payer.userId);
    expect(balance.heldNanos).toBe(0n);
    expect(balance.balanceNanos).toBe(usdToNanos('0.00002') - usdToNanos(String(body.usage?.cost)));
  });
});
