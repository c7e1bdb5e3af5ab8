/**
 * What every wire family's error reader shares: a body that may not be JSON (an HTML page from a proxy, say),
 * the catalog code an HTTP status implies when the body says nothing more specific, and when a `retry-after`
 * means anything. Each family keeps its own codes, wording and message policy.
 */
import type { z } from 'zod';
import type { ErrorCode } from '../shared/errors.js';

/** Parses a body; undefined when it is not JSON, so the caller decides by the HTTP status alone. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** The family's error body; undefined when the text is not JSON or not that shape. `unwrap` finds it inside a wrapper. */
export function readErrorBody<T>(schema: z.ZodType<T>, bodyText: string, unwrap: (json: unknown) => unknown = (json) => json): T | undefined {
  const parsed = schema.safeParse(unwrap(parseJsonText(bodyText)));
  return parsed.success ? parsed.data : undefined;
}

/** Statuses every family reads alike; a family adds its own (Anthropic's 529, Google's 408) and the rest are upstream errors. */
const commonStatusCodes: Readonly<Record<number, ErrorCode>> = {
  400: 'invalid_request',
  401: 'upstream_auth_failed',
  403: 'upstream_auth_failed',
  422: 'invalid_request',
  429: 'rate_limit_exceeded',
  503: 'upstream_unavailable',
  504: 'upstream_timeout',
};

export function codeForHttpStatus(status: number, familyCodes: Readonly<Record<number, ErrorCode>> = {}): ErrorCode {
  return familyCodes[status] ?? commonStatusCodes[status] ?? 'upstream_error';
}

/** A wait the upstream asked for is passed on only when the code says "try again later". */
export function retryAfterWhenRetryable(code: ErrorCode, seconds: number | undefined): { retryAfter?: number } {
  if (code !== 'rate_limit_exceeded' && code !== 'upstream_unavailable') return {};
  return seconds === undefined ? {} : { retryAfter: seconds };
}
