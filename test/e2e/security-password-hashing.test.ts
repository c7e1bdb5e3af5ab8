/**
 * Password hashes: scrypt at OWASP's current cost (N=2^17, r=8, p=1) with the cost stored in each hash, and a
 * hash made at an older cost replaced on the next successful log-in.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { DEFAULT_PASSWORD_HASH_PARAMS, hashPassword, setPasswordHashParams, verifyPassword } from '../../src/shared/crypto.js';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const PASSWORD = 'correct horse battery';

/** A hash as the gateway made them before the cost rose (N=2^14). */
function legacyHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
  return ['scrypt', 2 ** 14, 8, 1, salt.toString('base64'), hash.toString('base64')].join('$');
}

beforeAll(() => {
  setPasswordHashParams(DEFAULT_PASSWORD_HASH_PARAMS);
});

describe('password hash cost', () => {
  it('hashes at N=2^17, r=8, p=1 and says so in the hash', async () => {
    const stored = await hashPassword(PASSWORD);
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword('not it', stored)).toBe(false);
    expect(await verifyPassword(PASSWORD, legacyHash(PASSWORD))).toBe(true);
  });
});

for (const dialect of dialects) {
  describe(`rehash on log-in on ${dialect}`, () => {
    let t: TestGateway;
    let email: string;

    beforeAll(async () => {
      t = await startTestGateway({ dialect, providers: ['openai'] });
      email = (await t.gateway.users.get(t.userId))!.email;
    });
    afterAll(async () => {
      await t?.close();
    });

    const storedHash = async () =>
      (await t.gateway.store.db.selectFrom('users').select('password_hash').where('id', '=', t.userId).executeTakeFirstOrThrow()).password_hash;
    const logIn = async (password: string) => {
      const res = await request(`${t.url}/api/dashboard/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: t.url },
        body: JSON.stringify({ email, password }),
      });
      await res.body.dump();
      return res.statusCode;
    };

    it('replaces an older-cost hash after the right password, and not after a wrong one', async () => {
      const old = legacyHash(PASSWORD);
      await t.gateway.store.db.updateTable('users').set({ password_hash: old }).where('id', '=', t.userId).execute();
      expect(await logIn('wrong password')).toBe(401);
      expect(await storedHash()).toBe(old);
      expect(await logIn(PASSWORD)).toBe(200);
      const upgraded = await storedHash();
      expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
      expect(await logIn(PASSWORD)).toBe(200);
      expect(await storedHash()).toBe(upgraded);
    });
  });
}
