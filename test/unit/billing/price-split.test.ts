/**
 * What is invariant when usage is split into parts (say, a stream billed per chunk versus once at the end):
 *  1. the EXACT rational cost is additive — the parts' numerators over the common denominator sum to the
 *     whole's numerator, for every rule and multiplier;
 *  2. the ROUNDED costs are not: each rounding moves a cost by at most half a nano, so k parts rounded one by
 *     one differ from the whole rounded once by strictly less than (k + 1) / 2 nanos — 2·|Σ parts − whole| ≤ k;
 *  3. when every unit costs a whole number of nanos (no division), rounding is exact and the sums agree.
 * Checked on seeded random usage, prices and multipliers so failures reproduce.
 */
import { describe, expect, it } from 'vitest';
import type { ModelPricing } from '../../../src/catalog/schema.js';
import { parseMultiplier, type Multiplier } from '../../../src/billing/multiplier.js';
import { priceExact, priceUsage, type BillableUsage } from '../../../src/billing/price.js';
import type { NormalizedUsage } from '../../../src/providers/types.js';

function createRandom(seed: number): (max: number) => number {
  let state = seed >>> 0;
  return (max) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % max;
  };
}

/** Splits n into k non-negative integers that sum to n. */
function splitCount(n: number, k: number, random: (max: number) => number): number[] {
  const cuts = Array.from({ length: k - 1 }, () => random(n + 1)).sort((a, b) => a - b);
  const parts: number[] = [];
  let previous = 0;
  for (const cut of [...cuts, n]) {
    parts.push(cut - previous);
    previous = cut;
  }
  return parts;
}

function randomUsd(random: (max: number) => number): string {
  return `${random(20)}.${String(random(1_000_000_000)).padStart(9, '0')}`;
}

function randomMultiplier(random: (max: number) => number): Multiplier {
  return parseMultiplier(`${random(3)}.${String(random(1_000_000)).padStart(6, '0')}`);
}

function splitTokens(usage: NormalizedUsage, k: number, random: (max: number) => number): NormalizedUsage[] {
  const uncached = splitCount(usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens, k, random);
  const cached = splitCount(usage.cachedInputTokens, k, random);
  const written = splitCount(usage.cacheWriteTokens, k, random);
  const output = splitCount(usage.outputTokens, k, random);
  return uncached.map((u, i) => ({
    inputTokens: u + cached[i]! + written[i]!,
    cachedInputTokens: cached[i]!,
    cacheWriteTokens: written[i]!,
    outputTokens: output[i]!,
    reasoningTokens: 0,
  }));
}

interface Case {
  whole: BillableUsage;
  parts: BillableUsage[];
  pricing: ModelPricing;
  multiplier: Multiplier;
}

function randomCase(random: (max: number) => number): Case {
  const k = 1 + random(12);
  const multiplier = randomMultiplier(random);
  const kind = random(3);
  if (kind === 0) {
    const cached = random(5000);
    const written = random(5000);
    const usage = { inputTokens: cached + written + random(200_000), cachedInputTokens: cached, cacheWriteTokens: written, outputTokens: random(100_000), reasoningTokens: 0 };
    const pricing: ModelPricing = { kind: 'tokens', inputPerMTok: randomUsd(random), cachedInputPerMTok: randomUsd(random), cacheWritePerMTok: randomUsd(random), outputPerMTok: randomUsd(random) };
    return { whole: { kind: 'tokens', usage }, parts: splitTokens(usage, k, random).map((u) => ({ kind: 'tokens', usage: u })), pricing, multiplier };
  }
  if (kind === 1) {
    const images = random(50);
    return { whole: { kind: 'image', images }, parts: splitCount(images, k, random).map((n) => ({ kind: 'image', images: n })), pricing: { kind: 'image', perImage: randomUsd(random) }, multiplier };
  }
  const seconds = random(120);
  const pricing: ModelPricing = { kind: 'video', perSecond: [{ usd: randomUsd(random) }] };
  return { whole: { kind: 'video', seconds }, parts: splitCount(seconds, k, random).map((s) => ({ kind: 'video', seconds: s })), pricing, multiplier };
}

describe('splitting usage', () => {
  it('keeps the exact cost: the parts sum to the whole before rounding (2,000 random cases)', () => {
    const random = createRandom(20260101);
    for (let i = 0; i < 2000; i++) {
      const { whole, parts, pricing, multiplier } = randomCase(random);
      const exactWhole = priceExact(whole, pricing, multiplier);
      const exactParts = parts.map((part) => priceExact(part, pricing, multiplier));
      for (const part of exactParts) expect(part.denominator).toBe(exactWhole.denominator);
      expect(exactParts.reduce((sum, part) => sum + part.numerator, 0n)).toBe(exactWhole.numerator);
    }
  });

  it('moves the rounded cost by less than (parts + 1) / 2 nanos (2,000 random cases)', () => {
    const random = createRandom(424242);
    let differed = 0;
    for (let i = 0; i < 2000; i++) {
      const { whole, parts, pricing, multiplier } = randomCase(random);
      const roundedWhole = priceUsage(whole, pricing, multiplier);
      const roundedParts = parts.reduce((sum, part) => sum + priceUsage(part, pricing, multiplier), 0n);
      const drift = roundedParts > roundedWhole ? roundedParts - roundedWhole : roundedWhole - roundedParts;
      expect(2n * drift).toBeLessThanOrEqual(BigInt(parts.length));
      if (drift !== 0n) differed += 1;
    }
    // The bound is not vacuous: rounding per part does change totals in practice.
    expect(differed).toBeGreaterThan(0);
  });

  it('is exact when every unit costs whole nanos', () => {
    const random = createRandom(7);
    const pricing: ModelPricing = { kind: 'tokens', inputPerMTok: '3', cachedInputPerMTok: '0.3', cacheWritePerMTok: '3.75', outputPerMTok: '15' };
    for (let i = 0; i < 500; i++) {
      const usage = { inputTokens: 30_000 + random(50_000), cachedInputTokens: random(10_000), cacheWriteTokens: random(20_000), outputTokens: random(40_000), reasoningTokens: 0 };
      const parts = splitTokens(usage, 1 + random(10), random);
      const sum = parts.reduce((total, part) => total + priceUsage({ kind: 'tokens', usage: part }, pricing), 0n);
      expect(sum).toBe(priceUsage({ kind: 'tokens', usage }, pricing));
    }
  });

  it('shows the drift on a minimal example: three 0.5-nano tokens', () => {
    const pricing: ModelPricing = { kind: 'tokens', inputPerMTok: '0.0005', outputPerMTok: '0' };
    const one = priceUsage({ kind: 'tokens', usage: { inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 } }, pricing);
    const three = priceUsage({ kind: 'tokens', usage: { inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 } }, pricing);
    expect(3n * one).toBe(3n);
    expect(three).toBe(2n);
  });
});
