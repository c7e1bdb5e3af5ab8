/**
 * Holds: reserve the worst case before an upstream call, then settle at the actual cost or release — each
 * exactly once, each a ledger entry written in the same transaction as the hold's status change.
 *
 * Settling more than was held: the hold is an estimate, so the actual cost can exceed it (a prompt the local
 * tokenizer undercounts, an image larger than its allowance). The charge is then the actual cost, but never
 * more than the account can pay without touching other open holds; what could not be charged is kept on the
 * hold (cost_nanos − settled_nanos) and returned as `shortfallNanos`. Balances never go negative. The same cap
 * applies for a key with a spend limit: beyond the hold, the charge is at most what the key's limits still allow.
 *
 * Expired holds (the process died mid-request) are released by the reaper with status `expired`; a request that
 * was merely slow can still settle an expired hold, and is charged what the account can pay at that moment.
 */
import { GatewayError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { HoldsTable } from '../store/schema.js';
import { appendLedgerEntry, lockAccount, type BillingDb } from './account-ledger.js';
import { checkKeySpendLimit, computeKeyChargeCap, recordKeySpend } from './key-limits.js';
import { formatUsd } from './money.js';

export interface ReserveInput {
  userId: string;
  apiKeyId?: string | null | undefined;
  /** The generation/request id; a second reserve with the same id returns the same open hold. */
  requestId?: string | null | undefined;
  jobId?: string | null | undefined;
  amountNanos: bigint;
  /** Epoch ms; defaults to now + the service's hold TTL. Video jobs pass their own horizon. */
  expiresAt?: number | undefined;
  /** The placing instance's configured id, so it can release its own leftovers after a restart. */
  ownerInstance?: string | null | undefined;
}

export type ReserveResult = { ok: true; holdId: string; replayed: boolean } | { ok: false; error: GatewayError };

export interface SettleInput {
  /** Actual cost in nanos at the caller's price (multiplier applied). */
  costNanos: bigint;
  /** The same usage at multiplier 1, for margin reports; defaults to costNanos. */
  upstreamCostNanos?: bigint | undefined;
  /** True when usage was counted by the gateway rather than reported by the upstream. */
  estimated: boolean;
}

export type SettleResult =
  | { ok: true; holdId: string; chargedNanos: bigint; shortfallNanos: bigint; replayed: boolean }
  | { ok: false; reason: 'not_found' | 'released' };

export type ReleaseResult = { ok: true; replayed: boolean } | { ok: false; reason: 'not_found' | 'settled' };

export async function reserveHold(db: BillingDb, input: ReserveInput, now: number, ttlMs: number): Promise<ReserveResult> {
  if (input.amountNanos < 0n) throw new RangeError('A hold amount is non-negative');
  return db.transaction().execute(async (trx) => {
    const account = await lockAccount(trx, input.userId, now);
    if (input.requestId) {
      const existing = await trx.selectFrom('holds').selectAll().where('request_id', '=', input.requestId).executeTakeFirst();
      if (existing) return replayReserve(existing, input.userId);
    }
    const available = account ? account.balanceNanos - account.heldNanos : 0n;
    if (!account || available < input.amountNanos) {
      const message = `The account balance is too low for this request: it needs up to $${formatUsd(input.amountNanos)} and $${formatUsd(available)} is available.`;
      return { ok: false, error: new GatewayError('insufficient_quota', { message }) };
    }
    if (input.apiKeyId) {
      const limitError = await checkKeySpendLimit(trx, input.apiKeyId, input.amountNanos, now);
      if (limitError) return { ok: false, error: limitError };
    }
    const holdId = newId('hold');
    await trx
      .insertInto('holds')
      .values({
        id: holdId,
        user_id: input.userId,
        api_key_id: input.apiKeyId ?? null,
        request_id: input.requestId ?? null,
        job_id: input.jobId ?? null,
        amount_nanos: input.amountNanos,
        status: 'open',
        expires_at: input.expiresAt ?? now + ttlMs,
        cost_nanos: null,
        settled_nanos: null,
        upstream_cost_nanos: null,
        estimated: 0,
        created_at: now,
        closed_at: null,
        owner_instance: input.ownerInstance ?? null,
      })
      .execute();
    const change = { kind: 'hold' as const, amountNanos: 0n, heldDeltaNanos: input.amountNanos, holdId, requestId: input.requestId, jobId: input.jobId };
    await appendLedgerEntry(trx, account, change, now);
    return { ok: true, holdId, replayed: false };
  });
}

function replayReserve(existing: HoldsTable, userId: string): ReserveResult {
  if (existing.user_id === userId && existing.status === 'open') return { ok: true, holdId: existing.id, replayed: true };
  return { ok: false, error: new GatewayError('conflict', { message: 'A hold for this request id already exists and is closed.' }) };
}

/** A hold's owner never changes, so it is read before the transaction, whose first statement is then the lock. */
async function findHoldOwner(db: BillingDb, holdId: string): Promise<string | undefined> {
  const row = await db.selectFrom('holds').select('user_id').where('id', '=', holdId).executeTakeFirst();
  return row?.user_id;
}

/** Locks the owner's account, then reads the hold under that lock (every status change happens under it). */
async function lockHold(trx: BillingDb, ownerId: string, holdId: string, now: number) {
  const account = await lockAccount(trx, ownerId, now);
  if (!account) throw new Error(`Hold ${holdId} has no account`);
  const hold = await trx.selectFrom('holds').selectAll().where('id', '=', holdId).executeTakeFirstOrThrow();
  return { account, hold };
}

export async function settleHold(db: BillingDb, holdId: string, input: SettleInput, now: number): Promise<SettleResult> {
  if (input.costNanos < 0n || (input.upstreamCostNanos ?? 0n) < 0n) throw new RangeError('A cost is non-negative');
  const ownerId = await findHoldOwner(db, holdId);
  if (ownerId === undefined) return { ok: false, reason: 'not_found' };
  return db.transaction().execute(async (trx): Promise<SettleResult> => {
    const { account, hold } = await lockHold(trx, ownerId, holdId, now);
    if (hold.status === 'released') return { ok: false, reason: 'released' };
    if (hold.status === 'settled') {
      const charged = BigInt(hold.settled_nanos ?? 0n);
      return { ok: true, holdId, chargedNanos: charged, shortfallNanos: BigInt(hold.cost_nanos ?? 0n) - charged, replayed: true };
    }
    const heldPart = hold.status === 'open' ? BigInt(hold.amount_nanos) : 0n;
    const payable = await capSettleCharge(trx, hold, heldPart, account.balanceNanos - account.heldNanos + heldPart, input.costNanos);
    const charged = input.costNanos <= payable ? input.costNanos : payable;
    await trx
      .updateTable('holds')
      .set({
        status: 'settled',
        cost_nanos: input.costNanos,
        settled_nanos: charged,
        upstream_cost_nanos: input.upstreamCostNanos ?? input.costNanos,
        estimated: input.estimated ? 1 : 0,
        closed_at: now,
      })
      .where('id', '=', holdId)
      .execute();
    const change = { kind: 'settle' as const, amountNanos: -charged, heldDeltaNanos: -heldPart, holdId, requestId: hold.request_id, jobId: hold.job_id };
    await appendLedgerEntry(trx, account, { ...change, reason: input.estimated ? 'estimated usage' : null }, now);
    if (hold.api_key_id && charged > 0n) await recordKeySpend(trx, hold.api_key_id, hold.created_at, charged);
    return { ok: true, holdId, chargedNanos: charged, shortfallNanos: input.costNanos - charged, replayed: false };
  });
}

/** What a settle may charge at most: what the account can pay, lowered to the key's limit when the cost exceeds the hold. */
async function capSettleCharge(trx: BillingDb, hold: HoldsTable, heldPart: bigint, accountPayable: bigint, costNanos: bigint): Promise<bigint> {
  if (hold.api_key_id === null || costNanos <= heldPart) return accountPayable;
  const keyCap = await computeKeyChargeCap(trx, { id: hold.id, apiKeyId: hold.api_key_id, heldNanos: heldPart, createdAt: hold.created_at });
  return keyCap !== undefined && keyCap < accountPayable ? keyCap : accountPayable;
}

/** Frees a hold whose call failed; charges nothing. An expired hold is closed without a ledger entry (already freed). */
export async function releaseHold(db: BillingDb, holdId: string, now: number, reason?: string): Promise<ReleaseResult> {
  const ownerId = await findHoldOwner(db, holdId);
  if (ownerId === undefined) return { ok: false, reason: 'not_found' };
  return db.transaction().execute(async (trx): Promise<ReleaseResult> => {
    const { account, hold } = await lockHold(trx, ownerId, holdId, now);
    if (hold.status === 'settled') return { ok: false, reason: 'settled' };
    if (hold.status === 'released') return { ok: true, replayed: true };
    await trx.updateTable('holds').set({ status: 'released', closed_at: now }).where('id', '=', holdId).execute();
    if (hold.status === 'open') {
      const change = { kind: 'release' as const, amountNanos: 0n, heldDeltaNanos: -BigInt(hold.amount_nanos), holdId, requestId: hold.request_id, jobId: hold.job_id };
      await appendLedgerEntry(trx, account, { ...change, reason: reason ?? null }, now);
    }
    return { ok: true, replayed: false };
  });
}

/** Releases every open hold whose expiry has passed (status `expired`); returns how many. */
export async function reapExpiredHolds(db: BillingDb, now: number, batchSize = 500): Promise<number> {
  let reaped = 0;
  for (;;) {
    const due = await db
      .selectFrom('holds')
      .select(['id', 'user_id'])
      .where('status', '=', 'open')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(batchSize)
      .execute();
    for (const hold of due) if (await expireHold(db, hold.user_id, hold.id, now)) reaped += 1;
    if (due.length < batchSize) return reaped;
  }
}

async function expireHold(db: BillingDb, ownerId: string, holdId: string, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const { account, hold } = await lockHold(trx, ownerId, holdId, now);
    if (hold.status !== 'open' || hold.expires_at > now) return false;
    await trx.updateTable('holds').set({ status: 'expired', closed_at: now }).where('id', '=', holdId).execute();
    const change = { kind: 'release' as const, amountNanos: 0n, heldDeltaNanos: -BigInt(hold.amount_nanos), holdId, requestId: hold.request_id, jobId: hold.job_id };
    await appendLedgerEntry(trx, account, { ...change, reason: 'hold expired' }, now);
    return true;
  });
}

/**
 * Moves the expiry of open holds whose requests are still running in this process to `expiresAt`, so the
 * reaper never frees the hold of a live stream that outlasts the TTL. Returns how many were moved.
 */
export async function renewHolds(db: BillingDb, requestIds: readonly string[], expiresAt: number, batchSize = 500): Promise<number> {
  let renewed = 0;
  for (let start = 0; start < requestIds.length; start += batchSize) {
    const result = await db
      .updateTable('holds')
      .set({ expires_at: expiresAt })
      .where('request_id', 'in', requestIds.slice(start, start + batchSize))
      .where('status', '=', 'open')
      .where('expires_at', '<', expiresAt)
      .executeTakeFirst();
    renewed += Number(result.numUpdatedRows);
  }
  return renewed;
}
