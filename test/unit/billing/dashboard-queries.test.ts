/**
 * The billing queries the dashboard's overview and key list read through the billing service: spend totals,
 * tokens by local day, and each key's charged spend with its limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingService, type BillingService } from '../../../src/billing/billing-service.js';
import { ManualClock } from '../../../src/shared/clock.js';
import type { RequestLogsTable } from '../../../src/store/schema.js';
import { DIALECTS, insertApiKey, insertUser, openTestStore, type TestStore } from '../../support/billing-test-store.js';

const T0 = Date.UTC(2026, 2, 15, 12);
const HOUR = 3600_000;

describe.each(DIALECTS)('dashboard billing queries on %s', (dialect) => {
  let t: TestStore;
  let billing: BillingService;
  let alice: string;
  let bob: string;
  let aliceKey: string;
  let aliceOtherKey: string;

  function logRow(row: Partial<RequestLogsTable> & { id: string; user_id: string }): RequestLogsTable {
    return {
      request_id: null,
      api_key_id: null,
      endpoint: '/api/v1/chat/completions',
      model: 'openai/gpt-a',
      provider: 'openai',
      channel_id: null,
      stream: 0,
      status: 200,
      error_code: null,
      latency_ms: 100,
      ttfb_ms: 20,
      prompt_tokens: 10,
      completion_tokens: 5,
      cached_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      cost_nanos: 1000n,
      estimated: 0,
      finish_reason: 'stop',
      warnings: null,
      created_at: T0,
      ...row,
    } as RequestLogsTable;
  }

  beforeAll(async () => {
    t = await openTestStore(dialect, 'dashq');
    billing = createBillingService({ db: t.store.db, clock: new ManualClock(T0) });
    alice = await insertUser(t.store);
    bob = await insertUser(t.store);
    aliceKey = await insertApiKey(t.store, alice);
    aliceOtherKey = await insertApiKey(t.store, alice);
    await t.store.db
      .insertInto('request_logs')
      .values([
        logRow({ id: 'g1', user_id: alice, created_at: T0 - HOUR, prompt_tokens: 7, completion_tokens: 3, cost_nanos: 2000n }),
        logRow({ id: 'g2', user_id: alice, created_at: T0 - 2 * HOUR, cost_nanos: null, status: 402 }),
        logRow({ id: 'g3', user_id: alice, created_at: T0 - 30 * HOUR, prompt_tokens: 100, completion_tokens: 50 }),
        logRow({ id: 'g4', user_id: bob, created_at: T0 - HOUR, cost_nanos: 9_000_000n }),
      ])
      .execute();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('totals cost and counts every matching request, priced or not, of that user only', async () => {
    expect(await billing.spendTotal({ userId: alice, from: T0 - 3 * HOUR })).toEqual({ costNanos: 2000n, requests: 2 });
    expect(await billing.spendTotal({ userId: alice })).toEqual({ costNanos: 3000n, requests: 3 });
    expect(await billing.spendTotal({ userId: 'usr_nobody' })).toEqual({ costNanos: 0n, requests: 0 });
  });

  it('sums tokens per local day', async () => {
    const days = await billing.spendByDay({ userId: alice }, 0);
    expect(days).toEqual([
      { day: '2026-03-14', costNanos: 1000n, requests: 1, promptTokens: 100, completionTokens: 50 },
      { day: '2026-03-15', costNanos: 2000n, requests: 2, promptTokens: 17, completionTokens: 8 },
    ]);
  });

  it("lists each of one user's keys with its charged spend and limit, never another user's", async () => {
    await t.store.db
      .insertInto('api_key_spend')
      .values([
        { api_key_id: aliceKey, day: '2026-03-14', spent_nanos: 300n },
        { api_key_id: aliceKey, day: '2026-03-15', spent_nanos: 200n },
      ])
      .execute();
    await billing.setKeySpendLimit({ apiKeyId: aliceOtherKey, userId: alice, totalLimitNanos: null, period: 'day', periodLimitNanos: 5000n, setByAdmin: true });
    const spend = await billing.keySpendOfUser(alice);
    expect([...spend.spent]).toEqual([[aliceKey, 500n]]);
    expect(spend.limits.get(aliceOtherKey)).toEqual({
      apiKeyId: aliceOtherKey,
      userId: alice,
      totalLimitNanos: null,
      period: 'day',
      periodLimitNanos: 5000n,
      setByAdmin: true,
    });
    const bobs = await billing.keySpendOfUser(bob);
    expect(bobs.spent.size + bobs.limits.size).toBe(0);
  });
});
