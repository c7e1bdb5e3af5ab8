import { describe, expect, it } from 'vitest';
import { centsToNanos, formatUsd, nanosToUsdNumber, nanosToWholeCents, usdToNanos } from '../../../src/billing/money.js';
import { formatMultiplier, parseMultiplier } from '../../../src/billing/multiplier.js';

describe('usdToNanos', () => {
  it.each([
    ['0', 0n],
    ['2.50', 2_500_000_000n],
    ['0.000000001', 1n],
    ['123456789.123456789', 123_456_789_123_456_789n],
    ['-1.5', -1_500_000_000n],
    ['+3', 3_000_000_000n],
    [' 0.1 ', 100_000_000n],
  ])('parses %s exactly', (text, nanos) => {
    expect(usdToNanos(text)).toBe(nanos);
  });

  it.each(['0.0000000001', '1e3', '', '.5', '1.', 'abc', '1,5'])('rejects %j instead of rounding', (text) => {
    expect(() => usdToNanos(text)).toThrow(RangeError);
  });
});

describe('formatUsd', () => {
  it.each([
    [0n, '0.00'],
    [2_500_000_000n, '2.50'],
    [1n, '0.000000001'],
    [123_400_000n, '0.1234'],
    [-1_500_000_000n, '-1.50'],
    [10_000_000_000_000n, '10000.00'],
  ])('formats %s as %s', (nanos, text) => {
    expect(formatUsd(nanos)).toBe(text);
  });

  it('round-trips through usdToNanos', () => {
    for (const nanos of [0n, 1n, 999_999_999n, 1_000_000_001n, -42n, 9_007_199_254_740_993n]) {
      expect(usdToNanos(formatUsd(nanos))).toBe(nanos);
    }
  });
});

describe('nanosToUsdNumber', () => {
  it('gives the nearest double for display', () => {
    expect(nanosToUsdNumber(2_500_000_000n)).toBe(2.5);
    expect(nanosToUsdNumber(1n)).toBe(1e-9);
    expect(nanosToUsdNumber(123_456_789n)).toBe(0.123456789);
  });
});

describe('cents', () => {
  it('converts whole cents both ways and refuses fractions of a cent', () => {
    expect(centsToNanos(1234)).toBe(12_340_000_000n);
    expect(nanosToWholeCents(12_340_000_000n)).toBe(1234n);
    expect(() => nanosToWholeCents(12_345_000_000n + 1n)).toThrow(RangeError);
  });
});

describe('multipliers', () => {
  it.each([
    ['1', 1n, 1n, '1'],
    ['1.25', 125n, 100n, '1.25'],
    ['0.9', 9n, 10n, '0.9'],
    ['2.000', 2000n, 1000n, '2'],
    ['0', 0n, 1n, '0'],
    ['1.000001', 1_000_001n, 1_000_000n, '1.000001'],
  ])('parses %s as an exact rational', (text, numerator, denominator, canonical) => {
    const multiplier = parseMultiplier(text);
    expect(multiplier).toEqual({ numerator, denominator });
    expect(formatMultiplier(multiplier)).toBe(canonical);
  });

  it.each(['-1', '1.0000001', '1e2', 'x', ''])('rejects %j', (text) => {
    expect(() => parseMultiplier(text)).toThrow(RangeError);
  });
});
