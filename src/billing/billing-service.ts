/**
 * The billing service: one object over the store and an injected clock that the gateway, the job runner, the
 * HTTP routes and the CLI share. Every method is a thin call into the module that owns the rule; expected
 * refusals come back as `{ ok: false, error }` values, broken invariants throw.
 */
import type { CatalogModel } from '../catalog/schema.js';
import { GatewayError } from '../shared/errors.js';
import type { ChatRequest } from '../providers/openai/chat-types.js';
import type { Clock } from '../shared/clock.js';
import type { AccountState, BillingDb } from './account-ledger.js';
import * as adjustments from './adjustments.js';
import { defaultBillingOptions, type BillingOptions } from './billing-options.js';
import { createChatBillingPort, type ChatBillingPort } from './chat-billing-port.js';
import { estimateChatHold } from './hold-estimate.js';
import * as holds from './holds.js';
import * as keyLimits from './key-limits.js';
import * as ledger from './ledger-queries.js';
import { formatUsd, NANOS_PER_CENT } from './money.js';
import { MULTIPLIER_ONE } from './multiplier.js';
import { createMultiplierCache } from './multiplier-cache.js';
import { computePlatformTotals, type Period, type PlatformTotals } from './platform-totals.js';
import * as multipliers from './price-multipliers.js';
import { priceUsage, type BillableUsage } from './price.js';
import { reconcileAccounts, type ReconciliationReport } from './reconcile.js';
import * as codes from './redemption-codes.js';
import { createStripeCheckout, type CheckoutSession } from './stripe-checkout.js';
import { createStripeClient } from './stripe-client.js';
import { processStripeWebhook, type StripeWebhookResult } from './stripe-webhook.js';
import { generateUsageCsv } from './usage-csv.js';
import * as usage from './usage-reports.js';

export interface BillingServiceDeps {
  db: BillingDb;
  clock: Clock;
  options?: Partial<BillingOptions> | undefined;
}

export interface Quote {
  /** What the caller is charged: the usage priced with the group/model multiplier, rounded once. */
  costNanos: bigint;
  /** The same usage at multiplier 1. */
  upstreamCostNanos: bigint;
  multiplier: string;
}

interface ServiceContext {
  db: BillingDb;
  options: BillingOptions;
  now(): number;
}

/** What the rest of the gateway may ask of billing. */
export interface BillingService {
  readonly options: BillingOptions;
  /** The narrow port the chat pipeline and media jobs charge through. */
  readonly chat: ChatBillingPort;

  // Holds, adjustments, refunds and the proofs over them.
  reserve(input: holds.ReserveInput): Promise<holds.ReserveResult>;
  settle(holdId: string, input: holds.SettleInput): Promise<holds.SettleResult>;
  release(holdId: string, reason?: string): Promise<holds.ReleaseResult>;
  /** Releases every hold past its expiry; the number released. */
  reapExpiredHolds(at?: number): Promise<number>;
  /** Creates the user's ledger account (with the sign-up bonus when configured); idempotent. */
  openAccount(userId: string): Promise<AccountState>;
  getBalance(userId: string): Promise<ledger.Balance>;
  listLedger(input: { userId: string; limit: number; beforeSeq?: number | undefined }): Promise<ledger.LedgerPage>;
  grant(input: adjustments.AdjustmentInput): Promise<adjustments.AdjustmentResult>;
  deduct(input: adjustments.AdjustmentInput): Promise<adjustments.AdjustmentResult>;
  refund(input: adjustments.RefundInput): Promise<adjustments.RefundResult>;
  reconcile(userId?: string): Promise<ReconciliationReport>;
  getKeySpend(apiKeyId: string): Promise<keyLimits.KeySpend>;
  /** Charged spend in total and the limit of each of the user's keys that has either, by key id. */
  keySpendOfUser(userId: string): Promise<{ spent: Map<string, bigint>; limits: Map<string, keyLimits.KeySpendLimit> }>;
  setKeySpendLimit(limit: keyLimits.KeySpendLimitInput): Promise<keyLimits.KeySpendLimit | undefined>;
  /** The owner's change: false (nothing written) when an admin set the key's limit. */
  setOwnKeySpendLimit(limit: keyLimits.KeySpendLimitInput): Promise<boolean>;
  findApiKeyOwner(apiKeyId: string): Promise<string | undefined>;

  // Multipliers and quotes.
  multiplierFor(groupId: string, modelId: string): Promise<multipliers.ResolvedMultiplier>;
  quoteUsage(input: { groupId: string; model: CatalogModel; usage: BillableUsage }): Promise<Quote>;
  quoteChatHold(input: { groupId: string; model: CatalogModel; request: ChatRequest }): Promise<bigint>;
  /** Called when another instance changed groups or overrides. */
  reloadMultipliers(): void;
  /** Returns the unsubscribe function. */
  onMultipliersChange(listener: () => void): () => void;
  listGroups(): Promise<multipliers.UserGroup[]>;
  upsertGroup(input: { id: string; name: string; multiplier: string }): Promise<multipliers.UserGroup>;
  listModelMultipliers(): Promise<multipliers.ModelMultiplier[]>;
  setModelMultiplier(input: { groupId: string; modelId: string; multiplier: string }): Promise<multipliers.ModelMultiplier>;
  deleteModelMultiplier(groupId: string, modelId: string): Promise<boolean>;

  // Redemption codes and Stripe.
  createRedemptionBatch(input: codes.RedemptionBatchInput): Promise<codes.RedemptionBatch>;
  listRedemptionBatches(): Promise<codes.RedemptionBatchSummary[]>;
  redeemCode(userId: string, code: string): Promise<codes.RedeemResult>;
  stripeEnabled(): boolean;
  createCheckout(input: { userId: string; amountNanos: bigint; email?: string | undefined }): Promise<CheckoutSession>;
  handleStripeWebhook(payload: string, signatureHeader: string | undefined): Promise<StripeWebhookResult>;

  // Usage records and totals for the dashboards.
  platformTotals(period: Period): Promise<PlatformTotals>;
  listUsage(
    filter: usage.UsageFilter,
    page: { limit: number; after?: usage.UsagePosition | undefined },
  ): Promise<{ records: usage.UsageRecord[]; next: usage.UsagePosition | undefined }>;
  getGeneration(id: string, userId: string): Promise<usage.UsageRecord | undefined>;
  spendByDay(filter: usage.UsageFilter, utcOffsetMinutes?: number): Promise<usage.DailySpend[]>;
  spendByModel(filter: usage.UsageFilter): Promise<usage.ModelSpend[]>;
  spendTotal(filter: usage.UsageFilter): Promise<{ costNanos: bigint; requests: number }>;
  /** CSV lines, header first, streamed page by page. */
  usageCsv(filter: usage.UsageFilter): AsyncGenerator<string>;
}

export function createBillingService(deps: BillingServiceDeps): BillingService {
  const options: BillingOptions = { ...defaultBillingOptions, ...deps.options };
  const ctx: ServiceContext = { db: deps.db, options, now: () => deps.clock.now() };
  const money = createMoneyMethods(ctx);
  const pricing = createPricingMethods(ctx);
  const chat: ChatBillingPort = createChatBillingPort({ ...money, multiplierFor: pricing.multiplierFor });
  return { options, chat, ...money, ...pricing, ...createTopUpMethods(ctx), ...createReportMethods(ctx) };
}

/** Holds, adjustments, refunds and the proofs over them. */
function createMoneyMethods({ db, options, now }: ServiceContext) {
  return {
    reserve: (input: holds.ReserveInput) =>
      holds.reserveHold(db, { ...input, ownerInstance: input.ownerInstance ?? options.instanceId }, now(), options.holdTtlMs),
    settle: (holdId: string, input: holds.SettleInput) => holds.settleHold(db, holdId, input, now()),
    release: (holdId: string, reason?: string) => holds.releaseHold(db, holdId, now(), reason),
    reapExpiredHolds: (at?: number) => holds.reapExpiredHolds(db, at ?? now()),
    openAccount: (userId: string): Promise<AccountState> => adjustments.openAccount(db, userId, options.signupBonusNanos, now()),
    getBalance: (userId: string) => ledger.getBalance(db, userId),
    listLedger: (input: { userId: string; limit: number; beforeSeq?: number | undefined }) => ledger.listLedgerEntries(db, input),
    grant: (input: adjustments.AdjustmentInput) => adjustments.grantCredit(db, input, now()),
    deduct: (input: adjustments.AdjustmentInput) => adjustments.deductCredit(db, input, now()),
    refund: (input: adjustments.RefundInput) => adjustments.refundRequest(db, input, now()),
    reconcile: (userId?: string): Promise<ReconciliationReport> => reconcileAccounts(db, userId, now()),
    getKeySpend: (apiKeyId: string) => keyLimits.getKeySpend(db, apiKeyId, now()),
    keySpendOfUser: (userId: string) => keyLimits.keySpendOfUser(db, userId),
    setKeySpendLimit: (limit: keyLimits.KeySpendLimitInput) => keyLimits.setKeySpendLimit(db, limit, now()),
    /** The owner's change: false (nothing written) when an admin set the key's limit. */
    setOwnKeySpendLimit: (limit: keyLimits.KeySpendLimitInput) => keyLimits.setOwnKeySpendLimit(db, limit, now()),
    findApiKeyOwner: (apiKeyId: string) => findApiKeyOwner(db, apiKeyId),
  };
}

/** Multipliers and quotes: what a usage costs this caller. */
function createPricingMethods({ db, now }: ServiceContext) {
  const cache = createMultiplierCache(db);
  const multiplierFor = (groupId: string, modelId: string) => cache.resolve(groupId, modelId);
  const thenChanged = async <T>(write: Promise<T>): Promise<T> => {
    const result = await write;
    cache.changed();
    return result;
  };
  return {
    multiplierFor,
    async quoteUsage(input: { groupId: string; model: CatalogModel; usage: BillableUsage }): Promise<Quote> {
      const resolved = await multiplierFor(input.groupId, input.model.id);
      return {
        costNanos: priceUsage(input.usage, input.model.pricing, resolved.multiplier),
        upstreamCostNanos: priceUsage(input.usage, input.model.pricing, MULTIPLIER_ONE),
        multiplier: resolved.text,
      };
    },
    async quoteChatHold(input: { groupId: string; model: CatalogModel; request: ChatRequest }): Promise<bigint> {
      const resolved = await multiplierFor(input.groupId, input.model.id);
      return estimateChatHold(input.request, input.model, resolved.multiplier);
    },
    /** Called when another instance changed groups or overrides. */
    reloadMultipliers: () => cache.reload(),
    onMultipliersChange: (listener: () => void) => cache.onChange(listener),
    listGroups: () => multipliers.listUserGroups(db),
    upsertGroup: (input: { id: string; name: string; multiplier: string }) => thenChanged(multipliers.upsertUserGroup(db, input, now())),
    listModelMultipliers: () => multipliers.listModelMultipliers(db),
    setModelMultiplier: (input: { groupId: string; modelId: string; multiplier: string }) =>
      thenChanged(multipliers.setModelMultiplier(db, input, now())),
    deleteModelMultiplier: (groupId: string, modelId: string) => thenChanged(multipliers.deleteModelMultiplier(db, groupId, modelId)),
  };
}

/** Redemption codes and Stripe. */
function createTopUpMethods({ db, options, now }: ServiceContext) {
  // One SDK client for the service's lifetime (it keeps its connections alive between calls).
  const stripe = options.stripe && { client: createStripeClient(options.stripe), options: options.stripe };
  const stripeOrThrow = () => {
    if (!stripe) throw new GatewayError('not_found', { message: 'Card top-ups are not enabled on this gateway.' });
    return stripe;
  };
  return {
    createRedemptionBatch: (input: codes.RedemptionBatchInput) => codes.createRedemptionBatch(db, input, now()),
    listRedemptionBatches: () => codes.listRedemptionBatches(db),
    redeemCode: (userId: string, code: string) => codes.redeemCode(db, userId, code, now()),
    stripeEnabled: () => stripe !== undefined,
    async createCheckout(input: { userId: string; amountNanos: bigint; email?: string | undefined }): Promise<CheckoutSession> {
      const card = stripeOrThrow();
      checkTopUpAmount(input.amountNanos, options);
      return createStripeCheckout(db, card, input, now());
    },
    async handleStripeWebhook(payload: string, signatureHeader: string | undefined): Promise<StripeWebhookResult> {
      return processStripeWebhook(db, { payload, signatureHeader, stripe: stripeOrThrow(), now: now() });
    },
  };
}

/** Usage records and totals for the dashboards. */
function createReportMethods({ db }: ServiceContext) {
  return {
    platformTotals: (period: Period): Promise<PlatformTotals> => computePlatformTotals(db, period),
    listUsage: (filter: usage.UsageFilter, page: { limit: number; after?: usage.UsagePosition | undefined }) => usage.listUsageRecords(db, filter, page),
    getGeneration: (id: string, userId: string) => usage.getUsageRecord(db, id, userId),
    spendByDay: (filter: usage.UsageFilter, utcOffsetMinutes?: number) => usage.spendByDay(db, filter, utcOffsetMinutes),
    spendByModel: (filter: usage.UsageFilter) => usage.spendByModel(db, filter),
    spendTotal: (filter: usage.UsageFilter) => usage.spendTotal(db, filter),
    usageCsv: (filter: usage.UsageFilter) => generateUsageCsv(db, filter),
  };
}

function checkTopUpAmount(amountNanos: bigint, options: BillingOptions): void {
  if (amountNanos < options.topUpMinNanos || amountNanos > options.topUpMaxNanos) {
    const message = `The amount must be between $${formatUsd(options.topUpMinNanos)} and $${formatUsd(options.topUpMaxNanos)}.`;
    throw new GatewayError('invalid_request', { param: 'amount', message });
  }
  if (amountNanos % NANOS_PER_CENT !== 0n) throw new GatewayError('invalid_request', { param: 'amount', message: 'The amount must be whole cents.' });
}

/** The owning user of an API key, or undefined when there is no such key. */
async function findApiKeyOwner(db: BillingDb, apiKeyId: string): Promise<string | undefined> {
  const row = await db.selectFrom('api_keys').select('user_id').where('id', '=', apiKeyId).executeTakeFirst();
  return row?.user_id;
}
