/**
 * Platform-wide money for the admin: what usage earned (charges minus refunds), what it cost at the upstreams'
 * list prices, the margin between them, the money that came in (top-ups, codes, grants) and what card refunds
 * and disputes took back. All from the ledger, the settled holds and the accounts, never from the request log.
 */
import type { BillingDb, LedgerKind } from './account-ledger.js';

export interface PlatformTotals {
  /** Σ charges of settled requests. */
  chargedNanos: bigint;
  refundedNanos: bigint;
  /** charged − refunded. */
  revenueNanos: bigint;
  /** The same usage at multiplier 1. */
  upstreamCostNanos: bigint;
  /** revenue − upstream cost. */
  marginNanos: bigint;
  topUpsNanos: bigint;
  redemptionsNanos: bigint;
  signupBonusesNanos: bigint;
  /** Net admin adjustments (grants minus deductions). */
  adjustmentsNanos: bigint;
  /** Top-up credit taken back by card refunds and disputes (from the balance or as debt). */
  cardReversalsNanos: bigint;
  /** Debt paid off by money that came in later. */
  debtRepaidNanos: bigint;
  settledRequests: number;
  estimatedRequests: number;
  /** Right now, across all accounts (not limited to the period). */
  outstandingBalanceNanos: bigint;
  openHoldsNanos: bigint;
  /** Right now: what accounts owe after card reversals their balance could not cover. */
  outstandingDebtNanos: bigint;
}

export interface Period {
  from?: number | undefined;
  to?: number | undefined;
}

export async function computePlatformTotals(db: BillingDb, period: Period): Promise<PlatformTotals> {
  let ledger = db
    .selectFrom('ledger_entries')
    .select((eb) => ['kind', eb.fn.sum<bigint>('amount_nanos').as('amount_nanos'), eb.fn.sum<bigint>('debt_delta_nanos').as('debt_delta_nanos')])
    .groupBy('kind');
  if (period.from !== undefined) ledger = ledger.where('created_at', '>=', period.from);
  if (period.to !== undefined) ledger = ledger.where('created_at', '<', period.to);
  const rows = await ledger.execute();
  const byKind = new Map<LedgerKind, bigint>(rows.map((row) => [row.kind, BigInt(row.amount_nanos)]));
  const sum = (kind: LedgerKind) => byKind.get(kind) ?? 0n;
  const debtByKind = new Map<LedgerKind, bigint>(rows.map((row) => [row.kind, BigInt(row.debt_delta_nanos)]));
  // A card reversal takes from the balance (negative amount) and records the rest as debt (positive delta).
  const reversed = (kind: LedgerKind) => (debtByKind.get(kind) ?? 0n) - sum(kind);

  let holds = db
    .selectFrom('holds')
    .select((eb) => [
      eb.fn.sum<bigint | null>('upstream_cost_nanos').as('upstream_cost_nanos'),
      eb.fn.countAll<number>().as('settled'),
      eb.fn.sum<number | null>('estimated').as('estimated'),
    ])
    .where('status', '=', 'settled');
  if (period.from !== undefined) holds = holds.where('closed_at', '>=', period.from);
  if (period.to !== undefined) holds = holds.where('closed_at', '<', period.to);
  const settled = await holds.executeTakeFirst();

  const accounts = await db
    .selectFrom('accounts')
    .select((eb) => [
      eb.fn.sum<bigint | null>('balance_nanos').as('balance_nanos'),
      eb.fn.sum<bigint | null>('held_nanos').as('held_nanos'),
      eb.fn.sum<bigint | null>('debt_nanos').as('debt_nanos'),
    ])
    .executeTakeFirst();

  const chargedNanos = -sum('settle');
  const refundedNanos = sum('refund');
  const revenueNanos = chargedNanos - refundedNanos;
  const upstreamCostNanos = BigInt(settled?.upstream_cost_nanos ?? 0n);
  return {
    chargedNanos,
    refundedNanos,
    revenueNanos,
    upstreamCostNanos,
    marginNanos: revenueNanos - upstreamCostNanos,
    topUpsNanos: sum('topup'),
    redemptionsNanos: sum('redemption'),
    signupBonusesNanos: sum('signup_bonus'),
    adjustmentsNanos: sum('adjustment'),
    cardReversalsNanos: reversed('stripe_refund') + reversed('stripe_dispute'),
    debtRepaidNanos: -sum('debt_repayment'),
    settledRequests: Number(settled?.settled ?? 0),
    estimatedRequests: Number(settled?.estimated ?? 0),
    outstandingBalanceNanos: BigInt(accounts?.balance_nanos ?? 0n),
    openHoldsNanos: BigInt(accounts?.held_nanos ?? 0n),
    outstandingDebtNanos: BigInt(accounts?.debt_nanos ?? 0n),
  };
}
