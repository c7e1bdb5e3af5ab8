import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/accounts/auth-context.js';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { estimateChatHold } from '../../src/billing/hold-estimate.js';
import { usdToNanos } from '../../src/billing/money.js';
import { parseMultiplier } from '../../src/billing/multiplier.js';
import { isGatewayError } from '../../src/shared/errors.js';
import type { ChatRequest } from '../../src/providers/openai/chat-types.js';
import { ManualClock } from '../../src/shared/clock.js';
import { testChatModel } from '../support/test-models.js';
import { DIALECTS, insertApiKey, insertUser, openTestStore, type TestStore } from '../support/billing-test-store.js';

const model = testChatModel();

const request = { model: model.id, messages: [{ role: 'user', content: 'Hello world' }], max_tokens: 1000 } as ChatRequest;

describe.each(DIALECTS)('the chat pipeline port on %s', (dialect) => {
  let t: TestStore;
  let billing: BillingService;
  let auth: AuthContext;

  beforeEach(async () => {
    t = await openTestStore(dialect, 'chatport');
    billing = createBillingService({ db: t.store.db, clock: new ManualClock() });
    await billing.upsertGroup({ id: 'resell', name: 'Resellers', multiplier: '1.5' });
    const userId = await insertUser(t.store, { groupId: 'resell' });
    const keyId = await insertApiKey(t.store, userId);
    auth = { userId, role: 'user', groupId: 'resell', via: 'api_key', key: { id: keyId, allowedModels: null, allowedIps: null, adminScope: false } };
    await billing.grant({ userId, amountNanos: usdToNanos('1'), reason: 'test', actor: 'test' });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('holds the worst case at the group multiplier, then charges the priced usage and frees the rest', async () => {
    const hold = await billing.chat.reserve({ auth, generationId: 'gen-chat-1', model, request });
    expect(hold.amountNanos).toBe(estimateChatHold(request, model, parseMultiplier('1.5')));
    expect((await billing.getBalance(auth.userId)).heldNanos).toBe(hold.amountNanos);

    const usage = { inputTokens: 9, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 20, reasoningTokens: 0 };
    const charged = await hold.settle(usage, false);
    expect(charged).toBe(((9n * 2000n + 20n * 8000n) * 3n) / 2n);
    expect(await hold.settle(usage, false)).toBe(charged);
    expect(await billing.getBalance(auth.userId)).toEqual({ balanceNanos: usdToNanos('1') - charged, heldNanos: 0n, availableNanos: usdToNanos('1') - charged, debtNanos: 0n });
    const row = await t.store.db.selectFrom('holds').selectAll().where('request_id', '=', 'gen-chat-1').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ api_key_id: auth.key?.id, upstream_cost_nanos: 9n * 2000n + 20n * 8000n, estimated: 0 });
  });

  it('throws 402 insufficient_quota when the worst case does not fit', async () => {
    const huge = { ...request, max_tokens: 1_000_000 } as ChatRequest;
    const error = await billing.chat.reserve({ auth, generationId: 'gen-chat-2', model, request: huge }).catch((e: unknown) => e);
    expect(isGatewayError(error) && error.code).toBe('insufficient_quota');
    expect(isGatewayError(error) && error.status).toBe(402);
    expect((await billing.getBalance(auth.userId)).heldNanos).toBe(0n);
  });

  it('releases a failed call at no cost', async () => {
    const hold = await billing.chat.reserve({ auth, generationId: 'gen-chat-3', model, request });
    await hold.release();
    expect(await billing.getBalance(auth.userId)).toEqual({ balanceNanos: usdToNanos('1'), heldNanos: 0n, availableNanos: usdToNanos('1'), debtNanos: 0n });
    await expect(hold.settle({ inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 }, false)).rejects.toThrow(/released/);
  });

  it('counts tokens locally for estimated charges', () => {
    expect(billing.chat.countTokens('Hello world, how are you?')).toBe(7);
    expect(billing.chat.countPromptTokens(request)).toBeGreaterThan(2);
  });
});
