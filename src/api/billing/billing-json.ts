/**
 * JSON shapes of the billing API. Money is an exact decimal USD string ("12.50", "0.000123"); the one
 * exception is the generation record's `cost`, a number like OpenAI-style `usage.cost`.
 */
import type { KeySpend } from '../../billing/key-limits.js';
import type { Balance, LedgerEntry } from '../../billing/ledger-queries.js';
import { formatUsd, nanosToUsdNumber } from '../../billing/money.js';
import type { PlatformTotals } from '../../billing/platform-totals.js';
import type { AccountReconciliation, ReconciliationReport } from '../../billing/reconcile.js';
import type { DailySpend, ModelSpend, UsageRecord } from '../../billing/usage-reports.js';

export function toBalanceJson(balance: Balance) {
  return {
    object: 'balance' as const,
    currency: 'USD' as const,
    balance: formatUsd(balance.balanceNanos),
    held: formatUsd(balance.heldNanos),
    available: formatUsd(balance.availableNanos),
    debt: formatUsd(balance.debtNanos),
  };
}

export function toLedgerEntryJson(entry: LedgerEntry) {
  return {
    object: 'ledger_entry' as const,
    id: entry.id,
    seq: entry.seq,
    kind: entry.kind,
    amount: formatUsd(entry.amountNanos),
    held_change: formatUsd(entry.heldDeltaNanos),
    balance_after: formatUsd(entry.balanceAfterNanos),
    held_after: formatUsd(entry.heldAfterNanos),
    debt_change: formatUsd(entry.debtDeltaNanos),
    debt_after: formatUsd(entry.debtAfterNanos),
    hold_id: entry.holdId,
    request_id: entry.requestId,
    job_id: entry.jobId,
    reference: entry.reference,
    reason: entry.reason,
    actor: entry.actor,
    created_at: entry.createdAt,
  };
}

export function toUsageRecordJson(record: UsageRecord) {
  return {
    object: 'usage_record' as const,
    id: record.id,
    request_id: record.requestId,
    api_key_id: record.apiKeyId,
    endpoint: record.endpoint,
    model: record.model,
    provider: record.provider,
    stream: record.stream,
    status: record.status,
    error_code: record.errorCode,
    prompt_tokens: record.promptTokens,
    cached_tokens: record.cachedTokens,
    cache_write_tokens: record.cacheWriteTokens,
    completion_tokens: record.completionTokens,
    reasoning_tokens: record.reasoningTokens,
    cost: record.costNanos === null ? null : formatUsd(record.costNanos),
    estimated: record.estimated,
    latency_ms: record.latencyMs,
    ttfb_ms: record.ttfbMs,
    finish_reason: record.finishReason,
    created_at: record.createdAt,
  };
}

/** `GET /api/v1/generation`: the record with `cost` as a USD number and the exact string beside it. */
export function toGenerationJson(record: UsageRecord) {
  const { object: _object, cost, ...rest } = toUsageRecordJson(record);
  return {
    object: 'generation' as const,
    ...rest,
    total_tokens: record.promptTokens + record.completionTokens,
    cost: record.costNanos === null ? null : nanosToUsdNumber(record.costNanos),
    cost_usd: cost,
  };
}

export function toDailySpendJson(spend: DailySpend) {
  return { day: spend.day, cost: formatUsd(spend.costNanos), requests: spend.requests };
}

export function toModelSpendJson(spend: ModelSpend) {
  return {
    model: spend.model,
    cost: formatUsd(spend.costNanos),
    requests: spend.requests,
    prompt_tokens: spend.promptTokens,
    completion_tokens: spend.completionTokens,
  };
}

export function toKeySpendJson(apiKeyId: string, spend: KeySpend) {
  const limit = spend.limit;
  return {
    object: 'key_spend_limit' as const,
    key_id: apiKeyId,
    total_limit: limit?.totalLimitNanos == null ? null : formatUsd(limit.totalLimitNanos),
    period: limit?.period ?? null,
    period_limit: limit?.periodLimitNanos == null ? null : formatUsd(limit.periodLimitNanos),
    /** Only an admin may change or lift a limit an admin set. */
    set_by_admin: limit?.setByAdmin ?? false,
    spent_total: formatUsd(spend.spentTotalNanos),
    spent_period: formatUsd(spend.spentPeriodNanos),
    held: formatUsd(spend.heldNanos),
  };
}

export function toPlatformTotalsJson(totals: PlatformTotals) {
  return {
    object: 'platform_totals' as const,
    currency: 'USD' as const,
    charged: formatUsd(totals.chargedNanos),
    refunded: formatUsd(totals.refundedNanos),
    revenue: formatUsd(totals.revenueNanos),
    upstream_cost: formatUsd(totals.upstreamCostNanos),
    margin: formatUsd(totals.marginNanos),
    top_ups: formatUsd(totals.topUpsNanos),
    redemptions: formatUsd(totals.redemptionsNanos),
    signup_bonuses: formatUsd(totals.signupBonusesNanos),
    adjustments: formatUsd(totals.adjustmentsNanos),
    card_reversals: formatUsd(totals.cardReversalsNanos),
    debt_repaid: formatUsd(totals.debtRepaidNanos),
    settled_requests: totals.settledRequests,
    estimated_requests: totals.estimatedRequests,
    outstanding_balance: formatUsd(totals.outstandingBalanceNanos),
    open_holds: formatUsd(totals.openHoldsNanos),
    outstanding_debt: formatUsd(totals.outstandingDebtNanos),
  };
}

function toAccountReconciliationJson(account: AccountReconciliation) {
  return {
    user_id: account.userId,
    ok: account.ok,
    balance: formatUsd(account.balanceNanos),
    ledger_balance: formatUsd(account.ledgerBalanceNanos),
    held: formatUsd(account.heldNanos),
    ledger_held: formatUsd(account.ledgerHeldNanos),
    open_holds: formatUsd(account.openHoldsNanos),
    debt: formatUsd(account.debtNanos),
    ledger_debt: formatUsd(account.ledgerDebtNanos),
    entries: account.entries,
    problems: account.problems,
  };
}

export function toReconciliationJson(report: ReconciliationReport) {
  return {
    object: 'reconciliation' as const,
    ok: report.ok,
    accounts_checked: report.accountsChecked,
    accounts: report.accounts.map(toAccountReconciliationJson),
    stranded_holds: report.strandedHolds.map((hold) => ({
      hold_id: hold.holdId,
      user_id: hold.userId,
      job_id: hold.jobId,
      amount: formatUsd(hold.amountNanos),
      reason: hold.reason,
    })),
  };
}
