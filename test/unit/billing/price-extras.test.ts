/**
 * Prices beyond plain tokens: long-context tiers, 1-hour cache writes, service tiers and web-search calls, in
 * the price engine and in holds, against hand-worked nano amounts and the shipped catalog's own rows.
 */
import { describe, expect, it } from 'vitest';
import { estimateChatHold } from '../../../src/billing/hold-estimate.js';
import { usdToNanos } from '../../../src/billing/money.js';
import { priceUsage, type BillableUsage } from '../../../src/billing/price.js';
import { countChatPromptTokens } from '../../../src/billing/token-count.js';
import { readCatalogFile } from '../../../src/catalog/catalog-file.js';
import type { CatalogModel, TokenPricing } from '../../../src/catalog/schema.js';
import { chatRequestSchema } from '../../../src/providers/openai/chat-types.js';
import type { NormalizedUsage } from '../../../src/providers/types.js';
import { testChatModel } from '../../support/test-models.js';

const tokens = (usage: Partial<NormalizedUsage>, extra: Partial<Extract<BillableUsage, { kind: 'tokens' }>> = {}): BillableUsage => ({
  kind: 'tokens',
  usage: { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, ...usage },
  ...extra,
});

const tiered: TokenPricing = {
  kind: 'tokens',
  inputPerMTok: '3',
  cachedInputPerMTok: '0.30',
  cacheWritePerMTok: '3.75',
  cacheWrite1hPerMTok: '6',
  outputPerMTok: '15',
  longContext: [
    { aboveInputTokens: 200_000, inputPerMTok: '6', cachedInputPerMTok: '0.60', cacheWritePerMTok: '7.50', cacheWrite1hPerMTok: '12', outputPerMTok: '22.50' },
  ],
  serviceTiers: { priority: { inputPerMTok: '5', outputPerMTok: '25' } },
  webSearchPerKCalls: '10',
};

describe('prices beyond plain tokens', () => {
  it('prices a prompt at the threshold at the base rates and one token above it at the tier rates, whole request', () => {
    expect(priceUsage(tokens({ inputTokens: 200_000, outputTokens: 1000 }), tiered)).toBe(200_000n * 3000n + 1000n * 15_000n);
    expect(priceUsage(tokens({ inputTokens: 200_001, outputTokens: 1000 }), tiered)).toBe(200_001n * 6000n + 1000n * 22_500n);
  });

  it('counts cached and cache-write tokens in the prompt length that picks the tier', () => {
    const usage = tokens({ inputTokens: 250_000, cachedInputTokens: 150_000, cacheWriteTokens: 60_000 });
    expect(priceUsage(usage, tiered)).toBe(40_000n * 6000n + 150_000n * 600n + 60_000n * 7500n);
  });

  it('prices 1-hour cache writes at their own rate and the rest of the writes at the 5-minute rate', () => {
    const usage = tokens({ inputTokens: 3000, cacheWriteTokens: 2000, cacheWrite1hTokens: 500 });
    expect(priceUsage(usage, tiered)).toBe(1000n * 3000n + 1500n * 3750n + 500n * 6000n);
  });

  it('refuses to price 1-hour writes on a model with no 1-hour rate, or more of them than writes', () => {
    const { cacheWrite1hPerMTok: _dropped, ...without } = tiered;
    expect(() => priceUsage(tokens({ inputTokens: 10, cacheWriteTokens: 10, cacheWrite1hTokens: 1 }), without)).toThrow(RangeError);
    expect(() => priceUsage(tokens({ inputTokens: 10, cacheWriteTokens: 1, cacheWrite1hTokens: 2 }), tiered)).toThrow(RangeError);
  });

  it('prices a service tier at its own rates and refuses a tier the catalog does not name', () => {
    expect(priceUsage(tokens({ inputTokens: 1000, outputTokens: 100 }, { serviceTier: 'priority' }), tiered)).toBe(1000n * 5000n + 100n * 25_000n);
    expect(() => priceUsage(tokens({ inputTokens: 1 }, { serviceTier: 'flex' }), tiered)).toThrow(RangeError);
  });

  it('adds web-search calls at the price per 1,000, exactly, and refuses them without a price', () => {
    // $10 per 1,000 calls = 10,000,000 nanos per call.
    expect(priceUsage(tokens({ inputTokens: 1000 }, { webSearchCalls: 3 }), tiered)).toBe(3_000_000n + 30_000_000n);
    expect(() => priceUsage(tokens({}, { webSearchCalls: 1 }), { kind: 'tokens', inputPerMTok: '1', outputPerMTok: '1' })).toThrow(RangeError);
  });
});

describe('holds cover the dearer prices', () => {
  const request = (fields: Record<string, unknown> = {}) => chatRequestSchema.parse({ model: 'm', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 10, ...fields });
  const model = (pricing: TokenPricing): CatalogModel => testChatModel({ pricing });

  it('holds every prompt token at the 1-hour write rate when the request has a 1-hour breakpoint, else at the 5-minute rate', () => {
    const oneHour = request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello', cache_control: { type: 'ephemeral', ttl: '1h' } }] }] });
    expect(estimateChatHold(oneHour, model(tiered))).toBe(BigInt(countChatPromptTokens(oneHour)) * 6000n + 10n * 15_000n);
    expect(estimateChatHold(request(), model(tiered))).toBe(BigInt(countChatPromptTokens(request())) * 3750n + 10n * 15_000n);
  });

  it('holds a prompt near a long-context threshold at the tier rates', () => {
    // The threshold is the counted prompt itself: not above it as counted, above it with the headroom.
    const counted = countChatPromptTokens(request());
    const plainRates = { kind: 'tokens' as const, inputPerMTok: '3', outputPerMTok: '15' };
    const withTier: TokenPricing = { ...plainRates, longContext: [{ aboveInputTokens: counted, inputPerMTok: '6', outputPerMTok: '22.50' }] };
    expect(estimateChatHold(request(), model(withTier))).toBe(BigInt(counted) * 6000n + 10n * 22_500n);
  });

  it('holds a priority-tier request and a web search at their prices', () => {
    const base = estimateChatHold(request(), model(tiered));
    expect(estimateChatHold(request({ service_tier: 'priority' }), model(tiered))).toBeGreaterThan(base);
    expect(estimateChatHold(request({ web_search_options: {} }), model(tiered))).toBe(base + 10_000_000n);
  });
});

describe('the shipped catalog prices long prompts and 1-hour writes', () => {
  const catalog = readCatalogFile();
  const pricingOf = (id: string): TokenPricing => {
    const found = catalog.find((m) => m.id === id);
    if (found?.pricing.kind !== 'tokens') throw new Error(`no token-priced model ${id}`);
    return found.pricing;
  };

  it.each([
    ['google/gemini-2.5-pro', 200_000, '2.50', '15.00'],
    ['anthropic/claude-sonnet-4-6', 200_000, '6.00', '22.50'],
    ['anthropic/claude-opus-4-6', 200_000, '10.00', '37.50'],
  ])('%s: above %i input tokens, $%s in and $%s out per 1M', (id, threshold, inUsd, outUsd) => {
    const pricing = pricingOf(id);
    const usage = tokens({ inputTokens: threshold + 50_000, outputTokens: 1_000_000 });
    const expected = (BigInt(threshold + 50_000) * BigInt(Math.round(Number(inUsd) * 1e9)) + 1_000_000n * BigInt(Math.round(Number(outUsd) * 1e9))) / 1_000_000n;
    expect(priceUsage(usage, pricing)).toBe(expected);
  });

  it('prices Qwen explicit-cache writes (DashScope cache_creation_input_tokens) at 1.25 times input, not at the input price', () => {
    for (const model of catalog.filter((m) => m.provider === 'alibaba' && m.modality === 'chat')) {
      if (model.pricing.kind !== 'tokens') throw new Error('token-priced');
      // 10K tokens: below every Qwen long-context threshold.
      const usage = tokens({ inputTokens: 10_000, cacheWriteTokens: 10_000 });
      expect(priceUsage(usage, model.pricing), model.id).toBe((usdToNanos(model.pricing.inputPerMTok) * 5n) / 400n);
    }
  });

  it('gives every Anthropic model a 1-hour write price of twice its input price', () => {
    for (const model of catalog.filter((m) => m.family === 'anthropic')) {
      if (model.pricing.kind !== 'tokens') throw new Error('token-priced');
      expect(Number(model.pricing.cacheWrite1hPerMTok), model.id).toBe(2 * Number(model.pricing.inputPerMTok));
    }
  });
});
