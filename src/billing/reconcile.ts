/**
 * Proves the ledger for every account (or one): the stored balance, held amount and debt equal the sums of
 * the account's entries, the held amount equals its open holds, entries are numbered 1…n without gaps, every
 * entry's balance_after/held_after/debt_after follows from the previous one, the last entry matches the
 * account, 0 ≤ held ≤ balance, debt ≥ 0, and an account that owes has nothing available (balance = held).
 */
import { sql } from 'kysely';
import type { BillingDb } from './account-ledger.js';
import { findStrandedHolds, type StrandedHold } from './stranded-holds.js';

export interface AccountReconciliation {
  userId: string;
  balanceNanos: bigint;
  heldNanos: bigint;
  debtNanos: bigint;
  ledgerBalanceNanos: bigint;
  ledgerHeldNanos: bigint;
  ledgerDebtNanos: bigint;
  openHoldsNanos: bigint;
  entries: number;
  ok: boolean;
  problems: string[];
}

export interface ReconciliationReport {
  ok: boolean;
  accountsChecked: number;
  /** Every account with a problem, and (when one user was asked for) that account either way. */
  accounts: AccountReconciliation[];
  /** Open holds nothing will close before they expire (see stranded-holds.ts); any of them fails the report. */
  strandedHolds: StrandedHold[];
}

interface Sums {
  balance: bigint;
  held: bigint;
  debt: bigint;
  entries: number;
  maxSeq: number;
}

/** Reads everything in one repeatable-read transaction, so money moving meanwhile cannot fake a mismatch. */
export async function reconcileAccounts(db: BillingDb, userId?: string, now: number = Date.now()): Promise<ReconciliationReport> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      let accountsQuery = trx.selectFrom('accounts').select(['user_id', 'balance_nanos', 'held_nanos', 'debt_nanos', 'ledger_seq']);
      if (userId !== undefined) accountsQuery = accountsQuery.where('user_id', '=', userId);
      const accounts = await accountsQuery.execute();
      const report = buildReport(accounts, await ledgerSums(trx, userId), await openHoldSums(trx, userId), await chainBreaks(trx, userId), userId);
      const strandedHolds = await findStrandedHolds(trx, { now, userId });
      return { ...report, ok: report.ok && strandedHolds.length === 0, strandedHolds };
    });
}

function buildReport(
  accounts: Array<{ user_id: string; balance_nanos: bigint; held_nanos: bigint; debt_nanos: bigint; ledger_seq: number }>,
  sums: Map<string, Sums>,
  openHolds: Map<string, bigint>,
  breaks: Map<string, number>,
  userId: string | undefined,
): Omit<ReconciliationReport, 'strandedHolds'> {
  const checked = accounts.map((account) =>
    checkAccount(
      {
        userId: account.user_id,
        balance: BigInt(account.balance_nanos),
        held: BigInt(account.held_nanos),
        debt: BigInt(account.debt_nanos),
        seq: Number(account.ledger_seq),
      },
      sums.get(account.user_id) ?? { balance: 0n, held: 0n, debt: 0n, entries: 0, maxSeq: 0 },
      openHolds.get(account.user_id) ?? 0n,
      breaks.get(account.user_id) ?? 0,
    ),
  );
  const failing = checked.filter((account) => !account.ok);
  return { ok: failing.length === 0, accountsChecked: checked.length, accounts: userId !== undefined ? checked : failing };
}

function checkAccount(
  account: { userId: string; balance: bigint; held: bigint; debt: bigint; seq: number },
  sums: Sums,
  openHoldsNanos: bigint,
  chainBreakCount: number,
): AccountReconciliation {
  const problems: string[] = [];
  if (account.balance !== sums.balance) problems.push(`balance ${account.balance} ≠ Σ entries ${sums.balance}`);
  if (account.held !== sums.held) problems.push(`held ${account.held} ≠ Σ held deltas ${sums.held}`);
  if (account.debt !== sums.debt) problems.push(`debt ${account.debt} ≠ Σ debt deltas ${sums.debt}`);
  if (account.held !== openHoldsNanos) problems.push(`held ${account.held} ≠ Σ open holds ${openHoldsNanos}`);
  if (sums.entries !== sums.maxSeq || sums.maxSeq !== account.seq) problems.push(`entries ${sums.entries}, last seq ${sums.maxSeq}, account seq ${account.seq}`);
  if (chainBreakCount > 0) problems.push(`${chainBreakCount} entries do not follow from the previous one`);
  if (account.held < 0n || account.held > account.balance) problems.push(`held ${account.held} outside 0…balance ${account.balance}`);
  if (account.debt < 0n) problems.push(`debt ${account.debt} is negative`);
  if (account.debt > 0n && account.balance !== account.held) problems.push(`debt ${account.debt} unpaid while ${account.balance - account.held} is available`);
  return {
    userId: account.userId,
    balanceNanos: account.balance,
    heldNanos: account.held,
    debtNanos: account.debt,
    ledgerBalanceNanos: sums.balance,
    ledgerHeldNanos: sums.held,
    ledgerDebtNanos: sums.debt,
    openHoldsNanos,
    entries: sums.entries,
    ok: problems.length === 0,
    problems,
  };
}

async function ledgerSums(db: BillingDb, userId: string | undefined): Promise<Map<string, Sums>> {
  let query = db
    .selectFrom('ledger_entries')
    .select((eb) => [
      'user_id',
      eb.fn.sum<bigint>('amount_nanos').as('balance_nanos'),
      eb.fn.sum<bigint>('held_delta_nanos').as('held_nanos'),
      eb.fn.sum<bigint>('debt_delta_nanos').as('debt_nanos'),
      eb.fn.countAll<number>().as('entries'),
      eb.fn.max('seq').as('max_seq'),
    ])
    .groupBy('user_id');
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  const rows = await query.execute();
  return new Map(
    rows.map((row) => [
      row.user_id,
      { balance: BigInt(row.balance_nanos), held: BigInt(row.held_nanos), debt: BigInt(row.debt_nanos), entries: Number(row.entries), maxSeq: Number(row.max_seq) },
    ]),
  );
}

async function openHoldSums(db: BillingDb, userId: string | undefined): Promise<Map<string, bigint>> {
  let query = db
    .selectFrom('holds')
    .select((eb) => ['user_id', eb.fn.sum<bigint>('amount_nanos').as('held_nanos')])
    .where('status', '=', 'open')
    .groupBy('user_id');
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.user_id, BigInt(row.held_nanos)]));
}

/** Entries whose before-values (after − delta) differ from the previous entry's after-values (0 before the first). */
async function chainBreaks(db: BillingDb, userId: string | undefined): Promise<Map<string, number>> {
  let query = db
    .selectFrom('ledger_entries as e')
    .leftJoin('ledger_entries as p', (join) => join.onRef('p.user_id', '=', 'e.user_id').on('p.seq', '=', sql<number>`e.seq - 1`))
    .select((eb) => ['e.user_id', eb.fn.countAll<number>().as('breaks')])
    .where((eb) =>
      eb.or([
        eb(sql`e.balance_after_nanos - e.amount_nanos`, '<>', sql`coalesce(p.balance_after_nanos, 0)`),
        eb(sql`e.held_after_nanos - e.held_delta_nanos`, '<>', sql`coalesce(p.held_after_nanos, 0)`),
        eb(sql`e.debt_after_nanos - e.debt_delta_nanos`, '<>', sql`coalesce(p.debt_after_nanos, 0)`),
      ]),
    )
    .groupBy('e.user_id');
  if (userId !== undefined) query = query.where('e.user_id', '=', userId);
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.user_id, Number(row.breaks)]));
}
