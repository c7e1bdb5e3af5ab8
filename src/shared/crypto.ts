/**
 * Secrets: AES-256-GCM for upstream keys at rest, SHA-256 for API keys, scrypt for passwords.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensurePrivateDir, writePrivateFile } from './private-files.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The master key must be 32 bytes');
    this.key = key;
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unreadable sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

export function parseMasterKey(value: string): Buffer {
  const trimmed = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('TOKENHUB_SECRET_KEY must be 32 bytes as 64 hex characters or base64');
  return key;
}

/** The configured master key, or the one saved in `<dataDir>/secret.key` (created with mode 0600 when absent). */
export function loadOrCreateMasterKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return parseMasterKey(configured);
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return parseMasterKey(readFileSync(file, 'utf8'));
  ensurePrivateDir(dataDir);
  const key = randomBytes(32);
  writePrivateFile(file, key.toString('hex') + '\n');
  return key;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's current guidance for scrypt: N=2^17 (128 MiB), r=8, p=1. */
export const DEFAULT_PASSWORD_HASH_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

let passwordHashParams: Readonly<ScryptParams> = DEFAULT_PASSWORD_HASH_PARAMS;

/**
 * Changes the cost new hashes get. The test suite lowers it so that its hundreds of users do not each cost a
 * second of CPU; the gateway itself never calls this.
 */
export function setPasswordHashParams(params: ScryptParams): void {
  passwordHashParams = Object.freeze({ ...params });
}

export function currentPasswordHashParams(): Readonly<ScryptParams> {
  return passwordHashParams;
}

// scrypt needs 128·N·r bytes; twice that leaves room for Node's own bookkeeping.
const maxmemFor = (params: ScryptParams) => 2 * 128 * params.N * params.r + 1024 * 1024;

/** `scrypt$N$r$p$salt$hash`: the cost travels with the hash, so older hashes still verify after it rises. */
export async function hashPassword(password: string, params: ScryptParams = passwordHashParams): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, { ...params, maxmem: maxmemFor(params) });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

function parseScryptHash(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((v) => Number.isSafeInteger(v) && v > 0)) return undefined;
  return { params, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseScryptHash(stored);
  if (!parsed) return false;
  const actual = await scrypt(password, parsed.salt, parsed.hash.length, { ...parsed.params, maxmem: maxmemFor(parsed.params) });
  return timingSafeEqual(actual, parsed.hash);
}

/** Whether a verified hash was made with another cost than new hashes get (so the next log-in rehashes it). */
export function passwordNeedsRehash(stored: string, params: ScryptParams = passwordHashParams): boolean {
  const parsed = parseScryptHash(stored);
  if (!parsed) return true;
  return parsed.params.N !== params.N || parsed.params.r !== params.r || parsed.params.p !== params.p;
}
