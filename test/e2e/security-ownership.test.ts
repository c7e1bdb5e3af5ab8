/**
 * Security end to end: every owner-scoped object reachable over HTTP answers another account 404 (never 403,
 * never the object), admin routes refuse ordinary keys, and every key restriction (revoked, expired, model and
 * IP allowlists) holds on the real server, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { hashApiKey } from '../../src/accounts/api-key-format.js';
import { formatUsd, usdToNanos } from '../../src/billing/money.js';
import { dialects } from '../support/databases.js';
import { DEFAULT_ADMIN_TOKEN_FAILURES } from '../../src/api/admin/require-admin.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { expectApiError } from '../support/openai-assertions.js';

interface Account {
  userId: string;
  apiKey: string;
  keyId: string;
}

interface HttpResult {
  status: number;
  text: string;
  /** The JSON body, read loosely: each assertion states the shape it expects. */
  json: any;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const CHAT_MODEL = 'deepseek/deepseek-chat';

async function callGateway(t: TestGateway, method: Method, path: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(`${t.url}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await res.body.text();
  let json: unknown = undefined;
  if ((res.headers['content-type'] ?? '').toString().includes('application/json')) json = JSON.parse(text);
  return { status: res.statusCode, text, json };
}

async function createAccount(t: TestGateway, label: string, creditUsd: string): Promise<Account> {
  const user = await t.gateway.users.create({ email: `${label}-${Math.random().toString(36).slice(2)}@example.com`, password: 'another horse battery' });
  const { plaintext, key } = await t.gateway.apiKeys.create(user.id, { name: label });
  const granted = await t.gateway.billing.grant({ userId: user.id, amountNanos: usdToNanos(creditUsd), reason: 'test credit', actor: 'test' });
  if (!granted.ok) throw granted.error;
  return { userId: user.id, apiKey: plaintext, keyId: key.id };
}

/** Parses Fastify's printRoutes tree into `METHOD /full/path` pairs (HEAD left out: it mirrors GET). */
function listRoutes(tree: string): Array<{ method: Method; path: string }> {
  const routes: Array<{ method: Method; path: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    const segment = match[2] ?? '';
    // The tree prints a wildcard child as `*` under its parent even though the route is `parent/*`.
    stack.push(segment === '*' && !stack.join('').endsWith('/') ? '/*' : segment);
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) {
      routes.push({ method: method as Method, path: stack.join('') });
    }
  }
  return routes;
}

describe.each(dialects)('security: ownership and access on %s', (dialect) => {
  let t: TestGateway;
  let a: Account;
  let b: Account;
  let aGeneration: string;
  let bGeneration: string;

  beforeAll(async () => {
    // The sweeps below send a wrong admin token to every admin route from one address: more than the default
    // allowance before delays (test/e2e/security-admin-token.test.ts covers those).
    t = await startTestGateway({ dialect, providers: ['deepseek', 'openai'], adminTokenFailures: { ...DEFAULT_ADMIN_TOKEN_FAILURES, freeFailures: 10_000 } });
    const aKeys = await t.gateway.apiKeys.list(t.userId);
    a = { userId: t.userId, apiKey: t.apiKey, keyId: aKeys[0]!.id };
    b = await createAccount(t, 'b', '7');
    aGeneration = (await t.client(a.apiKey).chat.completions.create({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'A speaks' }] })).id;
    bGeneration = (await t.client(b.apiKey).chat.completions.create({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'B speaks' }] })).id;
    await t.gateway.requestLog.settled();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('generation records', () => {
    it("answers another account's generation id exactly like a missing one", async () => {
      const stolen = await callGateway(t, 'GET', `/api/v1/generation?id=${aGeneration}`, { key: b.apiKey });
      const missing = await callGateway(t, 'GET', `/api/v1/generation?id=gen-doesnotexist`, { key: b.apiKey });
      expect(stolen.status).toBe(404);
      expect(stolen.json).toEqual({ error: { message: `No generation with id '${aGeneration}'.`, type: 'not_found_error', code: 'not_found', param: 'id' } });
      expect(missing.json).toEqual({ error: { ...stolen.json.error, message: `No generation with id 'gen-doesnotexist'.` } });
      expect(stolen.text).not.toContain(a.keyId);
    });

    it('shows each owner their own generation', async () => {
      const own = await callGateway(t, 'GET', `/api/v1/generation?id=${aGeneration}`, { key: a.apiKey });
      expect(own.status).toBe(200);
      expect(own.json.data).toMatchObject({ object: 'generation', id: aGeneration, api_key_id: a.keyId, model: CHAT_MODEL });
      const bOwn = await callGateway(t, 'GET', `/api/v1/generation?id=${bGeneration}`, { key: b.apiKey });
      expect(bOwn.json.data).toMatchObject({ id: bGeneration, api_key_id: b.keyId });
    });
  });

  describe('API key spend limits', () => {
    it("neither reads nor changes another account's key limit (404, like a missing key)", async () => {
      const set = await callGateway(t, 'PUT', `/api/admin/billing/keys/${a.keyId}/limit`, { key: t.adminToken, body: { total_limit: '5.00' } });
      expect(set.status).toBe(200);

      const read = await callGateway(t, 'GET', `/api/billing/keys/${a.keyId}/limit`, { key: b.apiKey });
      const write = await callGateway(t, 'PUT', `/api/billing/keys/${a.keyId}/limit`, { key: b.apiKey, body: { total_limit: '999.00' } });
      const missing = await callGateway(t, 'GET', '/api/billing/keys/key_doesnotexist/limit', { key: b.apiKey });
      for (const res of [read, write]) {
        expect(res.status).toBe(404);
        expect(res.json).toEqual(missing.json);
        expect(res.text).not.toContain('5.00');
      }
      expect(missing.json).toEqual({ error: { message: 'No such API key.', type: 'not_found_error', code: 'not_found', param: null } });

      const after = await callGateway(t, 'GET', `/api/billing/keys/${a.keyId}/limit`, { key: a.apiKey });
      expect(after.json).toMatchObject({ object: 'key_spend_limit', key_id: a.keyId, total_limit: '5.00' });
    });

    it("refuses a malformed write to another account's key with 404 before looking at the body", async () => {
      const res = await callGateway(t, 'PUT', `/api/billing/keys/${a.keyId}/limit`, { key: b.apiKey, body: { total_limit: 'lots', extra: true } });
      expect(res.status).toBe(404);
    });
  });

  describe('usage records', () => {
    it("lists only the caller's records, even when filtering by another account's key id", async () => {
      const bList = await callGateway(t, 'GET', '/api/billing/usage', { key: b.apiKey });
      const bIds = (bList.json.data as Array<{ id: string; api_key_id: string | null }>).map((r) => r.id);
      expect(bIds).toContain(bGeneration);
      expect(bIds).not.toContain(aGeneration);
      expect(bList.text).not.toContain(a.keyId);

      const filtered = await callGateway(t, 'GET', `/api/billing/usage?key_id=${a.keyId}`, { key: b.apiKey });
      expect(filtered.status).toBe(200);
      expect(filtered.json).toMatchObject({ object: 'list', data: [], has_more: false });

      const aFiltered = await callGateway(t, 'GET', `/api/billing/usage?key_id=${a.keyId}`, { key: a.apiKey });
      expect((aFiltered.json.data as Array<{ id: string }>).map((r) => r.id)).toContain(aGeneration);
    });

    it("exports only the caller's records as CSV", async () => {
      const bCsv = await callGateway(t, 'GET', '/api/billing/usage.csv', { key: b.apiKey });
      expect(bCsv.status).toBe(200);
      expect(bCsv.text).toContain(bGeneration);
      expect(bCsv.text).not.toContain(aGeneration);
      expect(bCsv.text).not.toContain(a.keyId);

      const filtered = await callGateway(t, 'GET', `/api/billing/usage.csv?key_id=${a.keyId}`, { key: b.apiKey });
      expect(filtered.text.trim().split('\n')).toHaveLength(1);
      const aCsv = await callGateway(t, 'GET', `/api/billing/usage.csv?key_id=${a.keyId}`, { key: a.apiKey });
      expect(aCsv.text).toContain(aGeneration);
    });

    it("charts only the caller's spend, even when filtering by another account's key id", async () => {
      for (const chart of ['spend/daily', 'spend/models']) {
        const filtered = await callGateway(t, 'GET', `/api/billing/${chart}?key_id=${a.keyId}`, { key: b.apiKey });
        expect({ chart, status: filtered.status, data: filtered.json.data }).toEqual({ chart, status: 200, data: [] });
        const own = await callGateway(t, 'GET', `/api/billing/${chart}?key_id=${a.keyId}`, { key: a.apiKey });
        expect(own.json.data.length).toBeGreaterThan(0);
      }
    });

    it('gives no way to name another account on the user routes', async () => {
      for (const path of ['usage', 'usage.csv', 'spend/daily', 'spend/models']) {
        const res = await callGateway(t, 'GET', `/api/billing/${path}?user_id=${a.userId}`, { key: b.apiKey });
        expect({ path, status: res.status, code: res.json?.error?.code }).toEqual({ path, status: 400, code: 'invalid_request' });
      }
    });
  });

  describe('balance and ledger', () => {
    it("shows each account its own balance, matching its own ledger row", async () => {
      for (const account of [a, b]) {
        const res = await callGateway(t, 'GET', '/api/billing/balance', { key: account.apiKey });
        const row = await t.gateway.store.db.selectFrom('accounts').select(['balance_nanos', 'held_nanos']).where('user_id', '=', account.userId).executeTakeFirstOrThrow();
        expect(res.json).toMatchObject({ object: 'balance', balance: formatUsd(BigInt(row.balance_nanos)), held: formatUsd(BigInt(row.held_nanos)) });
      }
      const [aBalance, bBalance] = await Promise.all([a, b].map((x) => callGateway(t, 'GET', '/api/billing/balance', { key: x.apiKey })));
      expect(aBalance!.json.balance).not.toBe(bBalance!.json.balance);
    });

    it("lists only the caller's ledger entries", async () => {
      const aLedger = await callGateway(t, 'GET', '/api/billing/ledger?limit=100', { key: a.apiKey });
      const bLedger = await callGateway(t, 'GET', '/api/billing/ledger?limit=100', { key: b.apiKey });
      const ids = (res: HttpResult) => (res.json.data as Array<{ id: string }>).map((e) => e.id);
      const aRows = await t.gateway.store.db.selectFrom('ledger_entries').select('id').where('user_id', '=', a.userId).execute();
      const bRows = await t.gateway.store.db.selectFrom('ledger_entries').select('id').where('user_id', '=', b.userId).execute();
      expect(new Set(ids(aLedger))).toEqual(new Set(aRows.map((r) => r.id)));
      expect(new Set(ids(bLedger))).toEqual(new Set(bRows.map((r) => r.id)));
      // B's history starts with B's own 7.00 grant and never shows A's 100.00 credit.
      const bEntries = bLedger.json.data as Array<{ seq: number; amount: string; kind: string }>;
      expect(bEntries.find((e) => e.seq === 1)).toMatchObject({ kind: 'adjustment', amount: '7.00' });
      expect(bEntries.some((e) => e.amount === '100.00')).toBe(false);
    });
  });

  describe('admin routes', () => {
    const adminRoutes = () => {
      const routes = listRoutes(t.gateway.app.printRoutes({ commonPrefix: false }));
      return routes.filter((r) => r.path.startsWith('/api/admin/') || r.path === '/metrics');
    };
    const concrete = (route: { method: Method; path: string }) => {
      let path = route.path.replace(/:userId|:id/g, a.userId).replace(/:keyId/g, a.keyId).replace(/:groupId/g, 'default');
      if (path.endsWith('*')) path = path.slice(0, -1) + (route.method === 'DELETE' ? `${CHAT_MODEL}/override` : CHAT_MODEL);
      return path;
    };

    it('finds every admin route to check', () => {
      const seen = adminRoutes().map((r) => `${r.method} ${r.path}`);
      expect(seen).toEqual(
        expect.arrayContaining([
          'GET /api/admin/users',
          'PATCH /api/admin/users/:id',
          'DELETE /api/admin/users/:id/keys/:keyId',
          'POST /api/admin/channels',
          'PATCH /api/admin/models/*',
          'POST /api/admin/billing/users/:userId/adjustments',
          'PUT /api/admin/billing/keys/:keyId/limit',
          'GET /metrics',
        ]),
      );
      expect(seen.length).toBeGreaterThanOrEqual(30);
    });

    it("answers an ordinary user's key 403 forbidden on every admin route, and changes nothing", async () => {
      const balanceBefore = (await callGateway(t, 'GET', '/api/billing/balance', { key: a.apiKey })).json;
      const outcomes: string[] = [];
      for (const route of adminRoutes()) {
        const body = route.method === 'GET' ? undefined : { type: 'grant', amount: '1000.00', reason: 'self-service', status: 'disabled', role: 'admin' };
        const res = await callGateway(t, route.method, concrete(route), { key: a.apiKey, body });
        outcomes.push(`${route.method} ${route.path} → ${res.status} ${res.json?.error?.code}`);
      }
      expect(outcomes.filter((o) => !o.endsWith('→ 403 forbidden'))).toEqual([]);
      expect((await callGateway(t, 'GET', '/api/billing/balance', { key: a.apiKey })).json).toEqual(balanceBefore);
      expect((await t.gateway.users.get(a.userId))?.role).toBe('user');
    });

    it('answers 401 without a key and with a wrong admin token on every admin route', async () => {
      const outcomes: string[] = [];
      for (const route of adminRoutes()) {
        const body = route.method === 'GET' ? undefined : {};
        const none = await callGateway(t, route.method, concrete(route), { body });
        const wrong = await callGateway(t, route.method, concrete(route), { body, key: `${t.adminToken}x` });
        outcomes.push(`${route.method} ${route.path} → ${none.status} ${none.json?.error?.code}, ${wrong.status} ${wrong.json?.error?.code}`);
      }
      expect(outcomes.filter((o) => !o.endsWith('→ 401 missing_api_key, 401 invalid_api_key'))).toEqual([]);
    });

    it('lets the admin token and an admin-scoped key through (the sweep above refuses callers, not the routes)', async () => {
      const adminId = (await t.gateway.users.getByEmail(t.gateway.config.adminEmail))!.id;
      const adminScoped = (await t.gateway.apiKeys.create(adminId, { name: 'ops', adminScope: true })).plaintext;
      for (const key of [t.adminToken, adminScoped]) {
        const res = await callGateway(t, 'GET', `/api/admin/billing/users/${a.userId}/balance`, { key });
        expect(res.status).toBe(200);
      }
    });
  });

  describe('key restrictions', () => {
    const chatWith = (key: string, model = CHAT_MODEL) => t.client(key).chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });

    it('refuses every call without a key with 401', async () => {
      for (const [method, path] of [['POST', '/api/v1/chat/completions'], ['GET', `/api/v1/generation?id=${aGeneration}`], ['GET', '/api/billing/balance'], ['GET', '/api/billing/usage'], ['GET', `/api/billing/keys/${a.keyId}/limit`]] as const) {
        const res = await callGateway(t, method, path, method === 'POST' ? { body: { model: CHAT_MODEL, messages: [{ role: 'user', content: 'Hi' }] } } : {});
        expect({ path, status: res.status, code: res.json.error.code }).toEqual({ path, status: 401, code: 'missing_api_key' });
      }
      const forged = await callGateway(t, 'GET', '/api/billing/balance', { key: `th-${'A'.repeat(40)}` });
      expect({ status: forged.status, code: forged.json.error.code }).toEqual({ status: 401, code: 'invalid_api_key' });
    });

    it('refuses a revoked key with 403 key_disabled at once', async () => {
      const { plaintext, key } = await t.gateway.apiKeys.create(a.userId, { name: 'to revoke' });
      await chatWith(plaintext);
      const revoked = await callGateway(t, 'DELETE', `/api/admin/users/${a.userId}/keys/${key.id}`, { key: t.adminToken });
      expect(revoked.json).toMatchObject({ id: key.id, status: 'revoked' });
      await expectApiError(chatWith(plaintext), 403, 'key_disabled');
      const billing = await callGateway(t, 'GET', '/api/billing/balance', { key: plaintext });
      expect({ status: billing.status, code: billing.json.error.code }).toEqual({ status: 403, code: 'key_disabled' });
    });

    it('refuses an expired key with 403 key_disabled', async () => {
      const { plaintext, key } = await t.gateway.apiKeys.create(a.userId, { name: 'to expire' });
      await chatWith(plaintext);
      await t.gateway.store.db.updateTable('api_keys').set({ expires_at: Date.now() - 1000 }).where('id', '=', key.id).execute();
      t.gateway.apiKeys.invalidate(hashApiKey(plaintext));
      const error = await expectApiError(chatWith(plaintext), 403, 'key_disabled');
      expect(error.message).toContain('expired');
    });

    it('refuses another model with 403 model_not_allowed before calling upstream', async () => {
      const created = await callGateway(t, 'POST', `/api/admin/users/${a.userId}/keys`, { key: t.adminToken, body: { name: 'deepseek only', allowed_models: [CHAT_MODEL] } });
      expect(created.status).toBe(201);
      const openaiCalls = t.upstreams.callsFor('openai').length;
      const error = await expectApiError(chatWith(created.json.key, 'openai/gpt-4.1'), 403, 'model_not_allowed');
      expect(error.param).toBe('model');
      expect(t.upstreams.callsFor('openai')).toHaveLength(openaiCalls);
      expect((await chatWith(created.json.key)).choices[0]?.message.content).toContain('Hi');
    });

    it('refuses a key whose allowed_ips exclude 127.0.0.1 with 403 ip_not_allowed', async () => {
      const elsewhere = await t.gateway.apiKeys.create(a.userId, { name: 'office only', allowedIps: ['10.0.0.0/8'] });
      await expectApiError(chatWith(elsewhere.plaintext), 403, 'ip_not_allowed');
      const billing = await callGateway(t, 'GET', '/api/billing/balance', { key: elsewhere.plaintext });
      expect({ status: billing.status, code: billing.json.error.code }).toEqual({ status: 403, code: 'ip_not_allowed' });
      const here = await t.gateway.apiKeys.create(a.userId, { name: 'loopback', allowedIps: ['127.0.0.1'] });
      expect((await chatWith(here.plaintext)).id).toMatch(/^gen-/);
    });

    // X-Forwarded-For is only evidence when a proxy the operator trusts wrote it; a client talking to the gateway
    // directly must not choose the address its key's allowlist is checked against.
    it('does not let a client pick its own address with X-Forwarded-For to pass allowed_ips', async () => {
      const office = await t.gateway.apiKeys.create(a.userId, { name: 'office only', allowedIps: ['203.0.113.7'] });
      const spoofed = await callGateway(t, 'POST', '/api/v1/chat/completions', {
        key: office.plaintext,
        headers: { 'x-forwarded-for': '203.0.113.7' },
        body: { model: CHAT_MODEL, messages: [{ role: 'user', content: 'Hi' }] },
      });
      expect({ status: spoofed.status, code: spoofed.json?.error?.code }).toEqual({ status: 403, code: 'ip_not_allowed' });
    });

    it('refuses a disabled account with 403 user_disabled', async () => {
      const c = await createAccount(t, 'c', '1');
      const disabled = await callGateway(t, 'PATCH', `/api/admin/users/${c.userId}`, { key: t.adminToken, body: { status: 'disabled' } });
      expect(disabled.json).toMatchObject({ status: 'disabled' });
      await expectApiError(chatWith(c.apiKey), 403, 'user_disabled');
    });
  });
});
