/**
 * A hint that tells an operator which upstream key a channel holds (`sk-…abcd`) without revealing it. Short
 * secrets show only their tail, and very short ones nothing, so the hint never gives away most of a key.
 */
export function maskSecret(secret: string): string {
  if (secret.length >= 16) return `${secret.slice(0, 3)}…${secret.slice(-4)}`;
  if (secret.length >= 8) return `…${secret.slice(-2)}`;
  return '…';
}
