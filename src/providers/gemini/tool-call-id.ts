/**
 * Tool-call ids that carry Gemini thought signatures across turns.
 *
 * Gemini 2.5/3 return an opaque `thoughtSignature` on function-call parts and reject (Gemini 3) a later turn
 * whose function calls lost it. Plain OpenAI clients keep nothing but the tool-call id, so the signature rides
 * inside it:
 *
 *   call_<base>                       no signature
 *   call_<base>__ts_<base64url>       signature bytes (Gemini sends standard base64) re-encoded as base64url
 *   call_<base>__tsr_<base64url>      a signature that is not canonical base64, kept as its UTF-8 text
 *
 * `<base>` is the response id plus a running index, so ids are unique per response and deterministic in tests.
 */

const BYTES_MARKER = '__ts_';
const TEXT_MARKER = '__tsr_';

export function encodeGeminiToolCallId(base: string, signature: string | undefined): string {
  const id = `call_${base}`;
  if (signature === undefined || signature === '') return id;
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length > 0 && bytes.toString('base64') === signature) return `${id}${BYTES_MARKER}${bytes.toString('base64url')}`;
  return `${id}${TEXT_MARKER}${Buffer.from(signature, 'utf8').toString('base64url')}`;
}

/** The thought signature inside an id made by encodeGeminiToolCallId, or undefined for any other id. */
export function decodeGeminiToolCallSignature(id: string): string | undefined {
  const text = id.lastIndexOf(TEXT_MARKER);
  if (text !== -1) return decodeNonEmpty(id.slice(text + TEXT_MARKER.length), 'utf8');
  const bytes = id.lastIndexOf(BYTES_MARKER);
  if (bytes !== -1) return decodeNonEmpty(id.slice(bytes + BYTES_MARKER.length), 'base64');
  return undefined;
}

function decodeNonEmpty(encoded: string, as: 'utf8' | 'base64'): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64url').toString(as);
  return decoded === '' ? undefined : decoded;
}
