/**
 * Log-in throttling through the real gateway: parallel guesses are counted before any password is checked, and
 * guessing at someone's account never locks its owner out. The gateway trusts X-Forwarded-For here (as behind a
 * reverse proxy with TOKENHUB_TRUST_PROXY set), so each request can come from its own client address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { ManualClock } from '../../src/shared/clock.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const PASSWORD = 'correct horse battery';

describe('log-in throttle', () => {
  let t: TestGateway;
  let email: string;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    // Time stands still unless the test moves it, so the burst below is one instant however slow the machine.
    t = await startTestGateway({ providers: ['openai'], config: { trustProxy: true }, clock });
    email = (await t.gateway.users.get(t.userId))!.email;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function logIn(password: string, ip: string): Promise<{ status: number; retryAfter: number | undefined }> {
    const res = await request(`${t.url}/api/dashboard/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t.url, 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    });
    await res.body.dump();
    const retryAfter = res.headers['retry-after'];
    return { status: res.statusCode, retryAfter: retryAfter === undefined ? undefined : Number(retryAfter) };
  }

  it('checks at most five of 30 parallel wrong guesses, and the owner still logs in from their own address', async () => {
    const guesses = await Promise.all(Array.from({ length: 30 }, (_, i) => logIn(`wrong guess ${i}`, '198.51.100.20')));
    const checked = guesses.filter((g) => g.status === 401).length;
    const refused = guesses.filter((g) => g.status === 429).length;
    expect([checked, refused]).toEqual([5, 25]);

    expect((await logIn(PASSWORD, '203.0.113.77')).status).toBe(200);
    // From the guessing address the owner meets a short delay, not a lock-out.
    const sameAddress = await logIn(PASSWORD, '198.51.100.20');
    expect([sameAddress.status, sameAddress.retryAfter]).toEqual([429, 1]);
    clock.advance(1000);
    expect((await logIn(PASSWORD, '198.51.100.20')).status).toBe(200);
  });
});
