/**
 * Reads of balances and ledger entries, newest first, paged by the per-account sequence number.
 */
import type { Selectable } from 'kysely';
import type { LedgerEntriesTable } from '../store/schema.js';
import type { BillingDb, LedgerKind } from './account-ledger.js';

export interface Balance {
  balanceNanos: bigint;
  heldNanos: bigint;
  /** balance − held: what new requests can use. */
  availableNanos: bigint;
  /** Taken back by a card refund or dispute beyond the balance; the next money in pays it first. */
  debtNanos: bigint;
}

export interface LedgerEntry {
  id: string;
  seq: number;
  kind: LedgerKind;
  amountNanos: bigint;
  heldDeltaNanos: bigint;
  balanceAfterNanos: bigint;
  heldAfterNanos: bigint;
  debtDeltaNanos: bigint;
  debtAfterNanos: bigint;
  holdId: string | null;
  requestId: string | null;
  jobId: string | null;
  reference: string | null;
  reason: string | null;
  actor: string | null;
  createdAt: number;
}

export interface LedgerPage {
  entries: LedgerEntry[];
  /** Pass as `beforeSeq` for the next (older) page; undefined on the last page. */
  nextBeforeSeq: number | undefined;
}

/** A user without an account has a zero balance. */
export async function getBalance(db: BillingDb, userId: string): Promise<Balance> {
  const row = await db.selectFrom('accounts').select(['balance_nanos', 'held_nanos', 'debt_nanos']).where('user_id', '=', userId).executeTakeFirst();
  const balanceNanos = BigInt(row?.balance_nanos ?? 0n);
  const heldNanos = BigInt(row?.held_nanos ?? 0n);
  return { balanceNanos, heldNanos, availableNanos: balanceNanos - heldNanos, debtNanos: BigInt(row?.debt_nanos ?? 0n) };
}

export function toLedgerEntry(row: Selectable<LedgerEntriesTable>): LedgerEntry {
  return {
    id: row.id,
    seq: Number(row.seq),
    kind: row.kind,
    amountNanos: BigInt(row.amount_nanos),
    heldDeltaNanos: BigInt(row.held_delta_nanos),
    balanceAfterNanos: BigInt(row.balance_after_nanos),
    heldAfterNanos: BigInt(row.held_after_nanos),
    debtDeltaNanos: BigInt(row.debt_delta_nanos),
    debtAfterNanos: BigInt(row.debt_after_nanos),
    holdId: row.hold_id,
    requestId: row.request_id,
    jobId: row.job_id,
    reference: row.reference,
    reason: row.reason,
    actor: row.actor,
    createdAt: row.created_at,
  };
}

export async function listLedgerEntries(db: BillingDb, input: { userId: string; limit: number; beforeSeq?: number | undefined }): Promise<LedgerPage> {
  let query = db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('user_id', '=', input.userId)
    .orderBy('seq', 'desc')
    .limit(input.limit + 1);
  if (input.beforeSeq !== undefined) query = query.where('seq', '<', input.beforeSeq);
  const rows = await query.execute();
  const entries = rows.slice(0, input.limit).map(toLedgerEntry);
  const last = entries.at(-1);
  return { entries, nextBeforeSeq: rows.length > input.limit && last ? last.seq : undefined };
}
