/**
 * Kling's classic auth: a short-lived HS256 JWT `{iss: accessKey, exp: now+1800, nbf: now-5}` signed with
 * the secret key and sent as the bearer token. Signing and checking are jose's; the cache keeps one token per key
 * pair for most of its life so upstream logs show few distinct tokens.
 */
import { createHash } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

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

function hmacKey(secretKey: string): Uint8Array {
  return new TextEncoder().encode(secretKey);
}

/** A fresh token valid from nowSec−5 until nowSec+1800 (epoch seconds). */
export async function signKlingJwt(accessKey: string, secretKey: string, nowSec: number): Promise<string> {
  const claims: KlingJwtClaims = { iss: accessKey, exp: nowSec + klingTokenLifetimeSec, nbf: nowSec - klingNotBeforeSkewSec };
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(hmacKey(secretKey));
}

export type KlingJwtCheck =
  | { ok: true; claims: KlingJwtClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'wrong_issuer' | 'not_yet_valid' | 'expired' };

type KlingJwtFailure = Extract<KlingJwtCheck, { ok: false }>['reason'];

/** jose's refusal → the reason Kling would give; anything jose does not name is a malformed token. */
function failureReason(error: unknown): KlingJwtFailure {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWTExpired) return 'expired';
  // A missing or non-numeric claim is a malformed token, not one outside its window.
  if (error instanceof errors.JWTClaimValidationFailed && error.reason === 'check_failed') {
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'nbf') return 'not_yet_valid';
  }
  return 'malformed';
}

/** Checks a token the way Kling does: HS256 signature, issuer, and the nbf/exp window at nowSec. */
export async function verifyKlingJwt(token: string, accessKey: string, secretKey: string, nowSec: number): Promise<KlingJwtCheck> {
  try {
    const { payload } = await jwtVerify(token, hmacKey(secretKey), {
      algorithms: ['HS256'],
      issuer: accessKey,
      requiredClaims: ['iss', 'exp', 'nbf'],
      currentDate: new Date(nowSec * 1000),
    });
    if (typeof payload.iss !== 'string' || typeof payload.exp !== 'number' || typeof payload.nbf !== 'number') {
      return { ok: false, reason: 'malformed' };
    }
    return { ok: true, claims: { iss: payload.iss, exp: payload.exp, nbf: payload.nbf } };
  } catch (error) {
    if (error instanceof errors.JOSEError) return { ok: false, reason: failureReason(error) };
    throw error;
  }
}

export interface KlingTokenCache {
  /** A token for this key pair, reused until fewer than klingTokenRenewBeforeSec of its life remain. */
  token(accessKey: string, secretKey: string, nowSec: number): Promise<string>;
}

export function createKlingTokenCache(): KlingTokenCache {
  // The pending signature is cached, so calls racing for the same key pair share one token.
  const entries = new Map<string, { token: Promise<string>; exp: number }>();
  return {
    token(accessKey, secretKey, nowSec) {
      // The secret is part of the key (hashed, so it is not kept twice in memory) so a rotated secret signs anew.
      const key = `${accessKey}\u0000${createHash('sha256').update(secretKey).digest('hex')}`;
      const cached = entries.get(key);
      if (cached !== undefined && cached.exp - nowSec > klingTokenRenewBeforeSec) return cached.token;
      const token = signKlingJwt(accessKey, secretKey, nowSec);
      entries.set(key, { token, exp: nowSec + klingTokenLifetimeSec });
      // A failed signature is not kept: the next call signs again.
      token.catch(() => entries.delete(key));
      return token;
    },
  };
}
