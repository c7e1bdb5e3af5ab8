/**
 * The dashboard's cookie: HttpOnly (page scripts never see the token), SameSite=Lax, Secure when the request
 * arrived over HTTPS (directly or through a proxy that says so), and scoped to the whole site.
 */
export const SESSION_COOKIE = 'th_session';

export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    // The first occurrence wins, as browsers send the most specific path first.
    if (!cookies.has(name)) cookies.set(name, raw);
  }
  return cookies;
}

export function readSessionCookie(header: string | undefined): string | undefined {
  return parseCookieHeader(header).get(SESSION_COOKIE);
}

export interface SessionCookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
}

export function serializeSessionCookie(token: string, options: SessionCookieOptions): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${options.maxAgeSeconds}`];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function serializeClearedSessionCookie(secure: boolean): string {
  return serializeSessionCookie('', { secure, maxAgeSeconds: 0 });
}
