import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyService, isModelAllowed, type ApiKeyInvalidation, type ApiKeyService } from '../../../src/accounts/api-keys.js';
import type { AuthContext } from '../../../src/accounts/auth-context.js';
import { createUserService, type User, type UserService } from '../../../src/accounts/users.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { sha256Hex } from '../../../src/shared/crypto.js';
import { DIALECTS, openTestStore, type TestStore } from '../../support/store-fixture.js';

describe.each(DIALECTS)('API keys on %s', (dialect) => {
  let t: TestStore;
  let clock: ManualClock;
  let users: UserService;
  let keys: ApiKeyService;
  let alice: User;
  let bob: User;

  beforeAll(async () => {
    t = await openTestStore(dialect, 'keys');
    clock = new ManualClock();
    users = createUserService(t.store.db, clock);
    keys = createApiKeyService(t.store.db, clock, { cacheTtlMs: 60_000, users });
    alice = await users.create({ email: 'alice@keys.io', password: 'long enough', role: 'admin', groupId: 'team-a' });
    bob = await users.create({ email: 'bob@keys.io', password: 'long enough' });
  });
  afterAll(() => t.close());

  const rowOf = (id: string) => t.store.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('issues th- keys of 40 base62 characters and stores only their SHA-256', async () => {
    const { key, plaintext } = await keys.create(alice.id, { name: 'laptop' });
    expect(plaintext).toMatch(/^th-[0-9A-Za-z]{40}$/);
    expect(key.prefix).toBe(`th-${plaintext.slice(3, 9)}…${plaintext.slice(-4)}`);
    const row = await rowOf(key.id);
    expect(row.key_hash).toBe(sha256Hex(plaintext));
    expect(JSON.stringify(row)).not.toContain(plaintext.slice(3));
    expect(key).toMatchObject({ userId: alice.id, name: 'laptop', status: 'active', expiresAt: null, allowedModels: null, allowedIps: null });
    expect(JSON.stringify(key)).not.toContain(plaintext);
  });

  it('authenticates a key into the owner, role and group', async () => {
    const { key, plaintext } = await keys.create(alice.id, { name: 'ctx', allowedModels: ['openai/*'] });
    const auth = await keys.authenticate(plaintext, '127.0.0.1');
    expect(auth).toEqual<AuthContext>({
      userId: alice.id,
      role: 'admin',
      groupId: 'team-a',
      via: 'api_key',
      key: { id: key.id, allowedModels: ['openai/*'], allowedIps: null, adminScope: false },
    });
  });

  it('rejects empty, malformed and unknown keys', async () => {
    await expect(keys.authenticate('')).rejects.toMatchObject({ code: 'missing_api_key' });
    await expect(keys.authenticate('sk-not-ours')).rejects.toMatchObject({ code: 'invalid_api_key', status: 401 });
    await expect(keys.authenticate(`th-${'A'.repeat(40)}`)).rejects.toMatchObject({ code: 'invalid_api_key' });
  });

  it('a revoked key stops working at once even though it was cached', async () => {
    const { key, plaintext } = await keys.create(bob.id, { name: 'to revoke' });
    await keys.authenticate(plaintext);
    const revoked = await keys.revoke(bob.id, key.id);
    expect(revoked).toMatchObject({ status: 'revoked', revokedAt: clock.now() });
    await expect(keys.authenticate(plaintext)).rejects.toMatchObject({ code: 'key_disabled', status: 403 });
    expect(await keys.revoke(bob.id, key.id)).toMatchObject({ status: 'revoked' });
  });

  it('serves lookups from the cache until the TTL, and invalidateUser drops them early', async () => {
    const carol = await users.create({ email: 'carol@keys.io', password: 'long enough' });
    const { plaintext } = await keys.create(carol.id, { name: 'cached' });
    await keys.authenticate(plaintext);
    // Written behind the service's back, as another instance or the CLI would.
    await t.store.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', carol.id).execute();
    expect((await keys.authenticate(plaintext)).userId).toBe(carol.id);
    clock.advance(60_000);
    await expect(keys.authenticate(plaintext)).rejects.toMatchObject({ code: 'user_disabled' });

    await t.store.db.updateTable('users').set({ status: 'active' }).where('id', '=', carol.id).execute();
    keys.invalidateUser(carol.id);
    expect((await keys.authenticate(plaintext)).userId).toBe(carol.id);
  });

  it('disabling a user through the user service takes effect immediately', async () => {
    const dave = await users.create({ email: 'dave@keys.io', password: 'long enough' });
    const { plaintext } = await keys.create(dave.id, { name: 'k' });
    await keys.authenticate(plaintext);
    await users.setStatus(dave.id, 'disabled');
    await expect(keys.authenticate(plaintext)).rejects.toMatchObject({ code: 'user_disabled' });
    await users.setStatus(dave.id, 'active');
    await users.setRole(dave.id, 'admin');
    expect((await keys.authenticate(plaintext)).role).toBe('admin');
  });

  it('an expired key is refused from the moment it expires', async () => {
    const { plaintext } = await keys.create(bob.id, { name: 'short-lived', expiresAt: clock.now() + 1000 });
    expect((await keys.authenticate(plaintext)).userId).toBe(bob.id);
    clock.advance(999);
    expect((await keys.authenticate(plaintext)).userId).toBe(bob.id);
    clock.advance(1);
    await expect(keys.authenticate(plaintext)).rejects.toMatchObject({ code: 'key_disabled', message: 'The API key has expired.' });
  });

  it('validates new key settings with the API field names', async () => {
    await expect(keys.create(bob.id, { name: 'past', expiresAt: clock.now() })).rejects.toMatchObject({ param: 'expires_at' });
    await expect(keys.create(bob.id, { name: '  ' })).rejects.toMatchObject({ param: 'name' });
    await expect(keys.create(bob.id, { name: 'ips', allowedIps: ['10.0.0.1', 'nope'] })).rejects.toMatchObject({ param: 'allowed_ips[1]' });
    await expect(keys.create(bob.id, { name: 'models', allowedModels: [] })).rejects.toMatchObject({ param: 'allowed_models' });
    await expect(keys.create(bob.id, { name: 'models', allowedModels: ['ok/model', 'bad model'] })).rejects.toMatchObject({ param: 'allowed_models[1]' });
    await expect(keys.create('usr_missing', { name: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('enforces the IP allowlist with addresses and CIDR ranges on both IP versions', async () => {
    const { plaintext } = await keys.create(bob.id, { name: 'office', allowedIps: ['203.0.113.0/24', '2001:db8::/48', '198.51.100.7'] });
    for (const ip of ['203.0.113.9', '::ffff:203.0.113.200', '2001:db8:0:1::5', '198.51.100.7']) {
      expect((await keys.authenticate(plaintext, ip)).key?.allowedIps).toEqual(['203.0.113.0/24', '2001:db8::/48', '198.51.100.7']);
    }
    for (const ip of ['203.0.114.1', '2001:db8:1::1', '198.51.100.8', undefined]) {
      await expect(keys.authenticate(plaintext, ip)).rejects.toMatchObject({ code: 'ip_not_allowed', status: 403 });
    }
  });

  it("hides another user's key from get, list and revoke", async () => {
    const { key, plaintext } = await keys.create(alice.id, { name: 'alice only' });
    expect(await keys.get(bob.id, key.id)).toBeUndefined();
    expect(await keys.revoke(bob.id, key.id)).toBeUndefined();
    expect((await keys.list(bob.id)).map((k) => k.id)).not.toContain(key.id);
    expect((await keys.authenticate(plaintext)).userId).toBe(alice.id);
    expect(await keys.get(alice.id, key.id)).toMatchObject({ id: key.id, status: 'active' });
    expect(await keys.findById(key.id)).toMatchObject({ userId: alice.id });
  });

  it('lists a user’s keys newest first, revoked ones included', async () => {
    const erin = await users.create({ email: 'erin@keys.io', password: 'long enough' });
    const first = await keys.create(erin.id, { name: 'first' });
    clock.advance(5);
    const second = await keys.create(erin.id, { name: 'second' });
    await keys.revoke(erin.id, first.key.id);
    expect((await keys.list(erin.id)).map((k) => [k.name, k.status])).toEqual([
      ['second', 'active'],
      ['first', 'revoked'],
    ]);
    expect(second.key.createdAt).toBe(first.key.createdAt + 5);
  });

  it('tells invalidation listeners about local changes but not about replayed remote ones', async () => {
    const events: ApiKeyInvalidation[] = [];
    const stop = keys.onInvalidate((e) => events.push(e));
    const { key, plaintext } = await keys.create(bob.id, { name: 'broadcast' });
    await keys.revoke(bob.id, key.id);
    keys.invalidateUser(bob.id);
    keys.invalidate('remote-hash', { fromRemote: true });
    keys.invalidateUser(alice.id, { fromRemote: true });
    stop();
    keys.invalidateUser(bob.id);
    expect(events).toEqual([
      { kind: 'key', keyHash: sha256Hex(plaintext) },
      { kind: 'user', userId: bob.id },
    ]);
  });

  it('a remote invalidation makes this instance re-read the key', async () => {
    const { key, plaintext } = await keys.create(bob.id, { name: 'remote revoke' });
    await keys.authenticate(plaintext);
    await t.store.db.updateTable('api_keys').set({ status: 'revoked' }).where('id', '=', key.id).execute();
    expect((await keys.authenticate(plaintext)).userId).toBe(bob.id);
    keys.invalidate(sha256Hex(plaintext), { fromRemote: true });
    await expect(keys.authenticate(plaintext)).rejects.toMatchObject({ code: 'key_disabled' });
  });

  it('batches last_used_at in memory and writes it on flush', async () => {
    const frank = await users.create({ email: 'frank@keys.io', password: 'long enough' });
    const { key, plaintext } = await keys.create(frank.id, { name: 'usage' });
    await keys.flushLastUsed();
    clock.advance(100);
    await keys.authenticate(plaintext);
    clock.advance(100);
    await keys.authenticate(plaintext);
    expect((await rowOf(key.id)).last_used_at).toBeNull();
    expect((await keys.get(frank.id, key.id))?.lastUsedAt).toBe(clock.now());
    expect(await keys.flushLastUsed()).toBe(1);
    expect((await rowOf(key.id)).last_used_at).toBe(clock.now());
    expect(await keys.flushLastUsed()).toBe(0);
  });
});

describe('isModelAllowed', () => {
  const auth = (allowedModels: string[] | null): AuthContext => ({
    userId: 'usr_1',
    role: 'user',
    groupId: 'default',
    via: 'api_key',
    key: { id: 'key_1', allowedModels, allowedIps: null, adminScope: false },
  });

  it('allows everything when the key has no list, and sessions without a key', () => {
    expect(isModelAllowed(auth(null), 'openai/gpt-4.1')).toBe(true);
    expect(isModelAllowed({ userId: 'u', role: 'user', groupId: 'default', via: 'session' }, 'x/y')).toBe(true);
  });

  it('matches exact ids and vendor wildcards only', () => {
    const a = auth(['anthropic/claude-sonnet-4.5', 'openai/*']);
    expect(isModelAllowed(a, 'anthropic/claude-sonnet-4.5')).toBe(true);
    expect(isModelAllowed(a, 'anthropic/claude-opus-4.1')).toBe(false);
    expect(isModelAllowed(a, 'openai/gpt-4.1')).toBe(true);
    expect(isModelAllowed(a, 'openaix/gpt')).toBe(false);
  });
});
