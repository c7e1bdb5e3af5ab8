/**
 * What an API key may do to its own account's controls: it can never change a spend limit (only the owner's
 * dashboard session or an admin can, and only an admin lifts one an admin set), and it reaches the admin API
 * only when an admin created it with the admin scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

async function call(t: TestGateway, method: string, path: string, options: { key?: string; body?: unknown; session?: Session } = {}): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.session) {
    headers.cookie = options.session.cookie;
    headers['x-csrf-token'] = options.session.csrf;
    headers.origin = t.url;
  }
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(`${t.url}${path}`, {
    method: method as 'GET',
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
}

interface Session {
  cookie: string;
  csrf: string;
}

async function logIn(t: TestGateway, email: string, password: string): Promise<Session> {
  const res = await request(`${t.url}/api/dashboard/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: t.url },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.body.json()) as { csrf_token: string };
  expect(res.statusCode).toBe(200);
  const setCookie = res.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return { cookie: (first ?? '').split(';')[0] ?? '', csrf: body.csrf_token };
}

for (const dialect of dialects) {
  describe(`key privileges on ${dialect}`, () => {
    let t: TestGateway;
    let userEmail: string;
    let keyId: string;
    let siblingKey: string;
    let adminId: string;

    beforeAll(async () => {
      t = await startTestGateway({ dialect, providers: ['openai'] });
      userEmail = (await t.gateway.users.get(t.userId))!.email;
      keyId = (await t.gateway.apiKeys.list(t.userId))[0]!.id;
      siblingKey = (await t.gateway.apiKeys.create(t.userId, { name: 'sibling' })).plaintext;
      adminId = (await t.gateway.users.getByEmail(t.gateway.config.adminEmail))!.id;
    });
    afterAll(async () => {
      await t?.close();
    });

    const limitPath = () => `/api/billing/keys/${keyId}/limit`;
    const adminLimitPath = () => `/api/admin/billing/keys/${keyId}/limit`;

    it('refuses a spend-limit change sent with the key itself or a sibling key, and keeps the limit', async () => {
      const session = await logIn(t, userEmail, 'correct horse battery');
      const set = await call(t, 'PUT', limitPath(), { session, body: { total_limit: '1.00' } });
      expect([set.status, set.json.total_limit, set.json.set_by_admin]).toEqual([200, '1.00', false]);
      for (const key of [t.apiKey, siblingKey]) {
        const lifted = await call(t, 'PUT', limitPath(), { key, body: { total_limit: null } });
        expect([lifted.status, lifted.json.error.code]).toEqual([403, 'forbidden']);
        const raised = await call(t, 'PUT', limitPath(), { key, body: { total_limit: '1000.00' } });
        expect(raised.status).toBe(403);
      }
      const read = await call(t, 'GET', limitPath(), { key: t.apiKey });
      expect([read.status, read.json.total_limit]).toEqual([200, '1.00']);
      // The owner's own dashboard session may lift a limit the owner set.
      const ownerLift = await call(t, 'PUT', limitPath(), { session, body: { total_limit: null } });
      expect([ownerLift.status, ownerLift.json.total_limit]).toEqual([200, null]);
    });

    it('lets only an admin lift a limit an admin set', async () => {
      const adminSet = await call(t, 'PUT', adminLimitPath(), { key: t.adminToken, body: { total_limit: '2.00' } });
      expect([adminSet.status, adminSet.json.set_by_admin]).toEqual([200, true]);
      const session = await logIn(t, userEmail, 'correct horse battery');
      for (const body of [{ total_limit: null }, { total_limit: '50.00' }, { total_limit: '0.50' }]) {
        const res = await call(t, 'PUT', limitPath(), { session, body });
        expect([res.status, res.json.error.code]).toEqual([403, 'forbidden']);
      }
      const key = await call(t, 'PUT', limitPath(), { key: t.apiKey, body: { total_limit: null } });
      expect(key.status).toBe(403);
      expect((await call(t, 'GET', limitPath(), { session })).json).toMatchObject({ total_limit: '2.00', set_by_admin: true });
      const adminLift = await call(t, 'PUT', adminLimitPath(), { key: t.adminToken, body: { total_limit: null } });
      expect([adminLift.status, adminLift.json.total_limit]).toEqual([200, null]);
    });

    it('does not take the first-start key, or any admin key without the admin scope, as an admin credential', async () => {
      for (const key of [t.adminKey, (await t.gateway.apiKeys.create(adminId, { name: 'plain' })).plaintext]) {
        const res = await call(t, 'GET', '/api/admin/users', { key });
        expect([res.status, res.json.error.code]).toEqual([403, 'forbidden']);
        const limit = await call(t, 'PUT', adminLimitPath(), { key, body: { total_limit: null } });
        expect(limit.status).toBe(403);
      }
      // The first-start key is still an ordinary inference key.
      const chat = await t.client(t.adminKey).chat.completions.create({ model: 'openai/gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }] });
      expect(chat.choices[0]?.message.content).toBeTruthy();
    });

    it('accepts a key an admin created with the admin scope, within its IP allowlist, and shows the scope', async () => {
      const created = await call(t, 'POST', `/api/admin/users/${adminId}/keys`, { key: t.adminToken, body: { name: 'ops', admin_scope: true } });
      expect([created.status, created.json.admin_scope]).toEqual([201, true]);
      const ok = await call(t, 'GET', '/api/admin/users', { key: created.json.key });
      expect(ok.status).toBe(200);

      const fenced = await call(t, 'POST', `/api/admin/users/${adminId}/keys`, {
        key: t.adminToken,
        body: { name: 'fenced', admin_scope: true, allowed_ips: ['203.0.113.7'] },
      });
      const refused = await call(t, 'GET', '/api/admin/users', { key: fenced.json.key });
      expect([refused.status, refused.json.error.code]).toEqual([403, 'ip_not_allowed']);

      const session = await logIn(t, t.gateway.firstStart!.email, t.gateway.firstStart!.password);
      const listed = await call(t, 'GET', '/api/dashboard/keys', { session });
      const scopes = Object.fromEntries(listed.json.data.map((k: { name: string; admin_scope: boolean }) => [k.name, k.admin_scope]));
      expect(scopes).toMatchObject({ ops: true, fenced: true, default: false, plain: false });
    });

    it('gives the admin scope only to an admin user, and never from the dashboard of a non-admin', async () => {
      const refused = await call(t, 'POST', `/api/admin/users/${t.userId}/keys`, { key: t.adminToken, body: { name: 'nope', admin_scope: true } });
      expect([refused.status, refused.json.error.param]).toEqual([400, 'admin_scope']);
      const session = await logIn(t, userEmail, 'correct horse battery');
      const own = await call(t, 'POST', '/api/dashboard/keys', { session, body: { name: 'mine', admin_scope: true } });
      expect(own.status).toBe(400);
      expect((await t.gateway.apiKeys.list(t.userId)).map((k) => k.name)).not.toContain('nope');
    });

    it('stops an admin-scoped key once its owner is no longer an admin', async () => {
      const other = await t.gateway.users.create({ email: `ops-${dialect}@example.com`, password: 'long enough pw', role: 'admin' });
      const created = await call(t, 'POST', `/api/admin/users/${other.id}/keys`, { key: t.adminToken, body: { name: 'ops', admin_scope: true } });
      expect((await call(t, 'GET', '/api/admin/users', { key: created.json.key })).status).toBe(200);
      await call(t, 'PATCH', `/api/admin/users/${other.id}`, { key: t.adminToken, body: { role: 'user' } });
      expect((await call(t, 'GET', '/api/admin/users', { key: created.json.key })).status).toBe(403);
    });
  });
}
