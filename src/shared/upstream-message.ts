/**
 * The one policy for upstream error text a client (or a log line) may see, for every wire family: no URLs or
 * host names of the upstream (URLs may carry signatures or `?key=`), no credential of the channel or anything
 * shaped like one, one line, bounded length.
 */

export const UPSTREAM_MESSAGE_MAX_LENGTH = 500;

/** Secrets shorter than this are not searched for: replacing two-letter strings would shred ordinary words. */
const MIN_SECRET_LENGTH = 4;

const urlPattern = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)\]}]+/gi;
/** `authorization: Bearer …`, `x-api-key=…` echoed back by a proxy. */
const credentialHeaderPattern = /\b(x-api-key|x-goog-api-key|authorization)\s*[:=]\s*(?:bearer\s+)?[^\s()[\]{}'"]+/gi;
const bearerPattern = /\bBearer\s+\S+/gi;
const keyParameterPattern = /\bkey=[^&\s"']+/gi;
const googleKeyPattern = /\bAIza[0-9A-Za-z_-]{20,}/g;
const prefixedKeyPattern = /\b(?:sk|xai|pk|rk|ak|th|key)[-_][A-Za-z0-9*._-]{6,}/gi;
/**
 * Opaque tokens (hex keys, JWTs) are long runs without spaces with a long part mixing letters and digits; prose
 * never is, and neither is a dotted field path such as `messages.1.content.0.image.source.url`.
 */
const longRunPattern = /[A-Za-z0-9_.*+/=-]{32,}/g;
const MIN_TOKEN_PART_LENGTH = 16;

function looksLikeToken(run: string): boolean {
  return run.split('.').some((part) => part.length >= MIN_TOKEN_PART_LENGTH && /\d/.test(part) && /[A-Za-z]/.test(part));
}
const hostPattern = /\b(?:[a-z0-9-]+\.)+(?:com|cn|ai|io|net|org|dev|cloud)\b/gi;

/**
 * Upstream text made safe to show. `secrets` are the channel's own credentials and address (key, secret key,
 * base URL, host); each is cut out wherever it appears, whatever its shape.
 */
export function sanitizeUpstreamMessage(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text.replace(urlPattern, '[url]');
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('[redacted]');
  }
  out = out
    .replace(credentialHeaderPattern, '$1: [redacted]')
    .replace(bearerPattern, 'Bearer [redacted]')
    .replace(keyParameterPattern, 'key=[redacted]')
    .replace(googleKeyPattern, '[redacted]')
    .replace(prefixedKeyPattern, '[redacted]')
    .replace(longRunPattern, (run) => (looksLikeToken(run) ? '[redacted]' : run))
    .replace(hostPattern, '[host]')
    .replace(/\s+/g, ' ')
    .trim();
  return out.length > UPSTREAM_MESSAGE_MAX_LENGTH ? `${out.slice(0, UPSTREAM_MESSAGE_MAX_LENGTH - 3)}...` : out;
}

/** What of a channel may never reach a client: its credentials, its base URL and the host in it. */
export function channelSecrets(target: { apiKey: string; baseUrl: string; secretKey?: string | undefined }): string[] {
  const secrets = [target.apiKey, target.baseUrl];
  if (target.secretKey !== undefined) secrets.push(target.secretKey);
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(target.baseUrl)?.[1];
  if (host !== undefined) secrets.push(host);
  return secrets;
}
