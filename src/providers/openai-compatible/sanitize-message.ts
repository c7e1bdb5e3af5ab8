/**
 * Upstream error text → text safe to show a client: no URLs or host names of the upstream, no credentials or
 * anything shaped like one, bounded length.
 */

const MAX_LENGTH = 500;

const urlPattern = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi;
const hostPattern = /\b(?:[a-z0-9-]+\.)+(?:com|cn|ai|io|net|org|dev|cloud)\b/gi;
const bearerPattern = /\bBearer\s+\S+/gi;
const keyPattern = /\b(?:sk|xai|pk|rk|ak|th|key)[-_][A-Za-z0-9*._-]{6,}/gi;
/** Opaque tokens (hex keys, JWTs) are long runs without spaces mixing letters and digits; prose never is. */
const longRunPattern = /[A-Za-z0-9_.*+/=-]{32,}/g;

export function sanitizeOpenAICompatibleMessage(text: string, secrets: readonly string[]): string {
  let out = text.replace(urlPattern, '[url]');
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  out = out
    .replace(bearerPattern, 'Bearer [redacted]')
    .replace(keyPattern, '[redacted]')
    .replace(longRunPattern, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? '[redacted]' : run))
    .replace(hostPattern, '[host]')
    .replace(/\s+/g, ' ')
    .trim();
  return out.length > MAX_LENGTH ? `${out.slice(0, MAX_LENGTH - 3)}...` : out;
}
