import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBillingService } from '../../src/billing/billing-service.js';
import { runReconcileCommand } from '../../src/billing/reconcile-command.js';
import { ManualClock } from '../../src/shared/clock.js';
import { insertUser, openTestStore, type TestStore } from '../support/billing-test-store.js';

describe('the reconcile command', () => {
  let t: TestStore;
  let out: string[];
  let err: string[];
  // The holds below are live (unexpired) at this clock's time, which the command is run at.
  const clock = new ManualClock();
  const io = { stdout: (line: string) => out.push(line), stderr: (line: string) => err.push(line) };

  beforeEach(async () => {
    t = await openTestStore('sqlite', 'cmd');
    out = [];
    err = [];
    const billing = createBillingService({ db: t.store.db, clock });
    for (let i = 0; i < 3; i++) {
      const userId = await insertUser(t.store);
      await billing.grant({ userId, amountNanos: 1_000_000_000n, reason: 'r', actor: 'a' });
      await billing.reserve({ userId, amountNanos: 1000n });
    }
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('exits 0 and reports every account checked when the ledger holds', async () => {
    expect(await runReconcileCommand(t.store.db, io, undefined, clock.now())).toBe(0);
    expect(out).toEqual(['3 accounts checked, 0 failing']);
    expect(err).toEqual([]);
  });

  it('exits 1 and names the broken account', async () => {
    const victim = await t.store.db.selectFrom('accounts').select('user_id').executeTakeFirstOrThrow();
    await t.store.db.updateTable('accounts').set({ balance_nanos: 1n }).where('user_id', '=', victim.user_id).execute();
    expect(await runReconcileCommand(t.store.db, io, undefined, clock.now())).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain(victim.user_id);
    expect(out.at(-1)).toBe('3 accounts checked, 1 failing');
  });

  it('checks one user on request and prints it even when healthy', async () => {
    const one = await t.store.db.selectFrom('accounts').select('user_id').executeTakeFirstOrThrow();
    expect(await runReconcileCommand(t.store.db, io, one.user_id, clock.now())).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^${one.user_id}: balance \\$1\\.00, held \\$0\\.000001, 2 entries — ok$`));
  });
});
