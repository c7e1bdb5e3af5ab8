/**
 * CSRF defence for cookie-authenticated requests, in two layers: a per-session token the page echoes in
 * `x-csrf-token` (a cross-site form cannot read it), and a same-origin check on the browser's own
 * `Origin` / `Sec-Fetch-Site` headers for the requests that have no session yet (log-in, sign-up).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

// Comparing digests keeps the comparison constant-time whatever length the caller sends.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function checkCsrfToken(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

export interface OriginHeaders {
  origin?: string | undefined;
  host?: string | undefined;
  secFetchSite?: string | undefined;
}

/**
 * False when the browser says the request came from another site. Requests without these headers (curl,
 * scripts, very old browsers) pass: they carry no ambient cookies an attacker could borrow.
 */
export function isSameOriginRequest(headers: OriginHeaders): boolean {
  if (headers.secFetchSite && !['same-origin', 'none'].includes(headers.secFetchSite)) return false;
  if (!headers.origin) return true;
  if (headers.origin === 'null' || !headers.host) return false;
  try {
    return new URL(headers.origin).host === headers.host;
  } catch {
    // An unparsable Origin is not one a real browser on our page sends.
    return false;
  }
}
