/**
 * Kling's classic auth: a short-lived HS256 JWT `{iss: accessKey, exp: now+1800, nbf: now-5}` signed with
 * the secret key and sent as the bearer token. Signing is cheap, but the cache keeps one token per key pair
 * for most of its life so upstream logs show few distinct tokens.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const klingTokenLifetimeSec = 1800;
/** `nbf` lies this far in the past so a server clock slightly behind ours still accepts the token. */
export const klingNotBeforeSkewSec = 5;
/** A cached token is replaced once less than this much of its life is left. */
export const klingTokenRenewBeforeSec = 300;

export interface KlingJwtClaims {
  iss: string;
  exp: number;
  nbf: number;
}

const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function signKlingInput(input: string, secretKey: string): Buffer {
  return createHmac('sha256', secretKey).update(input).digest();
}

/** A fresh token valid from nowSec−5 until nowSec+1800 (epoch seconds). */
export function signKlingJwt(accessKey: string, secretKey: string, nowSec: number): string {
  const claims: KlingJwtClaims = { iss: accessKey, exp: nowSec + klingTokenLifetimeSec, nbf: nowSec - klingNotBeforeSkewSec };
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${signKlingInput(input, secretKey).toString('base64url')}`;
}

export type KlingJwtCheck =
  | { ok: true; claims: KlingJwtClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'wrong_issuer' | 'not_yet_valid' | 'expired' };

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function readClaims(segment: string): KlingJwtClaims | undefined {
  const claims = decodeSegment(segment) as Partial<KlingJwtClaims> | undefined;
  if (typeof claims !== 'object' || claims === null) return undefined;
  if (typeof claims.iss !== 'string' || typeof claims.exp !== 'number' || typeof claims.nbf !== 'number') return undefined;
  return { iss: claims.iss, exp: claims.exp, nbf: claims.nbf };
}

/** Checks a token the way Kling does: HS256 signature, issuer, and the nbf/exp window at nowSec. */
export function verifyKlingJwt(token: string, accessKey: string, secretKey: string, nowSec: number): KlingJwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [head, payload, signature] = parts as [string, string, string];
  const decodedHeader = decodeSegment(head) as { alg?: unknown } | undefined;
  if (typeof decodedHeader !== 'object' || decodedHeader === null || decodedHeader.alg !== 'HS256') {
    return { ok: false, reason: 'malformed' };
  }
  const expected = signKlingInput(`${head}.${payload}`, secretKey);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  const claims = readClaims(payload);
  if (claims === undefined) return { ok: false, reason: 'malformed' };
  if (claims.iss !== accessKey) return { ok: false, reason: 'wrong_issuer' };
  if (claims.nbf > nowSec) return { ok: false, reason: 'not_yet_valid' };
  if (claims.exp <= nowSec) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

export interface KlingTokenCache {
  /** A token for this key pair, reused until fewer than klingTokenRenewBeforeSec of its life remain. */
  token(accessKey: string, secretKey: string, nowSec: number): string;
}

export function createKlingTokenCache(): KlingTokenCache {
  const entries = new Map<string, { token: string; exp: number }>();
  return {
    token(accessKey, secretKey, nowSec) {
      // The secret is part of the key (hashed, so it is not kept twice in memory) so a rotated secret signs anew.
      const key = `${accessKey}\u0000${createHash('sha256').update(secretKey).digest('hex')}`;
      const cached = entries.get(key);
      if (cached !== undefined && cached.exp - nowSec > klingTokenRenewBeforeSec) return cached.token;
      const token = signKlingJwt(accessKey, secretKey, nowSec);
      entries.set(key, { token, exp: nowSec + klingTokenLifetimeSec });
      return token;
    },
  };
}
