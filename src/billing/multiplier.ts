/**
 * A reseller price multiplier as an exact rational. Admins write it as a decimal string ("1.25", "0.9"); it is
 * kept as that string in the store and parsed to numerator/denominator here, so no float ever scales a price.
 */

export interface Multiplier {
  numerator: bigint;
  denominator: bigint;
}

export const MULTIPLIER_ONE: Multiplier = { numerator: 1n, denominator: 1n };

const MULTIPLIER_PATTERN = /^(\d{1,6})(?:\.(\d{1,6}))?$/;

/** "1.25" → 125/100. At most 6 decimals and 6 integer digits; zero is allowed (a free group). */
export function parseMultiplier(text: string): Multiplier {
  const match = MULTIPLIER_PATTERN.exec(text.trim());
  if (!match) throw new RangeError(`Not a multiplier (decimal with at most 6 decimals): "${text}"`);
  const [, whole = '0', fraction = ''] = match;
  const denominator = 10n ** BigInt(fraction.length);
  return { numerator: BigInt(whole) * denominator + BigInt(fraction || '0'), denominator };
}

export function isMultiplierString(text: string): boolean {
  return MULTIPLIER_PATTERN.test(text.trim());
}

/** Canonical text for storage and display: "1.250" → "1.25", "2.0" → "2". */
export function formatMultiplier(multiplier: Multiplier): string {
  const { numerator, denominator } = multiplier;
  const whole = numerator / denominator;
  const rest = numerator % denominator;
  if (rest === 0n) return whole.toString();
  const digits = denominator.toString().length - 1;
  return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}
