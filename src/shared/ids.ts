import { randomBytes, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Uniform random base62 string (rejection-free: randomInt is unbiased). */
export function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
  return out;
}

export type IdPrefix = 'usr' | 'key' | 'chn' | 'req' | 'gen' | 'hold' | 'led' | 'job' | 'tsk' | 'code' | 'ses' | 'evt' | 'grp';

/** Prefixed, sortable-enough ids: `usr_3k9…`. Time first so ids sort by creation within a millisecond. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${Date.now().toString(36)}${randomBase62(14)}`;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
