import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogsTable } from '../../src/store/schema.js';
import { DIALECTS } from '../support/store-fixture.js';
import { DashboardClient, startDashboardTestApp, type DashboardTestApp } from '../support/dashboard-test-app.js';

const PASSWORD = 'correct horse battery';
const HOUR = 3600_000;

function logRow(overrides: Partial<RequestLogsTable> & Pick<RequestLogsTable, 'id' | 'created_at'>): RequestLogsTable {
  return {
    request_id: null,
    user_id: null,
    api_key_id: null,
    endpoint: 'POST /api/v1/chat/completions',
    model: 'openai/gpt-4.1',
    provider: 'openai',
    channel_id: null,
    stream: 0,
    status: 200,
    error_code: null,
    latency_ms: 120,
    ttfb_ms: 40,
    prompt_tokens: 10,
    completion_tokens: 5,
    cached_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    cost_nanos: 1_000_000n,
    estimated: 0,
    finish_reason: 'stop',
    warnings: null,
    ...overrides,
  };
}

describe.each(DIALECTS)('dashboard API on %s', (dialect) => {
  let ctx: DashboardTestApp;
  let me: DashboardClient;
  let stranger: DashboardClient;
  let myId: string;
  let keyId: string;

  beforeAll(async () => {
    ctx = await startDashboardTestApp({ dialect });
    myId = (await ctx.users.create({ email: 'me@example.com', password: PASSWORD })).id;
    await ctx.users.create({ email: 'stranger@example.com', password: PASSWORD });
    me = new DashboardClient(ctx.app);
    stranger = new DashboardClient(ctx.app);
    await me.login('me@example.com', PASSWORD);
    await stranger.login('stranger@example.com', PASSWORD);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('creates a key with a monthly spend limit and shows the plaintext once', async () => {
    const created = await me.request({
      method: 'POST',
      url: '/api/dashboard/keys',
      payload: { name: 'server', spend_limit_usd: '25', spend_limit_period: 'month', allowed_models: ['openai/*'], allowed_ips: ['10.0.0.0/8'] },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.key).toMatch(/^th-/);
    expect(body).toMatchObject({ name: 'server', spend_limit: { usd: '25.00', period: 'month' }, allowed_models: ['openai/*'], allowed_ips: ['10.0.0.0/8'] });
    keyId = body.id;
    const auth = await ctx.apiKeys.authenticate(body.key, '10.1.2.3');
    expect(auth.userId).toBe(myId);
    const listed = (await me.request({ method: 'GET', url: '/api/dashboard/keys' })).json().data;
    expect(listed).toHaveLength(1);
    expect(listed[0].key).toBeUndefined();
    expect(listed[0].prefix).toBe(body.prefix);
  });

  it('refuses a bad limit before any key exists', async () => {
    const response = await me.request({ method: 'POST', url: '/api/dashboard/keys', payload: { name: 'bad', spend_limit_usd: '0' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.param).toBe('spend_limit_usd');
    expect(await ctx.apiKeys.list(myId)).toHaveLength(1);
  });

  it('lists what each key spent', async () => {
    await ctx.t.store.db.insertInto('api_key_spend').values({ api_key_id: keyId, day: '2026-03-15', spent_nanos: 1_250_000_000n }).execute();
    const listed = (await me.request({ method: 'GET', url: '/api/dashboard/keys' })).json().data;
    expect(listed[0].spent_usd).toBe('1.25');
  });

  it('another user can neither see nor revoke my key', async () => {
    expect((await stranger.request({ method: 'GET', url: '/api/dashboard/keys' })).json().data).toEqual([]);
    expect((await stranger.request({ method: 'DELETE', url: `/api/dashboard/keys/${keyId}` })).statusCode).toBe(404);
    expect((await ctx.apiKeys.get(myId, keyId))?.status).toBe('active');
  });

  it('sums spend for today and this month in the user\'s time zone, by day and by model', async () => {
    const now = ctx.clock.now();
    const rows = [
      logRow({ id: 'gen-a', user_id: myId, api_key_id: keyId, created_at: now - 3 * HOUR }),
      logRow({ id: 'gen-b', user_id: myId, api_key_id: keyId, created_at: now - 2 * HOUR, model: 'anthropic/claude-sonnet-4.5', cost_nanos: 3_000_000n }),
      logRow({ id: 'gen-c', user_id: myId, api_key_id: keyId, created_at: now - HOUR, status: 402, error_code: 'insufficient_quota', cost_nanos: null }),
      logRow({ id: 'gen-d', user_id: myId, created_at: now - 26 * HOUR, estimated: 1 }),
      logRow({ id: 'gen-x', user_id: 'usr_other', created_at: now - HOUR }),
    ];
    await ctx.t.store.db.insertInto('request_logs').values(rows).execute();
    await ctx.t.store.db
      .insertInto('accounts')
      .values({ user_id: myId, balance_nanos: 10_000_000_000n, held_nanos: 500_000_000n, ledger_seq: 0, created_at: 0, updated_at: 0 })
      .execute();
    // 12:00 UTC on 15 March; at UTC+7 it is 19:00 local, so every row of the last 19 hours is "today".
    const overview = (await me.request({ method: 'GET', url: '/api/dashboard/overview?days=7&tz_offset=420' })).json();
    expect(overview).toMatchObject({ balance_usd: '10.00', held_usd: '0.50', available_usd: '9.50', spend_today_usd: '0.004', requests_today: 3 });
    expect(overview.spend_month_usd).toBe('0.005');
    expect(overview.daily).toHaveLength(7);
    expect(overview.daily.at(-1)).toMatchObject({ day: '2026-03-15', requests: 3, cost_usd: '0.004' });
    expect(overview.daily.at(-2)).toMatchObject({ day: '2026-03-14', requests: 1, prompt_tokens: 10 });
    expect(overview.top_models[0]).toEqual({ model: 'anthropic/claude-sonnet-4.5', requests: 1, cost_usd: '0.003' });
    const strangers = (await stranger.request({ method: 'GET', url: '/api/dashboard/overview?days=7' })).json();
    expect(strangers).toMatchObject({ balance_usd: '0.00', spend_month_usd: '0.00', top_models: [] });
  });

  it('revokes a key', async () => {
    const revoked = await me.request({ method: 'DELETE', url: `/api/dashboard/keys/${keyId}` });
    expect(revoked.json()).toMatchObject({ status: 'revoked', spent_usd: '1.25' });
    expect((await ctx.apiKeys.get(myId, keyId))?.status).toBe('revoked');
  });
});
