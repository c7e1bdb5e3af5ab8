/**
 * Worst-case costs for holds, and usage estimates for streams that ended without the upstream's usage.
 */
import type { CatalogModel, ModelPricing } from '../catalog/schema.js';
import { findOneHourCacheBreakpoint } from '../providers/anthropic/cache-ttl-pricing.js';
import type { ChatRequest } from '../providers/openai/chat-types.js';
import { outputTokenCeiling } from '../providers/output-limit.js';
import type { NormalizedUsage } from '../providers/types.js';
import { MULTIPLIER_ONE, type Multiplier } from './multiplier.js';
import { priceUsage, tokenPricesNanos, tokenRatesFor, type BillableUsage } from './price.js';
import { pricedFeaturesOf } from './priced-features.js';
import { countChatPromptTokens, countTokens } from './token-count.js';

/**
 * The output-token ceiling of a chat request, as every adapter sends it (providers/output-limit.ts): the limit
 * per choice (max_completion_tokens wins over max_tokens, the other is never sent), else the model's maximum,
 * times `n`. A model without a declared maximum (0) may fill its context: context length minus prompt.
 */
export function chatOutputLimit(request: ChatRequest, model: CatalogModel, promptTokens: number): number {
  return outputTokenCeiling(request, model, Math.max(model.contextLength - promptTokens, 0));
}

/**
 * Headroom on the locally counted prompt when choosing a long-context tier for a hold: the count uses one
 * tokenizer for every provider, and other tokenizers give up to about a third more tokens for the same text.
 * A prompt counted at 150K is held at the rates for 225K, so a prompt the upstream measures just above a 200K
 * threshold is still covered. Past EXACT_COUNT_MAX_CHARS the count is the byte length, an upper bound already.
 */
export const TIER_HEADROOM = { numerator: 3, denominator: 2 } as const;

/** Worst-case usage of a chat request: every prompt token at the dearest input rate, and the full output limit. */
export function worstCaseChatUsage(request: ChatRequest, model: CatalogModel): BillableUsage {
  if (model.pricing.kind === 'image') return { kind: 'image', images: request.n ?? 1, size: dearestImageSize(model.pricing) };
  if (model.pricing.kind === 'video') throw new RangeError(`Model ${model.id} is priced per video second, not per chat request`);
  const inputTokens = countChatPromptTokens(request);
  const outputTokens = chatOutputLimit(request, model, inputTokens);
  const features = pricedFeaturesOf(request, model.pricing);
  const tierInputTokens = Math.ceil((inputTokens * TIER_HEADROOM.numerator) / TIER_HEADROOM.denominator);
  // Cache writes can cost more than plain input (Anthropic: 1.25×, 2× for the 1-hour cache): the hold puts every
  // prompt token in the dearest input class, so no split of the real prompt across classes can cost more.
  const prices = tokenPricesNanos(tokenRatesFor(model.pricing, features.serviceTier, tierInputTokens));
  const dearest = [
    { price: prices.input, usage: { cachedInputTokens: 0, cacheWriteTokens: 0 } },
    { price: prices.cacheWrite, usage: { cachedInputTokens: 0, cacheWriteTokens: inputTokens } },
    // Only a request with a 1-hour breakpoint can write to the 1-hour cache.
    { price: findOneHourCacheBreakpoint(request) !== undefined ? (prices.cacheWrite1h ?? 0n) : 0n, usage: { cachedInputTokens: 0, cacheWriteTokens: inputTokens, cacheWrite1hTokens: inputTokens } },
    { price: prices.cachedInput, usage: { cachedInputTokens: inputTokens, cacheWriteTokens: 0 } },
  ].reduce((best, option) => (option.price > best.price ? option : best));
  return { kind: 'tokens', usage: { inputTokens, ...dearest.usage, outputTokens, reasoningTokens: 0 }, ...features, tierInputTokens };
}

/** Nanos to hold before forwarding a chat request. */
export function estimateChatHold(request: ChatRequest, model: CatalogModel, multiplier: Multiplier = MULTIPLIER_ONE): bigint {
  return priceUsage(worstCaseChatUsage(request, model), model.pricing, multiplier);
}

/**
 * Usage of a stream that broke before the upstream reported any: the prompt counted over the request and the
 * completion counted over the text actually delivered (content, reasoning and tool-call arguments).
 */
export function estimateUsageFromText(request: ChatRequest, deliveredText: string): NormalizedUsage {
  return {
    inputTokens: countChatPromptTokens(request),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: countTokens(deliveredText),
    reasoningTokens: 0,
  };
}

function dearestImageSize(pricing: Extract<ModelPricing, { kind: 'image' }>): string | undefined {
  let best: string | undefined;
  let bestNanos = priceUsage({ kind: 'image', images: 1 }, pricing);
  for (const size of Object.keys(pricing.perImageBySize ?? {})) {
    const nanos = priceUsage({ kind: 'image', images: 1, size }, pricing);
    if (nanos > bestNanos) {
      best = size;
      bestNanos = nanos;
    }
  }
  return best;
}
