/**
 * The price engine: a pure function from billable usage and a model's price rule to a cost in nano-dollars.
 *
 * Rounding rule (the only one in the code base): the exact cost is computed as a rational number of nanos —
 *   Σ (units × catalog price in nanos) × multiplier numerator  /  (units per price × multiplier denominator)
 * with bigint numerator and denominator, and rounded ONCE at the end, to the nearest nano-dollar, halves up.
 * Catalog prices have at most 9 decimals, so each price is an exact integer of nanos per unit; the only
 * division is that final one. Half-up keeps each charge within ±0.5 nano ($5e-10) of the exact cost without
 * a systematic bias either way; because the same function prices the hold (worst-case usage) and the charge
 * (actual usage) and rounding is monotone, a charge never exceeds its hold when usage stays within the
 * worst case. Consequence for sums: exact costs are additive (same denominator for every usage of one rule
 * and multiplier); rounded costs of k parts differ from the rounded cost of the whole by at most k/2 + 1/2 nano.
 */
import type { ModelPricing, TokenPricing, TokenRates } from '../catalog/schema.js';
import type { NormalizedUsage } from '../providers/types.js';
import { usdToNanos } from './money.js';
import { MULTIPLIER_ONE, type Multiplier } from './multiplier.js';

const TOKENS_PER_PRICE = 1_000_000n;

export type BillableUsage =
  | {
      kind: 'tokens';
      usage: NormalizedUsage;
      /** An upstream service tier priced in the catalog (`priority`); absent = the standard rates. */
      serviceTier?: string | undefined;
      /** Web-search calls billed per 1,000 (`webSearchPerKCalls`). */
      webSearchCalls?: number | undefined;
      /** The prompt length that selects a long-context tier when it is not `usage.inputTokens` (a hold's headroom). */
      tierInputTokens?: number | undefined;
    }
  /** `size` selects a perImageBySize price ("1024x1024", "2K"). */
  | { kind: 'image'; images: number; size?: string | undefined }
  | { kind: 'video'; seconds: number; mode?: string | undefined; resolution?: string | undefined };

/** An exact cost in nanos: numerator / denominator, both bigint, denominator > 0. */
export interface ExactCost {
  numerator: bigint;
  denominator: bigint;
}

/** The priced cost of `usage` under `pricing` and `multiplier`, rounded once (half up) to whole nanos. */
export function priceUsage(usage: BillableUsage, pricing: ModelPricing, multiplier: Multiplier = MULTIPLIER_ONE): bigint {
  return roundHalfUpNanos(priceExact(usage, pricing, multiplier));
}

/** The exact, unrounded cost. Throws RangeError when the usage does not fit the rule or is malformed. */
export function priceExact(usage: BillableUsage, pricing: ModelPricing, multiplier: Multiplier = MULTIPLIER_ONE): ExactCost {
  const base = priceBase(usage, pricing);
  return { numerator: base.numerator * multiplier.numerator, denominator: base.denominator * multiplier.denominator };
}

/** Round half up (toward +∞ on an exact half) to whole nanos. Costs are never negative. */
export function roundHalfUpNanos(cost: ExactCost): bigint {
  if (cost.denominator <= 0n || cost.numerator < 0n) throw new RangeError('A cost must be a non-negative rational');
  return (2n * cost.numerator + cost.denominator) / (2n * cost.denominator);
}

function priceBase(usage: BillableUsage, pricing: ModelPricing): ExactCost {
  if (usage.kind === 'tokens' && pricing.kind === 'tokens') return priceTokens(usage, pricing);
  if (usage.kind === 'image' && pricing.kind === 'image') {
    const unit = usage.size !== undefined ? (pricing.perImageBySize?.[usage.size] ?? pricing.perImage) : pricing.perImage;
    return { numerator: BigInt(requireCount(usage.images, 'images')) * usdToNanos(unit), denominator: 1n };
  }
  if (usage.kind === 'video' && pricing.kind === 'video') {
    const rule = findVideoRate(pricing.perSecond, usage.mode, usage.resolution);
    if (!rule) {
      throw new RangeError(`No video price for mode ${usage.mode ?? '(none)'} and resolution ${usage.resolution ?? '(none)'}`);
    }
    return { numerator: BigInt(requireCount(usage.seconds, 'seconds')) * usdToNanos(rule.usd), denominator: 1n };
  }
  throw new RangeError(`Usage of kind ${usage.kind} cannot be priced by a ${pricing.kind} price rule`);
}

function priceTokens(billable: Extract<BillableUsage, { kind: 'tokens' }>, pricing: TokenPricing): ExactCost {
  const usage = billable.usage;
  const input = BigInt(requireCount(usage.inputTokens, 'inputTokens'));
  const cached = BigInt(requireCount(usage.cachedInputTokens, 'cachedInputTokens'));
  const written = BigInt(requireCount(usage.cacheWriteTokens, 'cacheWriteTokens'));
  const writtenFor1h = BigInt(requireCount(usage.cacheWrite1hTokens ?? 0, 'cacheWrite1hTokens'));
  const output = BigInt(requireCount(usage.outputTokens, 'outputTokens'));
  const searchCalls = BigInt(requireCount(billable.webSearchCalls ?? 0, 'webSearchCalls'));
  requireCount(usage.reasoningTokens, 'reasoningTokens');
  const uncached = input - cached - written;
  if (uncached < 0n) throw new RangeError('cachedInputTokens + cacheWriteTokens exceed inputTokens');
  if (writtenFor1h > written) throw new RangeError('cacheWrite1hTokens exceed cacheWriteTokens');
  const tierInput = requireCount(billable.tierInputTokens ?? usage.inputTokens, 'tierInputTokens');
  const prices = tokenPricesNanos(tokenRatesFor(pricing, billable.serviceTier, tierInput));
  if (writtenFor1h > 0n && prices.cacheWrite1h === undefined) throw new RangeError('This model has no price for 1-hour cache writes');
  let numerator =
    uncached * prices.input +
    cached * prices.cachedInput +
    (written - writtenFor1h) * prices.cacheWrite +
    writtenFor1h * (prices.cacheWrite1h ?? 0n) +
    output * prices.output;
  if (searchCalls > 0n) {
    if (pricing.webSearchPerKCalls === undefined) throw new RangeError('This model has no web-search price');
    // nanos per 1,000 calls, over the common denominator of 1M tokens: × 1,000 keeps the sum exact.
    numerator += searchCalls * usdToNanos(pricing.webSearchPerKCalls) * (TOKENS_PER_PRICE / 1_000n);
  }
  return { numerator, denominator: TOKENS_PER_PRICE };
}

/**
 * The rates one request is priced at: the service tier's (or the base) rates, replaced by the highest
 * long-context tier the prompt is longer than. Throws for a service tier the catalog does not price.
 */
export function tokenRatesFor(pricing: TokenPricing, serviceTier: string | undefined, inputTokens: number): TokenRates {
  let rates: TokenRates = pricing;
  if (serviceTier !== undefined) {
    const tierRates = Object.hasOwn(pricing.serviceTiers ?? {}, serviceTier) ? pricing.serviceTiers?.[serviceTier] : undefined;
    if (tierRates === undefined) throw new RangeError(`No price for service tier ${serviceTier}`);
    rates = tierRates;
  }
  const longContext = rates.longContext?.findLast((tier) => inputTokens > tier.aboveInputTokens);
  return longContext ?? rates;
}

/** Nanos per 1M tokens for each token class, with the catalog's defaults applied; 1-hour writes have no default. */
export function tokenPricesNanos(rates: Omit<TokenRates, 'longContext'>): {
  input: bigint;
  cachedInput: bigint;
  cacheWrite: bigint;
  cacheWrite1h: bigint | undefined;
  output: bigint;
} {
  const input = usdToNanos(rates.inputPerMTok);
  return {
    input,
    cachedInput: rates.cachedInputPerMTok !== undefined ? usdToNanos(rates.cachedInputPerMTok) : input,
    cacheWrite: rates.cacheWritePerMTok !== undefined ? usdToNanos(rates.cacheWritePerMTok) : input,
    cacheWrite1h: rates.cacheWrite1hPerMTok !== undefined ? usdToNanos(rates.cacheWrite1hPerMTok) : undefined,
    output: usdToNanos(rates.outputPerMTok),
  };
}

type VideoRate = { mode?: string | undefined; resolution?: string | undefined; usd: string };

/** The first rule whose mode and resolution match; an absent field on a rule matches anything. */
export function findVideoRate(rules: VideoRate[], mode: string | undefined, resolution: string | undefined): VideoRate | undefined {
  return rules.find(
    (rule) => (rule.mode === undefined || rule.mode === mode) && (rule.resolution === undefined || rule.resolution === resolution),
  );
}

function requireCount(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}
