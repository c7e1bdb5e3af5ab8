import { describe, expect, it } from 'vitest';
import type { ModelPricing } from '../../../src/catalog/schema.js';
import { parseMultiplier } from '../../../src/billing/multiplier.js';
import { priceExact, priceUsage, roundHalfUpNanos, type BillableUsage } from '../../../src/billing/price.js';
import type { NormalizedUsage } from '../../../src/providers/types.js';

const tokens = (usage: Partial<NormalizedUsage>): BillableUsage => ({
  kind: 'tokens',
  usage: { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, ...usage },
});

const gpt: ModelPricing = { kind: 'tokens', inputPerMTok: '2.00', cachedInputPerMTok: '0.50', outputPerMTok: '8.00' };
const claude: ModelPricing = { kind: 'tokens', inputPerMTok: '3', cachedInputPerMTok: '0.30', cacheWritePerMTok: '3.75', outputPerMTok: '15' };
const plain: ModelPricing = { kind: 'tokens', inputPerMTok: '0.075', outputPerMTok: '0.3' };
const image: ModelPricing = { kind: 'image', perImage: '0.04', perImageBySize: { '1024x1536': '0.06', '2K': '0.08' } };
const video: ModelPricing = {
  kind: 'video',
  perSecond: [
    { mode: 'pro', resolution: '1080p', usd: '0.15' },
    { mode: 'pro', usd: '0.12' },
    { resolution: '1080p', usd: '0.10' },
    { usd: '0.07' },
  ],
};

describe('token price rules', () => {
  it.each<[string, ModelPricing, BillableUsage, bigint]>([
    ['input and output', gpt, tokens({ inputTokens: 1000, outputTokens: 500 }), 2_000_000n + 4_000_000n],
    ['cached input at the cached price', gpt, tokens({ inputTokens: 1000, cachedInputTokens: 400, outputTokens: 0 }), 600n * 2000n + 400n * 500n],
    ['cache writes default to the input price', gpt, tokens({ inputTokens: 1000, cacheWriteTokens: 1000 }), 2_000_000n],
    ['cache writes at their own price', claude, tokens({ inputTokens: 2000, cacheWriteTokens: 1000, cachedInputTokens: 500 }), 500n * 3000n + 1000n * 3750n + 500n * 300n],
    ['reasoning is part of output, not added again', gpt, tokens({ outputTokens: 1000, reasoningTokens: 800 }), 8_000_000n],
    ['cached price defaults to input', plain, tokens({ inputTokens: 100, cachedInputTokens: 100 }), 7500n],
    ['a sub-nano cost under a half rounds to 0', { kind: 'tokens', inputPerMTok: '0', outputPerMTok: '0.0003' }, tokens({ outputTokens: 1 }), 0n],
    ['an exact half nano rounds up', { kind: 'tokens', inputPerMTok: '0.0005', outputPerMTok: '0' }, tokens({ inputTokens: 1 }), 1n],
    ['just under a half rounds down', { kind: 'tokens', inputPerMTok: '0.000499999', outputPerMTok: '0' }, tokens({ inputTokens: 1 }), 0n],
    ['per-token nanos', plain, tokens({ inputTokens: 1, outputTokens: 1 }), 75n + 300n],
    ['zero usage is free', claude, tokens({}), 0n],
    ['a million output tokens cost the list price', claude, tokens({ outputTokens: 1_000_000 }), 15_000_000_000n],
  ])('%s', (_name, pricing, usage, expected) => {
    expect(priceUsage(usage, pricing)).toBe(expected);
  });

  it('0.0003 USD/M × 1 token is 0.3 nano and rounds to 0; × 2 tokens is 0.6 and rounds to 1', () => {
    const tiny: ModelPricing = { kind: 'tokens', inputPerMTok: '0', outputPerMTok: '0.0003' };
    expect(priceUsage(tokens({ outputTokens: 1 }), tiny)).toBe(0n);
    expect(priceUsage(tokens({ outputTokens: 2 }), tiny)).toBe(1n);
  });

  it('applies a multiplier before the single rounding', () => {
    // 3 tokens × 0.5 nano = 1.5 nano; × 1.1 = 1.65 → 2. Rounding first (2 × 1.1 = 2.2 → 2) would agree here,
    // but 1 token: 0.5 × 0.9 = 0.45 → 0, while rounding first gives 1 × 0.9 = 0.9 → 1.
    const half: ModelPricing = { kind: 'tokens', inputPerMTok: '0.0005', outputPerMTok: '0' };
    expect(priceUsage(tokens({ inputTokens: 3 }), half, parseMultiplier('1.1'))).toBe(2n);
    expect(priceUsage(tokens({ inputTokens: 1 }), half, parseMultiplier('0.9'))).toBe(0n);
    expect(priceUsage(tokens({ inputTokens: 1000, outputTokens: 500 }), gpt, parseMultiplier('1.25'))).toBe(7_500_000n);
    expect(priceUsage(tokens({ inputTokens: 1000 }), gpt, parseMultiplier('0'))).toBe(0n);
  });

  it('rejects usage whose cached and cache-write tokens exceed the input', () => {
    expect(() => priceUsage(tokens({ inputTokens: 10, cachedInputTokens: 8, cacheWriteTokens: 3 }), claude)).toThrow(RangeError);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2])('rejects a token count of %s', (count) => {
    expect(() => priceUsage(tokens({ outputTokens: count }), gpt)).toThrow(RangeError);
  });
});

describe('image price rules', () => {
  it.each<[string, BillableUsage, bigint]>([
    ['per image', { kind: 'image', images: 3 }, 120_000_000n],
    ['by size', { kind: 'image', images: 2, size: '1024x1536' }, 120_000_000n],
    ['by named size', { kind: 'image', images: 1, size: '2K' }, 80_000_000n],
    ['unknown size falls back to perImage', { kind: 'image', images: 1, size: '512x512' }, 40_000_000n],
    ['zero images', { kind: 'image', images: 0 }, 0n],
  ])('%s', (_name, usage, expected) => {
    expect(priceUsage(usage, image)).toBe(expected);
  });

  it('applies the multiplier to image prices', () => {
    expect(priceUsage({ kind: 'image', images: 1 }, image, parseMultiplier('1.333333'))).toBe(53_333_320n);
  });
});

describe('video price rules', () => {
  it.each<[string, BillableUsage, bigint]>([
    ['mode and resolution match the first rule', { kind: 'video', seconds: 5, mode: 'pro', resolution: '1080p' }, 750_000_000n],
    ['mode only', { kind: 'video', seconds: 5, mode: 'pro', resolution: '720p' }, 600_000_000n],
    ['resolution only', { kind: 'video', seconds: 10, mode: 'std', resolution: '1080p' }, 1_000_000_000n],
    ['catch-all rule', { kind: 'video', seconds: 4, resolution: '480p' }, 280_000_000n],
    ['no mode and no resolution', { kind: 'video', seconds: 1 }, 70_000_000n],
  ])('%s', (_name, usage, expected) => {
    expect(priceUsage(usage, video)).toBe(expected);
  });

  it('throws when no rule matches', () => {
    const strict: ModelPricing = { kind: 'video', perSecond: [{ resolution: '720p', usd: '0.1' }] };
    expect(() => priceUsage({ kind: 'video', seconds: 5, resolution: '1080p' }, strict)).toThrow(/No video price/);
  });

  it('rejects fractional seconds instead of rounding them', () => {
    expect(() => priceUsage({ kind: 'video', seconds: 5.5 }, video)).toThrow(RangeError);
  });
});

describe('price rule kinds', () => {
  it.each<[BillableUsage, ModelPricing]>([
    [tokens({ inputTokens: 1 }), image],
    [{ kind: 'image', images: 1 }, gpt],
    [{ kind: 'video', seconds: 1 }, image],
  ])('refuses to price %j with a mismatched rule', (usage, pricing) => {
    expect(() => priceUsage(usage, pricing)).toThrow(/cannot be priced/);
  });
});

describe('roundHalfUpNanos', () => {
  it.each<[bigint, bigint, bigint]>([
    [0n, 7n, 0n],
    [1n, 2n, 1n],
    [3n, 2n, 2n],
    [5n, 2n, 3n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [999_999n, 1_000_000n, 1n],
    [499_999n, 1_000_000n, 0n],
    [500_000n, 1_000_000n, 1n],
  ])('%s/%s → %s', (numerator, denominator, expected) => {
    expect(roundHalfUpNanos({ numerator, denominator })).toBe(expected);
  });

  it('refuses negative costs and empty denominators', () => {
    expect(() => roundHalfUpNanos({ numerator: -1n, denominator: 1n })).toThrow(RangeError);
    expect(() => roundHalfUpNanos({ numerator: 1n, denominator: 0n })).toThrow(RangeError);
  });
});

describe('priceExact', () => {
  it('keeps the unrounded rational', () => {
    expect(priceExact(tokens({ outputTokens: 1 }), plain, parseMultiplier('1.5'))).toEqual({ numerator: 300_000_000n * 15n, denominator: 1_000_000n * 10n });
  });
});
