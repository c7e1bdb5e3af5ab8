/**
 * Display formatting in the user's locale. Amounts arrive from the API as exact decimal USD strings; they become
 * numbers here only to be shown, never to be added up.
 */

export type UsdStyle = 'balance' | 'cost' | 'price';

/** Balances to the cent; per-request costs and unit prices keep the digits that matter for small amounts. */
export function formatUsd(amount: string | number | null | undefined, locale: string, style: UsdStyle = 'balance'): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const value = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(value)) return String(amount);
  const magnitude = Math.abs(value);
  let maximumFractionDigits = 2;
  if (style !== 'balance' && magnitude > 0 && magnitude < 1) maximumFractionDigits = style === 'price' ? 4 : 6;
  if (style === 'price' && magnitude > 0 && magnitude < 0.0001) maximumFractionDigits = 9;
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits }).format(value);
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** 1234567 → "1.2M" (or the locale's short form). */
export function formatCompact(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

export function formatDateTime(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/** A `YYYY-MM-DD` calendar day, shown without shifting it through a time zone. */
export function formatDay(day: string, locale: string, style: 'short' | 'medium' = 'short'): string {
  const [year, month, date] = day.split('-').map(Number);
  if (!year || !month || !date) return day;
  const options: Intl.DateTimeFormatOptions = style === 'short' ? { month: 'short', day: 'numeric', timeZone: 'UTC' } : { dateStyle: 'medium', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(new Date(Date.UTC(year, month - 1, date)));
}

export function formatMs(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${formatNumber(ms, locale)} ms`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

/** Minutes east of UTC for this browser, as the API's `tz_offset` wants it. */
export function localUtcOffsetMinutes(date: Date = new Date()): number {
  return -date.getTimezoneOffset();
}

/** True for what the API accepts as a USD amount: "25", "2.50", up to 9 decimals. */
export function isUsdAmount(text: string): boolean {
  return /^\d{1,9}(\.\d{1,9})?$/.test(text.trim());
}
