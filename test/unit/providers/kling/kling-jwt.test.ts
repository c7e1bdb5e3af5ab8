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
  it('is the known HS256 token for fixed inputs (vector computed independently with Python hmac)', async () => {
    expect(await signKlingJwt(accessKey, secretKey, nowSec)).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ0ZXN0LWFjY2Vzcy1rZXkiLCJleHAiOjE3NjcyMjc0MDAsIm5iZiI6MTc2NzIyNTU5NX0.' +
        'CMBnuucbCXJm2g1WAYJwtNguKVsz2wG8G6rtRne0ytA',
    );
  });

  it('has the JWT header and exactly the claims Kling reads', async () => {
    const [header = '', payload = ''] = (await signKlingJwt(accessKey, secretKey, nowSec)).split('.');
    expect(decode(header)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decode(payload)).toEqual({ iss: accessKey, exp: nowSec + 1800, nbf: nowSec - 5 });
  });

  it('is signed with the secret key over header.payload, base64url without padding', async () => {
    const [header = '', payload = '', signature = ''] = (await signKlingJwt(accessKey, secretKey, nowSec)).split('.');
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signature).toBe(createHmac('sha256', secretKey).update(`${header}.${payload}`).digest('base64url'));
  });
});

describe('verifyKlingJwt', () => {
  const signed = signKlingJwt(accessKey, secretKey, nowSec);

  it('accepts its own token inside the window', async () => {
    expect(await verifyKlingJwt(await signed, accessKey, secretKey, nowSec)).toEqual({
      ok: true,
      claims: { iss: accessKey, exp: nowSec + 1800, nbf: nowSec - 5 },
    });
  });

  it.each([
    ['another secret', (token: string) => verifyKlingJwt(token, accessKey, 'other-secret', nowSec), 'bad_signature'],
    ['another issuer', (token: string) => verifyKlingJwt(token, 'other-access', secretKey, nowSec), 'wrong_issuer'],
    ['before nbf', (token: string) => verifyKlingJwt(token, accessKey, secretKey, nowSec - 6), 'not_yet_valid'],
    ['at exp', (token: string) => verifyKlingJwt(token, accessKey, secretKey, nowSec + 1800), 'expired'],
    ['not a JWT', () => verifyKlingJwt('abc.def', accessKey, secretKey, nowSec), 'malformed'],
    [
      'alg none',
      (token: string) => verifyKlingJwt(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`, accessKey, secretKey, nowSec),
      'malformed',
    ],
  ])('rejects a token with %s', async (_name, check, reason) => {
    expect(await check(await signed)).toEqual({ ok: false, reason });
  });

  it('rejects a payload edited after signing', async () => {
    const [header, , signature] = (await signed).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: accessKey, exp: nowSec + 99_999, nbf: nowSec - 5 })).toString('base64url');
    expect(await verifyKlingJwt(`${header}.${forged}.${signature}`, accessKey, secretKey, nowSec)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a correctly signed token that lacks a claim Kling needs', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ iss: accessKey, exp: nowSec + 60 })).toString('base64url');
    const signature = createHmac('sha256', secretKey).update(`${header}.${payload}`).digest('base64url');
    expect(await verifyKlingJwt(`${header}.${payload}.${signature}`, accessKey, secretKey, nowSec)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('createKlingTokenCache', () => {
  it('reuses a token while more than five minutes of it remain', async () => {
    const cache = createKlingTokenCache();
    const first = await cache.token(accessKey, secretKey, nowSec);
    expect(await cache.token(accessKey, secretKey, nowSec + 1499)).toBe(first);
  });

  it('signs a new token once five minutes or less remain, valid from the new time', async () => {
    const cache = createKlingTokenCache();
    const first = await cache.token(accessKey, secretKey, nowSec);
    const renewed = await cache.token(accessKey, secretKey, nowSec + 1500);
    expect(renewed).not.toBe(first);
    expect(decode(renewed.split('.')[1] ?? '')).toEqual({ iss: accessKey, exp: nowSec + 1500 + 1800, nbf: nowSec + 1500 - 5 });
    expect(await cache.token(accessKey, secretKey, nowSec + 1600)).toBe(renewed);
  });

  it('keeps separate tokens per access key and per secret', async () => {
    const cache = createKlingTokenCache();
    const a = await cache.token(accessKey, secretKey, nowSec);
    const b = await cache.token('other-access', secretKey, nowSec);
    const c = await cache.token(accessKey, 'rotated-secret', nowSec);
    expect(new Set([a, b, c]).size).toBe(3);
    expect((await verifyKlingJwt(c, accessKey, 'rotated-secret', nowSec)).ok).toBe(true);
    expect(await cache.token(accessKey, secretKey, nowSec + 10)).toBe(a);
  });

  it('gives calls racing for the same key pair one token', async () => {
    const cache = createKlingTokenCache();
    const [a, b] = await Promise.all([cache.token(accessKey, secretKey, nowSec), cache.token(accessKey, secretKey, nowSec)]);
    expect(a).toBe(b);
  });
});
