/**
 * The first start of an empty store: an admin and a first API key are created once, and that key can call a
 * model right away because the operator's account starts with a recorded credit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { usdToNanos } from '../../src/billing/money.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { expectApiError } from '../support/openai-assertions.js';

const chat = { model: 'deepseek/deepseek-chat', messages: [{ role: 'user' as const, content: 'Hello!' }] };

describe('first start', () => {
  let t: TestGateway | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('gives the admin a recorded operator credit so the printed key works at once', async () => {
    t = await startTestGateway({ providers: ['deepseek'], creditUsd: '0' });
    const admin = (await t.gateway.users.getByEmail(t.gateway.config.adminEmail))!;
    expect((await t.gateway.billing.getBalance(admin.id)).balanceNanos).toBe(usdToNanos('100'));
    const ledger = await t.gateway.billing.listLedger({ userId: admin.id, limit: 10 });
    expect(ledger.entries.map((e) => e.reason)).toEqual(['initial operator credit (TOKENHUB_ADMIN_INITIAL_CREDIT_USD)']);

    const reply = await t.client(t.adminKey).chat.completions.create(chat);
    expect(reply.choices[0]?.message.content).toContain('Hello!');
    // An ordinary user starts at zero (sign-up bonus 0) and is refused.
    await expectApiError(t.client().chat.completions.create(chat), 402, 'insufficient_quota');
    expect((await t.gateway.billing.reconcile()).ok).toBe(true);
  });

  it('grants nothing when TOKENHUB_ADMIN_INITIAL_CREDIT_USD is 0', async () => {
    t = await startTestGateway({ providers: ['deepseek'], creditUsd: '0', config: { billing: { adminInitialCreditUsd: '0' } } });
    await expectApiError(t.client(t.adminKey).chat.completions.create(chat), 402, 'insufficient_quota');
  });
});
