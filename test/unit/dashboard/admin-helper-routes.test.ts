import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyService } from '../../../src/accounts/api-keys.js';
import { createLoginThrottle } from '../../../src/accounts/login-throttle.js';
import { createSessionService } from '../../../src/accounts/sessions.js';
import { createSignupInviteService } from '../../../src/accounts/signup-invites.js';
import { createUserService } from '../../../src/accounts/users.js';
import { registerDashboardRoutes } from '../../../src/api/dashboard/dashboard-routes.js';
import { createSessionAuth } from '../../../src/api/dashboard/session-auth.js';
import { installErrorHandling } from '../../../src/api/error-handler.js';
import { createBillingService } from '../../../src/billing/billing-service.js';
import { createCatalog } from '../../../src/catalog/catalog.js';
import { createChannelService } from '../../../src/channels/channels.js';
import { createUpstreamClient } from '../../../src/upstream/upstream-client.js';
import { MOCK_BAD_API_KEY, startDemoUpstreams, type DemoUpstreams } from '../../../src/mock-upstreams/index.js';
import { chatAdapterFor } from '../../../src/providers/registry.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { SecretBox } from '../../../src/shared/crypto.js';
import { openStore, type Store } from '../../../src/store/db.js';
import { DashboardClient } from '../../support/dashboard-test-app.js';

const PASSWORD = 'correct horse battery';

describe('dashboard admin helper routes', () => {
  let store: Store;
  let app: FastifyInstance;
  let upstreams: DemoUpstreams;
  let admin: DashboardClient;
  let plain: DashboardClient;
  let plainId: string;
  let goodChannel: string;
  let badChannel: string;
  let videoChannel: string;
  const clock = new ManualClock(Date.UTC(2026, 2, 15, 12));
  const client = createUpstreamClient({ connectMs: 2000, firstByteMs: 5000, idleMs: 5000 });

  beforeAll(async () => {
    store = await openStore({ sqliteFile: ':memory:' });
    upstreams = await startDemoUpstreams();
    const secretBox = new SecretBox(Buffer.alloc(32, 7));
    const catalog = createCatalog(store.db, { clock });
    await catalog.load();
    const users = createUserService(store.db, clock);
    const sessions = createSessionService(store.db, clock);
    const billing = createBillingService({ db: store.db, clock });
    const channels = createChannelService(store.db, secretBox, clock, { modelsForProvider: () => [] });
    goodChannel = (await channels.create({ provider: 'deepseek', name: 'ds', apiKey: 'sk-test', baseUrl: upstreams.baseUrlFor('deepseek'), models: ['deepseek/deepseek-chat'], enabled: false })).id;
    badChannel = (await channels.create({ provider: 'deepseek', name: 'ds-bad', apiKey: MOCK_BAD_API_KEY, baseUrl: upstreams.baseUrlFor('deepseek'), models: ['deepseek/deepseek-chat'] })).id;
    videoChannel = (await channels.create({ provider: 'kling', name: 'kl', apiKey: 'ak', secretKey: 'sk', models: ['kling/kling-v2.6'] })).id;
    app = Fastify({ logger: false });
    installErrorHandling(app);
    registerDashboardRoutes(app, {
      clock,
      users,
      apiKeys: createApiKeyService(store.db, clock, { users }),
      sessions,
      sessionAuth: createSessionAuth({ sessions }),
      invites: createSignupInviteService(store.db, clock),
      loginThrottle: createLoginThrottle(clock),
      billing,
      signupMode: 'open',
      channelTest: { credentials: (id) => channels.credentials(id), channels, catalog, adapterFor: chatAdapterFor, client, clock },
    });
    await app.ready();

    await users.create({ email: 'root@example.com', password: PASSWORD, role: 'admin' });
    plainId = (await users.create({ email: 'plain@example.com', password: PASSWORD })).id;
    await billing.openAccount(plainId);
    await billing.grant({ userId: plainId, amountNanos: 5_000_000_000n, reason: 'welcome', actor: 'system' });
    const hold = await billing.reserve({ userId: plainId, requestId: 'gen-1', amountNanos: 1_000_000_000n });
    if (!hold.ok) throw hold.error;
    await billing.settle(hold.holdId, { costNanos: 300_000_000n, upstreamCostNanos: 200_000_000n, estimated: false });
    admin = new DashboardClient(app);
    plain = new DashboardClient(app);
    await admin.login('root@example.com', PASSWORD);
    await plain.login('plain@example.com', PASSWORD);
  });
  afterAll(async () => {
    await app.close();
    await client.close();
    await upstreams.close();
    await store.close();
  });

  it('keeps the helpers from non-admins', async () => {
    expect((await plain.request({ method: 'GET', url: '/api/dashboard/admin/providers' })).statusCode).toBe(403);
    expect((await plain.request({ method: 'POST', url: `/api/dashboard/admin/channels/${goodChannel}/test` })).statusCode).toBe(403);
    expect((await new DashboardClient(app).request({ method: 'GET', url: '/api/dashboard/admin/balances?user_ids=x' })).statusCode).toBe(401);
  });

  it('lists providers with the credentials each needs', async () => {
    const list = (await admin.request({ method: 'GET', url: '/api/dashboard/admin/providers' })).json().data as Array<{ id: string; credentials: string }>;
    expect(list.find((p) => p.id === 'kling')?.credentials).toBe('access-secret');
    expect(list.find((p) => p.id === 'openai')?.credentials).toBe('api-key');
  });

  it('reads the balances of a page of users, zero for users without an account', async () => {
    const response = await admin.request({ method: 'GET', url: `/api/dashboard/admin/balances?user_ids=${plainId},usr_nobody` });
    expect(response.json().data).toEqual({
      [plainId]: { balance: '4.70', held: '0.00', available: '4.70', debt: '0.00' },
      usr_nobody: { balance: '0.00', held: '0.00', available: '0.00', debt: '0.00' },
    });
  });

  it('splits revenue, upstream cost and margin by local day', async () => {
    const days = (await admin.request({ method: 'GET', url: '/api/dashboard/admin/totals/daily?days=3&tz_offset=420' })).json().data;
    expect(days.map((d: { day: string }) => d.day)).toEqual(['2026-03-13', '2026-03-14', '2026-03-15']);
    expect(days[2]).toMatchObject({ revenue: '0.30', upstream_cost: '0.20', margin: '0.10', settled_requests: 1 });
    expect(days[0]).toMatchObject({ revenue: '0.00', settled_requests: 0 });
  });

  it('tests a channel, even a disabled one, with a tiny request', async () => {
    const ok = (await admin.request({ method: 'POST', url: `/api/dashboard/admin/channels/${goodChannel}/test` })).json();
    expect(ok).toMatchObject({ ok: true, model: 'deepseek/deepseek-chat', status: 200 });
    const call = upstreams.calls.at(-1);
    expect(call?.body).toMatchObject({ max_tokens: 8 });
  });

  it('reports a channel whose key the provider refuses', async () => {
    const bad = (await admin.request({ method: 'POST', url: `/api/dashboard/admin/channels/${badChannel}/test` })).json();
    expect(bad).toMatchObject({ ok: false, status: 401, error_code: 'upstream_auth_failed' });
  });

  it('says when a channel has no chat model to test, and 404s an unknown channel', async () => {
    expect((await admin.request({ method: 'POST', url: `/api/dashboard/admin/channels/${videoChannel}/test` })).json()).toMatchObject({ ok: false, error_code: 'no_chat_model' });
    expect((await admin.request({ method: 'POST', url: '/api/dashboard/admin/channels/chn_missing/test' })).statusCode).toBe(404);
  });
});
