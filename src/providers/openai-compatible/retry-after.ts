/**
 * `retry-after` (delta-seconds or an HTTP date) and OpenAI's `retry-after-ms` → whole seconds to wait.
 */

/** Case-insensitive header lookup: upstream clients do not all lower-case names. */
export function readOpenAICompatibleHeader(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/**
 * Seconds to wait, or undefined when no usable header is present. An HTTP date is measured from the upstream's
 * own `date` header when it sent one (so clock skew between hosts does not matter), else from `nowMs`.
 */
export function parseOpenAICompatibleRetryAfter(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const ms = readOpenAICompatibleHeader(headers, 'retry-after-ms')?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms) / 1000);
  const value = readOpenAICompatibleHeader(headers, 'retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  const upstreamNow = Date.parse(readOpenAICompatibleHeader(headers, 'date') ?? '');
  const reference = Number.isNaN(upstreamNow) ? nowMs : upstreamNow;
  // A date already past means "now", not a negative wait.
  return Math.max(0, Math.ceil((at - reference) / 1000));
}
