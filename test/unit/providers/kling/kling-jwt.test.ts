import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKlingTokenCache, signKlingJwt, verifyKlingJwt } from '../../../../src/providers/kling/jwt.js';

const accessKey = 'test-access-key';
const secretKey = 'test-secret-key';
const nowSec = 1_767_225_600; // 2026-01-01T00:00:00Z

function decode(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

describe('signKlingJwt', () => {
  const token = signKlingJwt(accessKey, secretKey, nowSec);
  const [header = '', payload = '', signature = ''] = token.split('.');

  it('is the known HS256 token for fixed inputs (vector computed independently with Python hmac)', () => {
    expect(token).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ0ZXN0LWFjY2Vzcy1rZXkiLCJleHAiOjE3NjcyMjc0MDAsIm5iZiI6MTc2NzIyNTU5NX0.' +
        'CMBnuucbCXJm2g1WAYJwtNguKVsz2wG8G6rtRne0ytA',
    );
  });

  it('has the JWT header and exactly the claims Kling reads', () => {
    expect(decode(header)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decode(payload)).toEqual({ iss: accessKey, exp: nowSec + 1800, nbf: nowSec - 5 });
  });

  it('is signed with the secret key over header.payload, base64url without padding', () => {
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signature).toBe(createHmac('sha256', secretKey).update(`${header}.${payload}`).digest('base64url'));
  });
});

describe('verifyKlingJwt', () => {
  const token = signKlingJwt(accessKey, secretKey, nowSec);

  it('accepts its own token inside the window', () => {
    expect(verifyKlingJwt(token, accessKey, secretKey, nowSec)).toEqual({
      ok: true,
      claims: { iss: accessKey, exp: nowSec + 1800, nbf: nowSec - 5 },
    });
  });

  it.each([
    ['another secret', () => verifyKlingJwt(token, accessKey, 'other-secret', nowSec), 'bad_signature'],
    ['another issuer', () => verifyKlingJwt(token, 'other-access', secretKey, nowSec), 'wrong_issuer'],
    ['before nbf', () => verifyKlingJwt(token, accessKey, secretKey, nowSec - 6), 'not_yet_valid'],
    ['at exp', () => verifyKlingJwt(token, accessKey, secretKey, nowSec + 1800), 'expired'],
    ['not a JWT', () => verifyKlingJwt('abc.def', accessKey, secretKey, nowSec), 'malformed'],
    ['alg none', () => verifyKlingJwt(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`, accessKey, secretKey, nowSec), 'malformed'],
  ])('rejects a token with %s', (_name, check, reason) => {
    expect(check()).toEqual({ ok: false, reason });
  });

  it('rejects a payload edited after signing', () => {
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ iss: accessKey, exp: nowSec + 99_999, nbf: nowSec - 5 })).toString('base64url');
    expect(verifyKlingJwt(`${header}.${forged}.${signature}`, accessKey, secretKey, nowSec)).toEqual({ ok: false, reason: 'bad_signature' });
  });
});

describe('createKlingTokenCache', () => {
  it('reuses a token while more than five minutes of it remain', () => {
    const cache = createKlingTokenCache();
    const first = cache.token(accessKey, secretKey, nowSec);
    expect(cache.token(accessKey, secretKey, nowSec + 1499)).toBe(first);
  });

  it('signs a new token once five minutes or less remain, valid from the new time', () => {
    const cache = createKlingTokenCache();
    const first = cache.token(accessKey, secretKey, nowSec);
    const renewed = cache.token(accessKey, secretKey, nowSec + 1500);
    expect(renewed).not.toBe(first);
    expect(decode(renewed.split('.')[1] ?? '')).toEqual({ iss: accessKey, exp: nowSec + 1500 + 1800, nbf: nowSec + 1500 - 5 });
    expect(cache.token(accessKey, secretKey, nowSec + 1600)).toBe(renewed);
  });

  it('keeps separate tokens per access key and per secret', () => {
    const cache = createKlingTokenCache();
    const a = cache.token(accessKey, secretKey, nowSec);
    const b = cache.token('other-access', secretKey, nowSec);
    const c = cache.token(accessKey, 'rotated-secret', nowSec);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(verifyKlingJwt(c, accessKey, 'rotated-secret', nowSec).ok).toBe(true);
    expect(cache.token(accessKey, secretKey, nowSec + 10)).toBe(a);
  });
});
