/**
 * Money is an integer count of nano-dollars (1e-9 USD) held in a bigint. Decimal USD strings from the catalog,
 * the admin and the dashboard are parsed exactly; a float appears only in `nanosToUsdNumber`, for the
 * OpenAI-style `usage.cost` number a client displays.
 */

export const NANOS_PER_USD = 1_000_000_000n;
export const NANOS_PER_CENT = 10_000_000n;

/**
 * The largest amount one operation may move or set: 1,000,000,000 USD (1e18 nanos). Money columns are signed
 * 64-bit (at most about 9.22e18 nanos), so an amount within this bound always fits and leaves room for a balance.
 */
export const MAX_OPERATION_NANOS = 1_000_000_000n * NANOS_PER_USD;

/**
 * The largest balance an account may hold: 9,000,000,000 USD (9e18 nanos), under the signed 64-bit column limit
 * (about 9.22e18), so many grants in a row meet a clear refusal instead of a database overflow.
 */
export const MAX_BALANCE_NANOS = 9_000_000_000n * NANOS_PER_USD;

const USD_PATTERN = /^([+-]?)(\d+)(?:\.(\d{1,9}))?$/;

/** Exact parse of a decimal USD string ("2.50", "-0.000000001"); throws RangeError on more than 9 decimals. */
export function usdToNanos(usd: string): bigint {
  const match = USD_PATTERN.exec(usd.trim());
  if (!match) throw new RangeError(`Not a USD amount with at most 9 decimals: "${usd}"`);
  const [, sign, whole = '0', fraction = ''] = match;
  const nanos = BigInt(whole) * NANOS_PER_USD + BigInt(fraction.padEnd(9, '0'));
  return sign === '-' ? -nanos : nanos;
}

/** True when `usd` is a decimal string `usdToNanos` accepts. */
export function isUsdString(usd: string): boolean {
  return USD_PATTERN.test(usd.trim());
}

/**
 * Exact decimal USD string, trailing zeros trimmed to at least two decimals: 2500000000n → "2.50",
 * 123n → "0.000000123", -1n → "-0.000000001".
 */
export function formatUsd(nanos: bigint): string {
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const whole = magnitude / NANOS_PER_USD;
  let fraction = (magnitude % NANOS_PER_USD).toString().padStart(9, '0').replace(/0+$/, '');
  if (fraction.length < 2) fraction = fraction.padEnd(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/**
 * The nearest double to the exact amount, for display fields such as `usage.cost`. Never feed the result back
 * into a computation.
 */
export function nanosToUsdNumber(nanos: bigint): number {
  return Number(formatUsd(nanos));
}

/** Whole US cents → nanos. */
export function centsToNanos(cents: bigint | number): bigint {
  return BigInt(cents) * NANOS_PER_CENT;
}

/** Nanos → whole cents; throws when the amount is not a whole number of cents (payment processors need cents). */
export function nanosToWholeCents(nanos: bigint): bigint {
  if (nanos % NANOS_PER_CENT !== 0n) throw new RangeError(`${formatUsd(nanos)} USD is not a whole number of cents`);
  return nanos / NANOS_PER_CENT;
}
