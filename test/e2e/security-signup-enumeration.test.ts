/**
 * Sign-up answers a registered email exactly as it answers a new one (same status, same body, no session either
 * way), so the sign-up form cannot be used to learn who has an account. The new account then logs in as usual.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

describe('sign-up and registered emails', () => {
  let t: TestGateway;
  let takenEmail: string;

  beforeAll(async () => {
    t = await startTestGateway({ providers: ['openai'] });
    takenEmail = (await t.gateway.users.get(t.userId))!.email;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function post(path: string, body: object) {
    const res = await request(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t.url },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, setCookie: res.headers['set-cookie'], body: await res.body.text() };
  }

  it('answers the same for a taken email and a new one, and only the new one gets an account', async () => {
    const before = await t.gateway.users.count();
    const taken = await post('/api/dashboard/auth/signup', { email: takenEmail, password: 'some other password' });
    const fresh = await post('/api/dashboard/auth/signup', { email: 'newcomer@example.com', password: 'a fresh password' });
    expect({ status: taken.status, body: taken.body, cookie: taken.setCookie }).toEqual({ status: fresh.status, body: fresh.body, cookie: fresh.setCookie });
    expect(taken.status).toBe(202);
    expect(taken.setCookie).toBeUndefined();
    expect(await t.gateway.users.count()).toBe(before + 1);

    expect((await post('/api/dashboard/auth/login', { email: 'newcomer@example.com', password: 'a fresh password' })).status).toBe(200);
    expect((await post('/api/dashboard/auth/login', { email: takenEmail, password: 'some other password' })).status).toBe(401);
    expect((await post('/api/dashboard/auth/login', { email: takenEmail, password: 'correct horse battery' })).status).toBe(200);
  });

  it('still refuses a malformed email or a short password, which says nothing about who is registered', async () => {
    expect((await post('/api/dashboard/auth/signup', { email: 'not-an-email', password: 'a fresh password' })).status).toBe(400);
    expect((await post('/api/dashboard/auth/signup', { email: 'short@example.com', password: 'short' })).status).toBe(400);
  });
});
