/**
 * Calls to /api/v1 without a valid key cost the database nothing: they are counted in a metric, not written
 * to request_logs, so a flood of anonymous calls cannot grow the table. Calls with a key still leave a record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

describe.each(dialects)('unauthenticated /api/v1 calls on %s', (dialect) => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ dialect, providers: ['deepseek'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function logRows(): Promise<number> {
    await t.gateway.requestLog.settled();
    const row = await t.gateway.store.db.selectFrom('request_logs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function metricsText(): Promise<string> {
    const res = await request(`${t.url}/metrics`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(res.statusCode).toBe(200);
    return res.body.text();
  }

  it('writes no request_logs row for calls without a valid key, and counts them instead', async () => {
    const before = await logRows();
    const calls = 25;
    for (let i = 0; i < calls; i++) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (i % 2 === 0) headers.authorization = `Bearer th-not-a-real-key-${i}`;
      const res = await request(`${t.baseURL}/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Hi' }] }),
      });
      expect(res.statusCode).toBe(401);
      await res.body.dump();
    }
    expect(await logRows()).toBe(before);
    const text = await metricsText();
    const match = /tokenhub_unauthenticated_api_requests_total\{route="\/api\/v1\/chat\/completions",status="401"\} (\d+)/.exec(text);
    expect(Number(match?.[1])).toBe(calls);
  });

  it('still records a failed call made with a valid key', async () => {
    const res = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.apiKey}`, 'x-request-id': 'keyed-failure-1' },
      body: JSON.stringify({ model: 'nope/nothing', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(res.statusCode).toBe(404);
    await res.body.dump();
    await t.gateway.requestLog.settled();
    const row = await t.gateway.store.db.selectFrom('request_logs').selectAll().where('request_id', '=', 'keyed-failure-1').executeTakeFirst();
    expect(row).toMatchObject({ status: 404, user_id: t.userId });
  });
});
