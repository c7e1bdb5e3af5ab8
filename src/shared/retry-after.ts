/**
 * The one reading of an upstream's "wait before retrying" headers, for every provider: OpenAI's `retry-after-ms`,
 * then `retry-after` as delta-seconds or an HTTP date. Whole seconds, rounded up.
 */
import type { Clock } from './clock.js';

/** Case-insensitive header lookup: upstream clients do not all lower-case names. */
export function readHeader(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

const decimalSeconds = /^\d+(\.\d+)?$/;

/**
 * Seconds to wait, or undefined when no usable header is present. An HTTP date is measured from the upstream's
 * own `date` header when it sent one (so clock skew between hosts does not matter), else from the clock.
 */
export function parseRetryAfter(headers: Readonly<Record<string, string>>, clock: Clock): number | undefined {
  const ms = readHeader(headers, 'retry-after-ms')?.trim();
  if (ms !== undefined && decimalSeconds.test(ms)) return Math.ceil(Number(ms) / 1000);
  const value = readHeader(headers, 'retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (decimalSeconds.test(value)) return Math.ceil(Number(value));
  // Only an RFC 7231 IMF-fixdate (or the obsolete forms Date.parse also reads) names a moment; "-5" or "soon" do not.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  const upstreamNow = Date.parse(readHeader(headers, 'date') ?? '');
  const reference = Number.isNaN(upstreamNow) ? clock.now() : upstreamNow;
  // A date already past means "now", not a negative wait.
  return Math.max(0, Math.ceil((at - reference) / 1000));
}
