import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyService, type ApiKeyService } from '../../src/accounts/api-keys.js';
import { createUserService, type UserService } from '../../src/accounts/users.js';
import { registerAdminChannelRoutes } from '../../src/api/admin/channels.js';
import { registerAdminKeyRoutes } from '../../src/api/admin/keys.js';
import { createRequireAdmin, DEFAULT_ADMIN_TOKEN_FAILURES } from '../../src/api/admin/require-admin.js';
import { registerAdminUserRoutes } from '../../src/api/admin/users.js';
import { installErrorHandling } from '../../src/api/error-handler.js';
import { createChannelService, type ChannelService } from '../../src/channels/channels.js';
import { ManualClock } from '../../src/shared/clock.js';
import { SecretBox } from '../../src/shared/crypto.js';
import { DIALECTS, openTestStore, type TestStore } from '../support/store-fixture.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

describe.each(DIALECTS)('admin API on %s', (dialect) => {
  let t: TestStore;
  let app: FastifyInstance;
  let clock: ManualClock;
  let users: UserService;
  let apiKeys: ApiKeyService;
  let channels: ChannelService;
  let adminKey: string;
  let adminPlainKey: string;
  let userKey: string;
  let adminId: string;

  beforeAll(async () => {
    t = await openTestStore(dialect, 'adminapi');
    clock = new ManualClock();
    users = createUserService(t.store.db, clock);
    apiKeys = createApiKeyService(t.store.db, clock, { users });
    channels = createChannelService(t.store.db, new SecretBox(Buffer.alloc(32, 3)), clock, {
      random: () => 0,
      modelsForProvider: (p) => (p === 'openai' ? ['openai/gpt-4.1'] : []),
    });
    await channels.reload();
    // The authorization sweep sends a wrong token to every route from one address; delays are tested elsewhere.
    const requireAdmin = createRequireAdmin({ adminToken: ADMIN_TOKEN, apiKeys, tokenFailures: { ...DEFAULT_ADMIN_TOKEN_FAILURES, freeFailures: 10_000 } });
    app = Fastify({ logger: false });
    installErrorHandling(app);
    registerAdminUserRoutes(app, { users, apiKeys, requireAdmin });
    registerAdminKeyRoutes(app, { users, apiKeys, requireAdmin });
    registerAdminChannelRoutes(app, { channels, requireAdmin });
    await app.ready();

    const admin = await users.create({ email: 'root@admin.io', password: 'long enough', role: 'admin' });
    adminId = admin.id;
    adminKey = (await apiKeys.create(admin.id, { name: 'admin', adminScope: true })).plaintext;
    adminPlainKey = (await apiKeys.create(admin.id, { name: 'inference' })).plaintext;
    const plain = await users.create({ email: 'plain@admin.io', password: 'long enough' });
    userKey = (await apiKeys.create(plain.id, { name: 'user' })).plaintext;
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const asAdmin = (options: InjectOptions) =>
    app.inject({ ...options, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...options.headers } });

  describe('authorization', () => {
    const routes: InjectOptions[] = [
      { method: 'GET', url: '/api/admin/users' },
      { method: 'POST', url: '/api/admin/users', payload: { email: 'x@auth.io' } },
      { method: 'GET', url: '/api/admin/users/usr_x' },
      { method: 'PATCH', url: '/api/admin/users/usr_x', payload: { status: 'disabled' } },
      { method: 'POST', url: '/api/admin/users/usr_x/keys', payload: { name: 'k' } },
      { method: 'GET', url: '/api/admin/users/usr_x/keys' },
      { method: 'DELETE', url: '/api/admin/users/usr_x/keys/key_x' },
      { method: 'GET', url: '/api/admin/channels' },
      { method: 'POST', url: '/api/admin/channels', payload: { provider: 'openai', name: 'n', api_key: 'k' } },
      { method: 'PATCH', url: '/api/admin/channels/chn_x', payload: { weight: 2 } },
      { method: 'DELETE', url: '/api/admin/channels/chn_x' },
    ];

    it('answers 401 without credentials and with a wrong token on every route', async () => {
      for (const route of routes) {
        const missing = await app.inject(route);
        expect([route.url, missing.statusCode, missing.json().error.code]).toEqual([route.url, 401, 'missing_api_key']);
        const wrong = await app.inject({ ...route, headers: { authorization: 'Bearer not-the-token' } });
        expect([route.url, wrong.statusCode, wrong.json().error.code]).toEqual([route.url, 401, 'invalid_api_key']);
      }
    });

    it("answers 403 to a non-admin user's key on every route", async () => {
      for (const route of routes) {
        const res = await app.inject({ ...route, headers: { authorization: `Bearer ${userKey}` } });
        expect([route.url, res.statusCode, res.json().error.code]).toEqual([route.url, 403, 'forbidden']);
      }
      expect(await users.getByEmail('x@auth.io')).toBeUndefined();
    });

    it("accepts an admin user's admin-scoped key, by Authorization or x-api-key", async () => {
      const bearer = await app.inject({ method: 'GET', url: '/api/admin/channels', headers: { authorization: `Bearer ${adminKey}` } });
      const header = await app.inject({ method: 'GET', url: '/api/admin/channels', headers: { 'x-api-key': adminKey } });
      expect([bearer.statusCode, header.statusCode]).toEqual([200, 200]);
    });

    it("answers 403 to an admin user's key made without the admin scope", async () => {
      const res = await app.inject({ method: 'GET', url: '/api/admin/channels', headers: { authorization: `Bearer ${adminPlainKey}` } });
      expect([res.statusCode, res.json().error.code]).toEqual([403, 'forbidden']);
    });

    it('refuses an unknown th- key as invalid', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/admin/users', headers: { authorization: `Bearer th-${'z'.repeat(40)}` } });
      expect([res.statusCode, res.json().error.code]).toEqual([401, 'invalid_api_key']);
    });
  });

  describe('users', () => {
    it('creates a user with a generated password returned once', async () => {
      const res = await asAdmin({ method: 'POST', url: '/api/admin/users', payload: { email: 'New@Users.io', group: 'beta' } });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ object: 'user', email: 'new@users.io', role: 'user', status: 'active', group: 'beta' });
      expect(body.password).toMatch(/^[0-9A-Za-z]{20}$/);
      expect((await users.verifyCredentials('new@users.io', body.password)).ok).toBe(true);
      const fetched = await asAdmin({ method: 'GET', url: `/api/admin/users/${body.id}` });
      expect(fetched.json()).toEqual({ ...body, password: undefined, updated_at: body.updated_at });
      expect(fetched.json().password).toBeUndefined();
    });

    it('creates an admin with a chosen password and does not echo it', async () => {
      const res = await asAdmin({ method: 'POST', url: '/api/admin/users', payload: { email: 'boss@users.io', password: 'chosen password', role: 'admin' } });
      expect([res.statusCode, res.json().role, res.json().password]).toEqual([201, 'admin', undefined]);
    });

    it('rejects bad input with 400 and the field as param, and duplicates with 409', async () => {
      const cases: Array<[unknown, string]> = [
        [{ email: 'bad' }, 'email'],
        [{ email: 'ok@users.io', password: 'short' }, 'password'],
        [{ email: 'ok@users.io', role: 'root' }, 'role'],
        [{ email: 'ok@users.io', emial: 'typo' }, 'emial'],
        [{}, 'email'],
      ];
      for (const [payload, param] of cases) {
        const res = await asAdmin({ method: 'POST', url: '/api/admin/users', payload: payload as object });
        expect([res.statusCode, res.json().error.code, res.json().error.param]).toEqual([400, 'invalid_request', param]);
      }
      const dup = await asAdmin({ method: 'POST', url: '/api/admin/users', payload: { email: 'NEW@users.io' } });
      expect([dup.statusCode, dup.json().error.code, dup.json().error.param]).toEqual([409, 'conflict', 'email']);
    });

    it('lists users with cursor paging and email search', async () => {
      const first = await asAdmin({ method: 'GET', url: '/api/admin/users?limit=2' });
      const page1 = first.json();
      expect([page1.object, page1.data.length, page1.has_more, page1.total]).toEqual(['list', 2, true, 4]);
      const second = (await asAdmin({ method: 'GET', url: `/api/admin/users?limit=2&cursor=${page1.next_cursor}` })).json();
      expect([second.data.length, second.has_more, second.next_cursor]).toEqual([2, false, null]);
      const ids = [...page1.data, ...second.data].map((u: { id: string }) => u.id);
      expect(new Set(ids).size).toBe(4);
      const byOffset = (await asAdmin({ method: 'GET', url: '/api/admin/users?limit=2&offset=2' })).json();
      expect(byOffset.data.map((u: { id: string }) => u.id)).toEqual(second.data.map((u: { id: string }) => u.id));
      const search = (await asAdmin({ method: 'GET', url: '/api/admin/users?q=BOSS' })).json();
      expect(search.data.map((u: { email: string }) => u.email)).toEqual(['boss@users.io']);
      const bad = await asAdmin({ method: 'GET', url: '/api/admin/users?limit=1000' });
      expect([bad.statusCode, bad.json().error.param]).toEqual([400, 'limit']);
      const unknown = await asAdmin({ method: 'GET', url: '/api/admin/users?page=2' });
      expect([unknown.statusCode, unknown.json().error.param]).toEqual([400, 'page']);
    });

    it('answers 404 for an unknown user', async () => {
      for (const options of [
        { method: 'GET', url: '/api/admin/users/usr_nope' },
        { method: 'PATCH', url: '/api/admin/users/usr_nope', payload: { role: 'admin' } },
      ] as InjectOptions[]) {
        const res = await asAdmin(options);
        expect([res.statusCode, res.json().error.code]).toEqual([404, 'not_found']);
      }
    });

    it('disabling a user locks out their keys at once; enabling lets them back in', async () => {
      const victim = await users.create({ email: 'victim@users.io', password: 'long enough' });
      const { plaintext } = await apiKeys.create(victim.id, { name: 'k' });
      await apiKeys.authenticate(plaintext);
      const res = await asAdmin({ method: 'PATCH', url: `/api/admin/users/${victim.id}`, payload: { status: 'disabled', group: 'frozen' } });
      expect(res.json()).toMatchObject({ status: 'disabled', group: 'frozen' });
      await expect(apiKeys.authenticate(plaintext)).rejects.toMatchObject({ code: 'user_disabled' });
      await asAdmin({ method: 'PATCH', url: `/api/admin/users/${victim.id}`, payload: { status: 'active' } });
      expect((await apiKeys.authenticate(plaintext)).groupId).toBe('frozen');
    });

    it('refuses an empty patch and an admin disabling themselves', async () => {
      const empty = await asAdmin({ method: 'PATCH', url: `/api/admin/users/${adminId}`, payload: {} });
      expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'invalid_request']);
      const self = await app.inject({
        method: 'PATCH',
        url: `/api/admin/users/${adminId}`,
        payload: { status: 'disabled' },
        headers: { authorization: `Bearer ${adminKey}` },
      });
      expect([self.statusCode, self.json().error.param]).toEqual([409, 'status']);
      expect((await users.get(adminId))?.status).toBe('active');
    });
  });

  describe('keys', () => {
    let ownerId: string;
    let otherId: string;
    beforeAll(async () => {
      ownerId = (await users.create({ email: 'owner@keys.io', password: 'long enough' })).id;
      otherId = (await users.create({ email: 'other@keys.io', password: 'long enough' })).id;
    });

    it('creates a key and returns the plaintext only in the create response', async () => {
      const res = await asAdmin({
        method: 'POST',
        url: `/api/admin/users/${ownerId}/keys`,
        payload: { name: 'server', expires_at: '2027-01-01T00:00:00Z', allowed_models: ['openai/*'], allowed_ips: ['10.0.0.0/8'] },
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({
        object: 'api_key',
        user_id: ownerId,
        name: 'server',
        status: 'active',
        expires_at: Date.UTC(2027, 0, 1),
        allowed_models: ['openai/*'],
        allowed_ips: ['10.0.0.0/8'],
      });
      expect(body.key).toMatch(/^th-[0-9A-Za-z]{40}$/);
      const auth = await apiKeys.authenticate(body.key, '10.9.8.7');
      expect(auth.key?.id).toBe(body.id);

      const list = await asAdmin({ method: 'GET', url: `/api/admin/users/${ownerId}/keys` });
      expect(list.json().data.map((k: { id: string }) => k.id)).toEqual([body.id]);
      expect(list.body).not.toContain(body.key.slice(3));
      expect(list.json().data[0].key).toBeUndefined();
    });

    it('revokes a key, which then fails authentication', async () => {
      const created = await apiKeys.create(ownerId, { name: 'to revoke' });
      const res = await asAdmin({ method: 'DELETE', url: `/api/admin/users/${ownerId}/keys/${created.key.id}` });
      expect([res.statusCode, res.json().status]).toEqual([200, 'revoked']);
      await expect(apiKeys.authenticate(created.plaintext)).rejects.toMatchObject({ code: 'key_disabled' });
    });

    it("answers 404 for another user's key and for unknown users", async () => {
      const created = await apiKeys.create(ownerId, { name: 'owned' });
      const cross = await asAdmin({ method: 'DELETE', url: `/api/admin/users/${otherId}/keys/${created.key.id}` });
      expect([cross.statusCode, cross.json().error.code]).toEqual([404, 'not_found']);
      expect((await apiKeys.authenticate(created.plaintext)).userId).toBe(ownerId);
      const noUser = await asAdmin({ method: 'GET', url: '/api/admin/users/usr_nope/keys' });
      const noUserCreate = await asAdmin({ method: 'POST', url: '/api/admin/users/usr_nope/keys', payload: { name: 'x' } });
      expect([noUser.statusCode, noUserCreate.statusCode]).toEqual([404, 404]);
    });

    it('rejects bad key settings with the field as param', async () => {
      const cases: Array<[object, string]> = [
        [{ name: 'x', allowed_ips: ['10.0.0.0/8', 'nope'] }, 'allowed_ips[1]'],
        [{ name: 'x', expires_at: clock.now() - 1 }, 'expires_at'],
        [{ name: 'x', expires_at: 'tomorrow' }, 'expires_at'],
        [{ name: 'x', allowed_models: 'openai/*' }, 'allowed_models'],
        [{ name: '' }, 'name'],
        [{}, 'name'],
      ];
      for (const [payload, param] of cases) {
        const res = await asAdmin({ method: 'POST', url: `/api/admin/users/${ownerId}/keys`, payload });
        expect([param, res.statusCode, res.json().error.param]).toEqual([param, 400, param]);
      }
    });
  });

  describe('channels', () => {
    it('creates, lists, updates and deletes a channel without ever returning its key', async () => {
      const created = await asAdmin({
        method: 'POST',
        url: '/api/admin/channels',
        payload: { provider: 'openai', name: 'primary', api_key: 'sk-live-TOPSECRET-9876', priority: 5, weight: 2 },
      });
      expect(created.statusCode).toBe(201);
      const channel = created.json();
      expect(channel).toMatchObject({
        object: 'channel',
        provider: 'openai',
        name: 'primary',
        base_url: 'https://api.openai.com/v1',
        api_key_hint: 'sk-…9876',
        secret_key_hint: null,
        models: ['openai/gpt-4.1'],
        priority: 5,
        weight: 2,
        enabled: true,
      });
      expect(created.body).not.toContain('TOPSECRET');
      expect(channels.pick('openai/gpt-4.1')?.apiKey).toBe('sk-live-TOPSECRET-9876');

      const list = await asAdmin({ method: 'GET', url: '/api/admin/channels' });
      expect(list.json().data.map((c: { id: string }) => c.id)).toContain(channel.id);
      expect(list.body).not.toContain('TOPSECRET');

      const patched = await asAdmin({
        method: 'PATCH',
        url: `/api/admin/channels/${channel.id}`,
        payload: { api_key: 'sk-live-ROTATED-1234', enabled: false, models: ['openai/gpt-4.1', 'openai/o3'] },
      });
      expect(patched.json()).toMatchObject({ api_key_hint: 'sk-…1234', enabled: false, models: ['openai/gpt-4.1', 'openai/o3'] });
      expect(patched.body).not.toContain('ROTATED');
      expect(channels.isServed('openai/gpt-4.1')).toBe(false);

      const deleted = await asAdmin({ method: 'DELETE', url: `/api/admin/channels/${channel.id}` });
      expect(deleted.json()).toEqual({ object: 'channel', id: channel.id, deleted: true });
      const again = await asAdmin({ method: 'DELETE', url: `/api/admin/channels/${channel.id}` });
      const patchMissing = await asAdmin({ method: 'PATCH', url: `/api/admin/channels/${channel.id}`, payload: { weight: 1 } });
      expect([again.statusCode, patchMissing.statusCode]).toEqual([404, 404]);
    });

    it('rejects bad channel input with the field as param', async () => {
      const valid = { provider: 'openai', name: 'ok', api_key: 'sk-000000000000' };
      const cases: Array<[object, string]> = [
        [{ ...valid, provider: 'acme' }, 'provider'],
        [{ ...valid, weight: 0 }, 'weight'],
        [{ ...valid, weight: 'heavy' }, 'weight'],
        [{ ...valid, base_url: 'ftp://x' }, 'base_url'],
        [{ ...valid, name: 'env:openai' }, 'name'],
        [{ ...valid, api_key: '' }, 'api_key'],
        [{ ...valid, models: ['ok', 7] }, 'models[1]'],
        [{ ...valid, provider: 'kling' }, 'secret_key'],
        [{ ...valid, apikey: 'x' }, 'apikey'],
      ];
      for (const [payload, param] of cases) {
        const res = await asAdmin({ method: 'POST', url: '/api/admin/channels', payload });
        expect([param, res.statusCode, res.json().error.param]).toEqual([param, 400, param]);
      }
      const empty = await asAdmin({ method: 'PATCH', url: '/api/admin/channels/chn_x', payload: {} });
      expect(empty.statusCode).toBe(400);
      expect((await channels.list()).some((c) => c.name === 'ok')).toBe(false);
    });
  });
});
