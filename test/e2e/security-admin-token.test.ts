/**
 * TOKENHUB_ADMIN_TOKEN: too short a token stops the start, and wrong tokens are slowed per client address with
 * growing delays (the gateway trusts X-Forwarded-For here, so each request can come from its own address).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/shared/clock.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

describe('admin token length', () => {
  it('refuses to start with a token shorter than 32 characters, and takes one of 32', () => {
    expect(() => loadConfig({ TOKENHUB_ADMIN_TOKEN: 'x'.repeat(31) })).toThrow(/TOKENHUB_ADMIN_TOKEN.*32/);
    expect(() => loadConfig({}, { adminToken: 'short' })).toThrow(/32/);
    expect(loadConfig({ TOKENHUB_ADMIN_TOKEN: 'x'.repeat(32) }).adminToken).toBe('x'.repeat(32));
    // An empty variable means no token, as before.
    expect(loadConfig({ TOKENHUB_ADMIN_TOKEN: '' }).adminToken).toBeUndefined();
  });
});

describe('admin token failures', () => {
  let t: TestGateway;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    t = await startTestGateway({ providers: ['openai'], config: { trustProxy: true }, clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function adminCall(token: string, ip: string): Promise<{ status: number; retryAfter: number | undefined }> {
    const res = await request(`${t.url}/api/admin/users`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip } });
    await res.body.dump();
    const retryAfter = res.headers['retry-after'];
    return { status: res.statusCode, retryAfter: retryAfter === undefined ? undefined : Number(retryAfter) };
  }

  it('slows wrong tokens from one address with growing delays, leaving other addresses alone', async () => {
    const wrong = await Promise.all(Array.from({ length: 30 }, (_, i) => adminCall(`guess-${i}-${'g'.repeat(32)}`, '198.51.100.30')));
    expect([wrong.filter((r) => r.status === 401).length, wrong.filter((r) => r.status === 429).length]).toEqual([10, 20]);
    // Not even the right token gets through from the guessing address until the delay is over.
    expect(await adminCall(t.adminToken, '198.51.100.30')).toEqual({ status: 429, retryAfter: 1 });
    expect((await adminCall(t.adminToken, '203.0.113.40')).status).toBe(200);

    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const refused = await adminCall(`guess-again-${'g'.repeat(32)}`, '198.51.100.30');
      waits.push(refused.retryAfter ?? 0);
      clock.advance((refused.retryAfter ?? 0) * 1000);
      expect((await adminCall(`guess-late-${i}-${'g'.repeat(32)}`, '198.51.100.30')).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4]);
    clock.advance(8000);
    expect((await adminCall(t.adminToken, '198.51.100.30')).status).toBe(200);
  });
});
