/**
 * The one way money moves: lock the account row, then append a ledger entry and update the account in the same
 * transaction. The lock is an UPDATE … RETURNING on the account row, which on PostgreSQL takes the row lock
 * (concurrent writers queue and then see the committed values) and on SQLite runs under the single writer, so
 * every check made after it (available balance, key limits, hold status) holds until commit on both dialects.
 *
 * Invariants kept here: balance = Σ amount_nanos, held = Σ held_delta_nanos, debt = Σ debt_delta_nanos,
 * 0 ≤ held ≤ balance, debt ≥ 0, and entries are numbered 1, 2, … per account with each balance_after =
 * previous balance_after + amount (and likewise for held and debt).
 *
 * Debt is money taken back (a card refund or dispute) that the balance could not cover: the balance never
 * goes negative, the shortfall is owed instead. Whatever next frees money on an indebted account — a top-up,
 * a code, a grant, a refund, a hold settled below its amount or released — pays the debt first, in a
 * `debt_repayment` entry right after it. So an account that owes has nothing available (balance = held).
 */
import type { Kysely } from 'kysely';
import { GatewayError } from '../shared/errors.js';
import type { Database, LedgerEntriesTable } from '../store/schema.js';
import { newId } from '../shared/ids.js';
import { formatUsd, MAX_BALANCE_NANOS } from './money.js';

export type BillingDb = Kysely<Database>;
export type LedgerKind = LedgerEntriesTable['kind'];

export interface AccountState {
  userId: string;
  balanceNanos: bigint;
  heldNanos: bigint;
  /** Owed after a take-back the balance could not cover; 0 for nearly every account. */
  debtNanos: bigint;
  ledgerSeq: number;
}

export interface LedgerChange {
  kind: LedgerKind;
  /** Signed change of the balance. */
  amountNanos: bigint;
  /** Signed change of the held amount. */
  heldDeltaNanos: bigint;
  /** Signed change of the debt (only take-backs and repayments move it). */
  debtDeltaNanos?: bigint | undefined;
  holdId?: string | null | undefined;
  requestId?: string | null | undefined;
  jobId?: string | null | undefined;
  reference?: string | null | undefined;
  reason?: string | null | undefined;
  actor?: string | null | undefined;
}

/** Creates the account row when missing; true when this call created it. */
export async function ensureAccount(db: BillingDb, userId: string, now: number): Promise<boolean> {
  const result = await db
    .insertInto('accounts')
    .values({ user_id: userId, balance_nanos: 0n, held_nanos: 0n, ledger_seq: 0, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return result !== undefined;
}

/** Locks and reads the account inside a transaction; undefined when the user has no account. */
export async function lockAccount(trx: BillingDb, userId: string, now: number): Promise<AccountState | undefined> {
  const row = await trx
    .updateTable('accounts')
    .set({ updated_at: now })
    .where('user_id', '=', userId)
    .returning(['balance_nanos', 'held_nanos', 'debt_nanos', 'ledger_seq'])
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    userId,
    balanceNanos: BigInt(row.balance_nanos),
    heldNanos: BigInt(row.held_nanos),
    debtNanos: BigInt(row.debt_nanos),
    ledgerSeq: Number(row.ledger_seq),
  };
}

/**
 * Appends one entry and moves the account with it, then — when the account owes and the entry left money
 * available — a repayment of as much debt as that money covers. Throws (rolling the transaction back) if an
 * invariant would break. Returns the account after both.
 */
export async function appendLedgerEntry(trx: BillingDb, account: AccountState, change: LedgerChange, now: number): Promise<AccountState> {
  const after = await writeLedgerEntry(trx, account, change, now);
  const available = after.balanceNanos - after.heldNanos;
  if (after.debtNanos === 0n || available === 0n) return after;
  const repaid = available < after.debtNanos ? available : after.debtNanos;
  const repayment = { kind: 'debt_repayment' as const, amountNanos: -repaid, heldDeltaNanos: 0n, debtDeltaNanos: -repaid, actor: 'system' };
  return writeLedgerEntry(trx, after, { ...repayment, reason: `debt repaid from ${change.kind}` }, now);
}

async function writeLedgerEntry(trx: BillingDb, account: AccountState, change: LedgerChange, now: number): Promise<AccountState> {
  const balanceNanos = account.balanceNanos + change.amountNanos;
  const heldNanos = account.heldNanos + change.heldDeltaNanos;
  const debtDeltaNanos = change.debtDeltaNanos ?? 0n;
  const debtNanos = account.debtNanos + debtDeltaNanos;
  if (heldNanos < 0n || heldNanos > balanceNanos || debtNanos < 0n) {
    throw new Error(`Ledger invariant broken for ${account.userId}: balance ${balanceNanos}, held ${heldNanos}, debt ${debtNanos} after ${change.kind}`);
  }
  if (balanceNanos > MAX_BALANCE_NANOS) {
    throw new GatewayError('conflict', { message: `The balance would exceed the largest an account may hold ($${formatUsd(MAX_BALANCE_NANOS)}).` });
  }
  const seq = account.ledgerSeq + 1;
  await trx
    .insertInto('ledger_entries')
    .values({
      id: newId('led'),
      user_id: account.userId,
      seq,
      kind: change.kind,
      amount_nanos: change.amountNanos,
      held_delta_nanos: change.heldDeltaNanos,
      balance_after_nanos: balanceNanos,
      held_after_nanos: heldNanos,
      debt_delta_nanos: debtDeltaNanos,
      debt_after_nanos: debtNanos,
      hold_id: change.holdId ?? null,
      request_id: change.requestId ?? null,
      job_id: change.jobId ?? null,
      reference: change.reference ?? null,
      reason: change.reason ?? null,
      actor: change.actor ?? null,
      created_at: now,
    })
    .execute();
  const updated = await trx
    .updateTable('accounts')
    .set({ balance_nanos: balanceNanos, held_nanos: heldNanos, debt_nanos: debtNanos, ledger_seq: seq, updated_at: now })
    .where('user_id', '=', account.userId)
    .where('ledger_seq', '=', account.ledgerSeq)
    .executeTakeFirst();
  if (updated.numUpdatedRows !== 1n) throw new Error(`Account ${account.userId} changed while locked`);
  return { userId: account.userId, balanceNanos, heldNanos, debtNanos, ledgerSeq: seq };
}

/** Ensures, locks and credits in one go: for top-ups, redemptions, grants and refunds inside a caller's transaction. */
export async function creditAccount(trx: BillingDb, userId: string, change: LedgerChange, now: number): Promise<AccountState> {
  if (change.amountNanos <= 0n || change.heldDeltaNanos !== 0n) throw new RangeError('A credit moves a positive amount and no hold');
  await ensureAccount(trx, userId, now);
  const account = await lockAccount(trx, userId, now);
  if (!account) throw new Error(`Account ${userId} vanished inside its transaction`);
  return appendLedgerEntry(trx, account, change, now);
}

/** Whether a user row exists (accounts reference users). */
export async function userExists(db: BillingDb, userId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  return row !== undefined;
}
