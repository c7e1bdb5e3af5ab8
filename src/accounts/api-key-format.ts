/** The shape of TokenHub API keys: `th-` and 40 base62 characters, stored only as a SHA-256 hash. */
import { sha256Hex } from '../shared/crypto.js';
import { randomBase62 } from '../shared/ids.js';

export const API_KEY_PREFIX = 'th-';
export const API_KEY_RANDOM_LENGTH = 40;
const API_KEY_PATTERN = /^th-[0-9A-Za-z]{32,128}$/;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBase62(API_KEY_RANDOM_LENGTH);
}

/** Cheap shape check so garbage never costs a hash and a lookup. */
export function isApiKeyShaped(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

export function hashApiKey(plaintext: string): string {
  return sha256Hex(plaintext);
}

/** `th-Ab12Cd…wxyz`: enough to tell keys apart in a list, far too little to guess the rest. */
export function toApiKeyPrefix(plaintext: string): string {
  const random = plaintext.slice(API_KEY_PREFIX.length);
  return `${API_KEY_PREFIX}${random.slice(0, 6)}…${random.slice(-4)}`;
}
