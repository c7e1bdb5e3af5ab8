import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { usdToNanos } from '../../src/billing/money.js';
import { normalizeRedemptionCode } from '../../src/billing/redemption-codes.js';
import { ManualClock } from '../../src/shared/clock.js';
import { DIALECTS, insertUser, openTestStore, type TestStore } from '../support/billing-test-store.js';

const usd = usdToNanos;

describe.each(DIALECTS)('credits on %s', (dialect) => {
  let t: TestStore;
  let clock: ManualClock;
  let billing: BillingService;
  let userId: string;

  beforeEach(async () => {
    t = await openTestStore(dialect, 'topups');
    clock = new ManualClock();
    billing = createBillingService({ db: t.store.db, clock, options: { signupBonusNanos: usd('0.50') } });
    userId = await insertUser(t.store);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('grants the sign-up bonus once, however often the account is opened', async () => {
    await billing.openAccount(userId);
    await billing.openAccount(userId);
    expect((await billing.getBalance(userId)).balanceNanos).toBe(usd('0.5'));
    const entries = (await billing.listLedger({ userId, limit: 10 })).entries;
    expect(entries.map((e) => e.kind)).toEqual(['signup_bonus']);
  });

  it('opens an account with no bonus when the bonus is 0 (the default)', async () => {
    const plain = createBillingService({ db: t.store.db, clock });
    await plain.openAccount(userId);
    expect(await plain.getBalance(userId)).toEqual({ balanceNanos: 0n, heldNanos: 0n, availableNanos: 0n, debtNanos: 0n });
    expect((await plain.listLedger({ userId, limit: 10 })).entries).toEqual([]);
  });

  describe('admin adjustments', () => {
    it('grants and deducts with the reason and actor in the ledger', async () => {
      expect(await billing.grant({ userId, amountNanos: usd('3'), reason: 'goodwill', actor: 'usr_admin' })).toEqual({
        ok: true,
        balanceNanos: usd('3'),
        availableNanos: usd('3'),
      });
      expect(await billing.deduct({ userId, amountNanos: usd('1'), reason: 'chargeback', actor: 'usr_admin' })).toMatchObject({ ok: true, balanceNanos: usd('2') });
      const [deduction, grant] = (await billing.listLedger({ userId, limit: 10 })).entries;
      expect(deduction).toMatchObject({ kind: 'adjustment', amountNanos: -usd('1'), reason: 'chargeback', actor: 'usr_admin' });
      expect(grant).toMatchObject({ kind: 'adjustment', amountNanos: usd('3'), reason: 'goodwill', actor: 'usr_admin' });
    });

    it('never deducts below the available balance', async () => {
      await billing.grant({ userId, amountNanos: usd('2'), reason: 'r', actor: 'a' });
      await billing.reserve({ userId, amountNanos: usd('1.5') });
      const result = await billing.deduct({ userId, amountNanos: usd('1'), reason: 'too much', actor: 'a' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('conflict');
      expect((await billing.getBalance(userId)).balanceNanos).toBe(usd('2'));
    });

    it('requires a reason and a positive amount', async () => {
      await expect(billing.grant({ userId, amountNanos: usd('1'), reason: '  ', actor: 'a' })).rejects.toThrow(/reason/);
      await expect(billing.grant({ userId, amountNanos: 0n, reason: 'r', actor: 'a' })).rejects.toThrow(/positive/);
    });

    it('refuses a grant to an unknown user', async () => {
      const result = await billing.grant({ userId: 'usr_nobody', amountNanos: 1n, reason: 'r', actor: 'a' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('not_found');
    });
  });

  describe('redemption codes', () => {
    it('credits a code once, accepting it typed in lower case without dashes', async () => {
      const batch = await billing.createRedemptionBatch({ amountNanos: usd('10'), count: 3, expiresAt: null, note: 'launch', actor: 'usr_admin' });
      expect(batch.codes).toHaveLength(3);
      expect(new Set(batch.codes).size).toBe(3);
      for (const code of batch.codes) expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      const typed = normalizeRedemptionCode(batch.codes[0]!).toLowerCase();
      expect(await billing.redeemCode(userId, typed)).toEqual({ ok: true, amountNanos: usd('10'), balanceNanos: usd('10') });
      const again = await billing.redeemCode(userId, batch.codes[0]!);
      expect(again.ok).toBe(false);
      if (!again.ok) expect(again.error.code).toBe('conflict');
      const [entry] = (await billing.listLedger({ userId, limit: 1 })).entries;
      expect(entry).toMatchObject({ kind: 'redemption', amountNanos: usd('10') });
      expect(entry?.reference).toMatch(/^code_/);
      const [summary] = await billing.listRedemptionBatches();
      expect(summary).toMatchObject({ id: batch.batchId, codeCount: 3, redeemedCount: 1, note: 'launch', amountNanos: usd('10') });
    });

    it('refuses an expired code and an unknown one', async () => {
      const batch = await billing.createRedemptionBatch({ amountNanos: usd('1'), count: 1, expiresAt: clock.now() + 1000, note: null, actor: 'a' });
      clock.advance(1000);
      const expired = await billing.redeemCode(userId, batch.codes[0]!);
      expect(expired.ok === false && expired.error.message).toMatch(/expired/);
      const unknown = await billing.redeemCode(userId, 'AAAA-BBBB-CCCC-DDDD');
      expect(unknown.ok === false && unknown.error.code).toBe('not_found');
      expect((await billing.getBalance(userId)).balanceNanos).toBe(0n);
    });

    it('stores only hashes of the codes', async () => {
      const batch = await billing.createRedemptionBatch({ amountNanos: usd('1'), count: 2, expiresAt: null, note: null, actor: 'a' });
      const rows = await t.store.db.selectFrom('redemption_codes').selectAll().execute();
      const stored = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      for (const code of batch.codes) expect(stored).not.toContain(normalizeRedemptionCode(code));
    });
  });

  describe('refunds', () => {
    it('refunds a settled request at most up to its charge', async () => {
      await billing.grant({ userId, amountNanos: usd('1'), reason: 'r', actor: 'a' });
      const hold = await billing.reserve({ userId, requestId: 'gen-r', amountNanos: usd('0.5') });
      if (!hold.ok) throw hold.error;
      await billing.settle(hold.holdId, { costNanos: usd('0.4'), estimated: false });
      expect(await billing.refund({ requestId: 'gen-r', amountNanos: usd('0.1'), reason: 'bad answer', actor: 'usr_admin' })).toEqual({
        ok: true,
        refundedNanos: usd('0.1'),
        balanceNanos: usd('0.7'),
      });
      const tooMuch = await billing.refund({ requestId: 'gen-r', amountNanos: usd('0.31'), reason: 'again', actor: 'usr_admin' });
      expect(tooMuch.ok).toBe(false);
      expect(await billing.refund({ requestId: 'gen-r', reason: 'the rest', actor: 'usr_admin' })).toMatchObject({ ok: true, refundedNanos: usd('0.3') });
      expect((await billing.getBalance(userId)).balanceNanos).toBe(usd('1'));
      const totals = await billing.platformTotals({});
      expect(totals).toMatchObject({ chargedNanos: usd('0.4'), refundedNanos: usd('0.4'), revenueNanos: 0n, adjustmentsNanos: usd('1') });
      expect((await billing.reconcile()).ok).toBe(true);
    });

    it('refuses to refund an unknown or unsettled request', async () => {
      await billing.grant({ userId, amountNanos: usd('1'), reason: 'r', actor: 'a' });
      await billing.reserve({ userId, requestId: 'gen-open', amountNanos: usd('0.5') });
      const open = await billing.refund({ requestId: 'gen-open', reason: 'r', actor: 'a' });
      expect(open.ok === false && open.error.code).toBe('conflict');
      const unknown = await billing.refund({ requestId: 'gen-none', reason: 'r', actor: 'a' });
      expect(unknown.ok === false && unknown.error.code).toBe('not_found');
    });
  });

  describe('multipliers', () => {
    it('resolves group and per-model overrides in order', async () => {
      await billing.upsertGroup({ id: 'vip', name: 'VIP', multiplier: '0.80' });
      expect(await billing.multiplierFor('default', 'openai/gpt-x')).toMatchObject({ text: '1', source: 'group' });
      expect(await billing.multiplierFor('vip', 'openai/gpt-x')).toMatchObject({ text: '0.8', source: 'group' });
      expect(await billing.multiplierFor('missing', 'openai/gpt-x')).toMatchObject({ text: '1', source: 'default' });
      await billing.setModelMultiplier({ groupId: '*', modelId: 'openai/gpt-x', multiplier: '1.5' });
      expect(await billing.multiplierFor('vip', 'openai/gpt-x')).toMatchObject({ text: '1.5', source: 'model_all_groups' });
      await billing.setModelMultiplier({ groupId: 'vip', modelId: 'openai/gpt-x', multiplier: '1.2' });
      expect(await billing.multiplierFor('vip', 'openai/gpt-x')).toMatchObject({ text: '1.2', source: 'model_group' });
      expect(await billing.multiplierFor('default', 'openai/gpt-x')).toMatchObject({ text: '1.5' });
      expect(await billing.deleteModelMultiplier('vip', 'openai/gpt-x')).toBe(true);
      expect(await billing.multiplierFor('vip', 'openai/gpt-x')).toMatchObject({ text: '1.5' });
    });

    it('keeps the tables in memory: its own writes show at once and are announced, others show after a reload', async () => {
      let announced = 0;
      billing.onMultipliersChange(() => announced++);
      expect(await billing.multiplierFor('default', 'openai/gpt-x')).toMatchObject({ text: '1' });
      await billing.setModelMultiplier({ groupId: 'default', modelId: 'openai/gpt-x', multiplier: '2' });
      expect(announced).toBe(1);
      expect(await billing.multiplierFor('default', 'openai/gpt-x')).toMatchObject({ text: '2', source: 'model_group' });

      // Another instance's write reaches the store but not this copy until its event says reload.
      await t.store.db.updateTable('model_multipliers').set({ multiplier: '3' }).where('model_id', '=', 'openai/gpt-x').execute();
      expect(await billing.multiplierFor('default', 'openai/gpt-x')).toMatchObject({ text: '2' });
      billing.reloadMultipliers();
      expect(await billing.multiplierFor('default', 'openai/gpt-x')).toMatchObject({ text: '3' });
      expect(announced).toBe(1);

      await billing.upsertGroup({ id: 'vip', name: 'VIP', multiplier: '0.5' });
      expect(await billing.deleteModelMultiplier('default', 'openai/gpt-x')).toBe(true);
      expect(announced).toBe(3);
      expect(await billing.multiplierFor('vip', 'openai/gpt-x')).toMatchObject({ text: '0.5', source: 'group' });
    });

    it('quotes usage with the multiplier and the upstream cost without it', async () => {
      await billing.upsertGroup({ id: 'resell', name: 'Resellers', multiplier: '1.25' });
      const model = {
        id: 'openai/gpt-x',
        pricing: { kind: 'tokens' as const, inputPerMTok: '2', outputPerMTok: '8' },
      } as Parameters<BillingService['quoteUsage']>[0]['model'];
      const quote = await billing.quoteUsage({
        groupId: 'resell',
        model,
        usage: { kind: 'tokens', usage: { inputTokens: 1000, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1000, reasoningTokens: 0 } },
      });
      expect(quote).toEqual({ costNanos: 12_500_000n, upstreamCostNanos: 10_000_000n, multiplier: '1.25' });
    });
  });
});
