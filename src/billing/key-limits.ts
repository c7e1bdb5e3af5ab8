/**
 * Per-key spend limits: a total cap and an optional cap per UTC day or UTC month. Spend is what settles
 * charged, booked on the UTC day the hold was placed; open holds of the key count against both caps, so the
 * check in reserve is as strict as the balance check. It runs under the account lock (a key belongs to one
 * account), which is what makes it atomic.
 */
import { GatewayError } from '../shared/errors.js';
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { ApiKeyLimitsTable, Database } from '../store/schema.js';
import type { BillingDb } from './account-ledger.js';
import { formatUsd } from './money.js';

export type SpendPeriod = 'day' | 'month';

export interface KeySpendLimit {
  apiKeyId: string;
  userId: string;
  totalLimitNanos: bigint | null;
  period: SpendPeriod | null;
  periodLimitNanos: bigint | null;
  /** Set by an admin: the owner may neither change nor lift it (see api/billing/account-views.ts). */
  setByAdmin: boolean;
}

/** A limit to write; without `setByAdmin` it is the owner's own. */
export type KeySpendLimitInput = Omit<KeySpendLimit, 'setByAdmin'> & { setByAdmin?: boolean };

export interface KeySpend {
  limit: KeySpendLimit | undefined;
  spentTotalNanos: bigint;
  /** Spend in the current day or month of the limit's period (the current UTC day when no period is set). */
  spentPeriodNanos: bigint;
  heldNanos: bigint;
}

/** `YYYY-MM-DD` of an epoch-ms time, UTC. */
export function toUtcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function periodDays(period: SpendPeriod, now: number): { first: string; last: string } {
  const day = toUtcDay(now);
  if (period === 'day') return { first: day, last: day };
  const month = day.slice(0, 7);
  return { first: `${month}-01`, last: `${month}-31` };
}

function toLimit(row: Selectable<ApiKeyLimitsTable>): KeySpendLimit {
  return {
    apiKeyId: row.api_key_id,
    userId: row.user_id,
    totalLimitNanos: row.total_limit_nanos === null ? null : BigInt(row.total_limit_nanos),
    period: row.period,
    periodLimitNanos: row.period_limit_nanos === null ? null : BigInt(row.period_limit_nanos),
    setByAdmin: row.set_by_admin === 1,
  };
}

export async function getKeySpendLimit(db: BillingDb, apiKeyId: string): Promise<KeySpendLimit | undefined> {
  const row = await db.selectFrom('api_key_limits').selectAll().where('api_key_id', '=', apiKeyId).executeTakeFirst();
  return row ? toLimit(row) : undefined;
}

/** Every key of one user that has spent or has a limit: charged spend in total and the limit, by key id. */
export async function keySpendOfUser(db: BillingDb, userId: string): Promise<{ spent: Map<string, bigint>; limits: Map<string, KeySpendLimit> }> {
  const [spendRows, limitRows] = await Promise.all([
    db
      .selectFrom('api_key_spend')
      .innerJoin('api_keys', 'api_keys.id', 'api_key_spend.api_key_id')
      .select(['api_key_spend.api_key_id', (eb) => eb.fn.sum<bigint>('api_key_spend.spent_nanos').as('spent_nanos')])
      .where('api_keys.user_id', '=', userId)
      .groupBy('api_key_spend.api_key_id')
      .execute(),
    db.selectFrom('api_key_limits').selectAll().where('user_id', '=', userId).execute(),
  ]);
  return {
    spent: new Map(spendRows.map((row) => [row.api_key_id, BigInt(row.spent_nanos)])),
    limits: new Map(limitRows.map((row) => [row.api_key_id, toLimit(row)])),
  };
}

/** Creates, replaces or (all caps null) removes a key's limit. */
export async function setKeySpendLimit(db: BillingDb, input: KeySpendLimitInput, now: number): Promise<KeySpendLimit | undefined> {
  const limit: KeySpendLimit = { ...input, setByAdmin: input.setByAdmin ?? false };
  if (limit.totalLimitNanos === null && limit.periodLimitNanos === null) {
    await db.deleteFrom('api_key_limits').where('api_key_id', '=', limit.apiKeyId).execute();
    return undefined;
  }
  if ((limit.period === null) !== (limit.periodLimitNanos === null)) throw new RangeError('A period limit needs both period and amount');
  if ((limit.totalLimitNanos ?? 0n) < 0n || (limit.periodLimitNanos ?? 0n) < 0n) throw new RangeError('Limits are non-negative');
  const values = {
    total_limit_nanos: limit.totalLimitNanos,
    period: limit.period,
    period_limit_nanos: limit.periodLimitNanos,
    set_by_admin: limit.setByAdmin ? 1 : 0,
    updated_at: now,
  };
  await db
    .insertInto('api_key_limits')
    .values({ api_key_id: limit.apiKeyId, user_id: limit.userId, created_at: now, ...values })
    .onConflict((oc) => oc.column('api_key_id').doUpdateSet(values))
    .execute();
  return limit;
}

/**
 * The owner's write: like setKeySpendLimit, but it never touches a limit an admin set. The condition is part of
 * the write itself, so an admin's limit that lands between a read and this write still wins. False when refused.
 */
export async function setOwnKeySpendLimit(db: BillingDb, input: KeySpendLimitInput, now: number): Promise<boolean> {
  const notAdminSet = (eb: ExpressionBuilder<Database, 'api_key_limits'>) => eb('api_key_limits.set_by_admin', '=', 0);
  if (input.totalLimitNanos === null && input.periodLimitNanos === null) {
    await db.deleteFrom('api_key_limits').where('api_key_id', '=', input.apiKeyId).where(notAdminSet).execute();
    return (await getKeySpendLimit(db, input.apiKeyId)) === undefined;
  }
  if ((input.period === null) !== (input.periodLimitNanos === null)) throw new RangeError('A period limit needs both period and amount');
  if ((input.totalLimitNanos ?? 0n) < 0n || (input.periodLimitNanos ?? 0n) < 0n) throw new RangeError('Limits are non-negative');
  const values = {
    total_limit_nanos: input.totalLimitNanos,
    period: input.period,
    period_limit_nanos: input.periodLimitNanos,
    set_by_admin: 0,
    updated_at: now,
  };
  const result = await db
    .insertInto('api_key_limits')
    .values({ api_key_id: input.apiKeyId, user_id: input.userId, created_at: now, ...values })
    .onConflict((oc) => oc.column('api_key_id').doUpdateSet(values).where(notAdminSet))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

async function sumSpent(db: BillingDb, apiKeyId: string, days?: { first: string; last: string }): Promise<bigint> {
  let query = db
    .selectFrom('api_key_spend')
    .select((eb) => eb.fn.sum<bigint | null>('spent_nanos').as('spent_nanos'))
    .where('api_key_id', '=', apiKeyId);
  if (days) query = query.where('day', '>=', days.first).where('day', '<=', days.last);
  const row = await query.executeTakeFirst();
  return BigInt(row?.spent_nanos ?? 0n);
}

async function sumOpenHolds(db: BillingDb, apiKeyId: string, exceptHoldId?: string): Promise<bigint> {
  let query = db
    .selectFrom('holds')
    .select((eb) => eb.fn.sum<bigint | null>('amount_nanos').as('held_nanos'))
    .where('api_key_id', '=', apiKeyId)
    .where('status', '=', 'open');
  if (exceptHoldId !== undefined) query = query.where('id', '!=', exceptHoldId);
  const row = await query.executeTakeFirst();
  return BigInt(row?.held_nanos ?? 0n);
}

export async function getKeySpend(db: BillingDb, apiKeyId: string, now: number): Promise<KeySpend> {
  const limit = await getKeySpendLimit(db, apiKeyId);
  const [spentTotalNanos, spentPeriodNanos, heldNanos] = await Promise.all([
    sumSpent(db, apiKeyId),
    sumSpent(db, apiKeyId, periodDays(limit?.period ?? 'day', now)),
    sumOpenHolds(db, apiKeyId),
  ]);
  return { limit, spentTotalNanos, spentPeriodNanos, heldNanos };
}

/** The error a new hold of `amountNanos` on this key would hit, if any. Call under the account lock. */
export async function checkKeySpendLimit(trx: BillingDb, apiKeyId: string, amountNanos: bigint, now: number): Promise<GatewayError | undefined> {
  const limit = await getKeySpendLimit(trx, apiKeyId);
  if (!limit) return undefined;
  const held = await sumOpenHolds(trx, apiKeyId);
  if (limit.totalLimitNanos !== null) {
    const spent = await sumSpent(trx, apiKeyId);
    if (spent + held + amountNanos > limit.totalLimitNanos) return limitError(spent + held, limit.totalLimitNanos, 'in total', amountNanos);
  }
  if (limit.period !== null && limit.periodLimitNanos !== null) {
    const spent = await sumSpent(trx, apiKeyId, periodDays(limit.period, now));
    if (spent + held + amountNanos > limit.periodLimitNanos) {
      return limitError(spent + held, limit.periodLimitNanos, `this ${limit.period} (UTC)`, amountNanos);
    }
  }
  return undefined;
}

export interface KeyChargeHold {
  id: string;
  apiKeyId: string;
  /** What the hold still reserves (0 once it has expired). */
  heldNanos: bigint;
  createdAt: number;
}

/**
 * The most settling `hold` may charge the key: its own reservation, or more if the caps (less settled spend and
 * the key's other open holds) still allow it. The period is the one the charge is booked in, the hold's UTC day.
 * Undefined when the key has no limit. Call under the account lock.
 */
export async function computeKeyChargeCap(trx: BillingDb, hold: KeyChargeHold): Promise<bigint | undefined> {
  const limit = await getKeySpendLimit(trx, hold.apiKeyId);
  if (!limit) return undefined;
  const others = await sumOpenHolds(trx, hold.apiKeyId, hold.id);
  let room: bigint | undefined;
  if (limit.totalLimitNanos !== null) room = limit.totalLimitNanos - (await sumSpent(trx, hold.apiKeyId)) - others;
  if (limit.period !== null && limit.periodLimitNanos !== null) {
    const periodRoom = limit.periodLimitNanos - (await sumSpent(trx, hold.apiKeyId, periodDays(limit.period, hold.createdAt))) - others;
    if (room === undefined || periodRoom < room) room = periodRoom;
  }
  if (room === undefined) return undefined;
  // A limit lowered after the hold was placed does not take back what the hold already reserved.
  return room > hold.heldNanos ? room : hold.heldNanos;
}

function limitError(usedNanos: bigint, limitNanos: bigint, scope: string, amountNanos: bigint): GatewayError {
  return new GatewayError('spend_limit_exceeded', {
    message: `The API key spend limit is reached: $${formatUsd(usedNanos)} of $${formatUsd(limitNanos)} ${scope} is used or held, and this request needs up to $${formatUsd(amountNanos)}.`,
  });
}

/** Books a charge against the key on the UTC day its hold was placed. */
export async function recordKeySpend(trx: BillingDb, apiKeyId: string, holdCreatedAt: number, nanos: bigint): Promise<void> {
  await trx
    .insertInto('api_key_spend')
    .values({ api_key_id: apiKeyId, day: toUtcDay(holdCreatedAt), spent_nanos: nanos })
    .onConflict((oc) =>
      oc.columns(['api_key_id', 'day']).doUpdateSet((eb) => ({ spent_nanos: eb(eb.ref('api_key_spend.spent_nanos'), '+', eb.ref('excluded.spent_nanos')) })),
    )
    .execute();
}
