/**
 * Money that does not come from a request: the sign-up bonus, admin grants and deductions (each with a reason
 * and the acting admin), and refunds of a settled request.
 */
import { GatewayError } from '../shared/errors.js';
import { appendLedgerEntry, creditAccount, ensureAccount, lockAccount, userExists, type AccountState, type BillingDb } from './account-ledger.js';
import { formatUsd } from './money.js';

export interface AdjustmentInput {
  userId: string;
  amountNanos: bigint;
  reason: string;
  /** Who did it: an admin user id, `admin_token`, `stripe`, `system`. */
  actor: string;
}

export type AdjustmentResult = { ok: true; balanceNanos: bigint; availableNanos: bigint } | { ok: false; error: GatewayError };

const toResult = (account: AccountState): AdjustmentResult => ({
  ok: true,
  balanceNanos: account.balanceNanos,
  availableNanos: account.balanceNanos - account.heldNanos,
});

function checkAdjustment(input: AdjustmentInput): void {
  if (input.amountNanos <= 0n) throw new RangeError('An adjustment amount is positive; choose grant or deduct for the direction');
  if (input.reason.trim().length === 0) throw new RangeError('An adjustment needs a reason');
}

/**
 * Creates the user's account (idempotent) and, the first time only, credits the sign-up bonus. Call it when a
 * user is created; calling it again never grants a second bonus.
 */
export async function openAccount(db: BillingDb, userId: string, bonusNanos: bigint, now: number): Promise<AccountState> {
  return db.transaction().execute(async (trx) => {
    await ensureAccount(trx, userId, now);
    const account = await lockAccount(trx, userId, now);
    if (!account) throw new Error(`Account ${userId} vanished inside its transaction`);
    if (bonusNanos <= 0n) return account;
    const granted = await trx
      .selectFrom('ledger_entries')
      .select('id')
      .where('user_id', '=', userId)
      .where('kind', '=', 'signup_bonus')
      .executeTakeFirst();
    if (granted) return account;
    return appendLedgerEntry(trx, account, { kind: 'signup_bonus', amountNanos: bonusNanos, heldDeltaNanos: 0n, actor: 'system', reason: 'sign-up bonus' }, now);
  });
}

export async function grantCredit(db: BillingDb, input: AdjustmentInput, now: number): Promise<AdjustmentResult> {
  checkAdjustment(input);
  if (!(await userExists(db, input.userId))) return { ok: false, error: new GatewayError('not_found', { message: 'No such user.' }) };
  const account = await db.transaction().execute((trx) =>
    creditAccount(trx, input.userId, { kind: 'adjustment', amountNanos: input.amountNanos, heldDeltaNanos: 0n, reason: input.reason, actor: input.actor }, now),
  );
  return toResult(account);
}

/** Takes money away, at most the available balance (balance minus open holds). */
export async function deductCredit(db: BillingDb, input: AdjustmentInput, now: number): Promise<AdjustmentResult> {
  checkAdjustment(input);
  return db.transaction().execute(async (trx): Promise<AdjustmentResult> => {
    const account = await lockAccount(trx, input.userId, now);
    if (!account) return { ok: false, error: new GatewayError('not_found', { message: 'This user has no balance.' }) };
    const available = account.balanceNanos - account.heldNanos;
    if (available < input.amountNanos) {
      const message = `Cannot deduct $${formatUsd(input.amountNanos)}: only $${formatUsd(available)} is available.`;
      return { ok: false, error: new GatewayError('conflict', { message }) };
    }
    const change = { kind: 'adjustment' as const, amountNanos: -input.amountNanos, heldDeltaNanos: 0n, reason: input.reason, actor: input.actor };
    return toResult(await appendLedgerEntry(trx, account, change, now));
  });
}

export interface RefundInput {
  requestId: string;
  /** Defaults to everything still refundable for that request. */
  amountNanos?: bigint | undefined;
  reason: string;
  actor: string;
}

export type RefundResult = { ok: true; refundedNanos: bigint; balanceNanos: bigint } | { ok: false; error: GatewayError };

/** Gives back all or part of what a settled request was charged; the refunds of one request never exceed its charge. */
export async function refundRequest(db: BillingDb, input: RefundInput, now: number): Promise<RefundResult> {
  if (input.reason.trim().length === 0) throw new RangeError('A refund needs a reason');
  const hold = await db.selectFrom('holds').select(['id', 'user_id']).where('request_id', '=', input.requestId).executeTakeFirst();
  if (!hold) return { ok: false, error: new GatewayError('not_found', { message: 'No charge for this request id.' }) };
  return db.transaction().execute(async (trx): Promise<RefundResult> => {
    const account = await lockAccount(trx, hold.user_id, now);
    const current = await trx.selectFrom('holds').select(['status', 'settled_nanos', 'job_id']).where('id', '=', hold.id).executeTakeFirstOrThrow();
    if (!account || current.status !== 'settled') return { ok: false, error: new GatewayError('conflict', { message: 'The request is not settled.' }) };
    const refunded = await trx
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.sum<bigint | null>('amount_nanos').as('refunded_nanos'))
      .where('hold_id', '=', hold.id)
      .where('kind', '=', 'refund')
      .executeTakeFirst();
    const refundable = BigInt(current.settled_nanos ?? 0n) - BigInt(refunded?.refunded_nanos ?? 0n);
    const amount = input.amountNanos ?? refundable;
    if (amount <= 0n || amount > refundable) {
      const message = `Refundable for this request: $${formatUsd(refundable)}; asked: $${formatUsd(amount)}.`;
      return { ok: false, error: new GatewayError('conflict', { message }) };
    }
    const change = { kind: 'refund' as const, amountNanos: amount, heldDeltaNanos: 0n, holdId: hold.id, requestId: input.requestId, jobId: current.job_id };
    const after = await appendLedgerEntry(trx, account, { ...change, reason: input.reason, actor: input.actor }, now);
    return { ok: true, refundedNanos: amount, balanceNanos: after.balanceNanos };
  });
}
