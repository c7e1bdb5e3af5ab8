import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserService, type User, type UserService } from '../../../src/accounts/users.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { DIALECTS, openTestStore, type TestStore } from '../../support/store-fixture.js';

describe.each(DIALECTS)('users on %s', (dialect) => {
  let t: TestStore;
  let clock: ManualClock;
  let users: UserService;

  beforeAll(async () => {
    t = await openTestStore(dialect, 'users');
    clock = new ManualClock();
    users = createUserService(t.store.db, clock);
  });
  afterAll(() => t.close());

  it('creates an active user in the default group with a lower-cased email and no password hash', async () => {
    const user = await users.create({ email: '  Alice@Example.COM ', password: 'correct horse' });
    expect(user).toMatchObject({ email: 'alice@example.com', role: 'user', status: 'active', groupId: 'default' });
    expect(user.id).toMatch(/^usr_/);
    expect(Object.keys(user).sort()).toEqual(['createdAt', 'email', 'groupId', 'id', 'role', 'status', 'updatedAt']);
    expect(await users.getByEmail('ALICE@example.com')).toEqual(user);
    expect(await users.get(user.id)).toEqual(user);
  });

  it('stores an scrypt hash, never the password', async () => {
    const user = await users.create({ email: 'hash@example.com', password: 'p4ssword-plain' });
    const row = await t.store.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain('p4ssword-plain');
  });

  it('rejects a malformed email, a short password and a bad group with the field as param', async () => {
    await expect(users.create({ email: 'not-an-email', password: 'long enough' })).rejects.toMatchObject({ code: 'invalid_request', param: 'email' });
    await expect(users.create({ email: 'short@example.com', password: '1234567' })).rejects.toMatchObject({ code: 'invalid_request', param: 'password' });
    await expect(users.create({ email: 'grp@example.com', password: 'long enough', groupId: 'has space' })).rejects.toMatchObject({ param: 'group' });
    expect(await users.getByEmail('short@example.com')).toBeUndefined();
  });

  it('refuses a second user with the same email in another case as a conflict on email', async () => {
    await users.create({ email: 'dup@example.com', password: 'long enough' });
    await expect(users.create({ email: 'DUP@example.com', password: 'long enough' })).rejects.toMatchObject({
      code: 'conflict',
      status: 409,
      param: 'email',
    });
  });

  it('verifies credentials and fails the same way for a wrong password and an unknown email', async () => {
    const user = await users.create({ email: 'login@example.com', password: 'right password' });
    expect(await users.verifyCredentials('LOGIN@example.com', 'right password')).toEqual({ ok: true, user });
    expect(await users.verifyCredentials('login@example.com', 'wrong password')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await users.verifyCredentials('nobody@example.com', 'right password')).toEqual({ ok: false, reason: 'invalid_credentials' });
    await users.setStatus(user.id, 'disabled');
    expect(await users.verifyCredentials('login@example.com', 'right password')).toEqual({ ok: false, reason: 'user_disabled' });
    expect(await users.verifyCredentials('login@example.com', 'wrong password')).toEqual({ ok: false, reason: 'invalid_credentials' });
  });

  it('changes status, role and group, bumps updatedAt and tells listeners', async () => {
    const user = await users.create({ email: 'change@example.com', password: 'long enough' });
    const seen: User[] = [];
    const stop = users.onChange((u) => seen.push(u));
    clock.advance(1000);
    expect(await users.setStatus(user.id, 'disabled')).toMatchObject({ status: 'disabled', updatedAt: user.createdAt + 1000 });
    expect(await users.setRole(user.id, 'admin')).toMatchObject({ role: 'admin' });
    expect(await users.setGroup(user.id, 'vip')).toMatchObject({ groupId: 'vip', status: 'disabled', role: 'admin' });
    stop();
    await users.setStatus(user.id, 'active');
    expect(seen.map((u) => [u.status, u.role, u.groupId])).toEqual([
      ['disabled', 'user', 'default'],
      ['disabled', 'admin', 'default'],
      ['disabled', 'admin', 'vip'],
    ]);
    expect(await users.setStatus('usr_missing', 'disabled')).toBeUndefined();
  });

  it('changes a password only when the current one matches', async () => {
    const user = await users.create({ email: 'pw@example.com', password: 'first password' });
    expect(await users.changePassword(user.id, 'second password', { currentPassword: 'wrong' })).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await users.changePassword(user.id, 'second password', { currentPassword: 'first password' })).toEqual({ ok: true });
    expect((await users.verifyCredentials('pw@example.com', 'second password')).ok).toBe(true);
    expect((await users.verifyCredentials('pw@example.com', 'first password')).ok).toBe(false);
    expect(await users.changePassword('usr_missing', 'whatever long')).toEqual({ ok: false, reason: 'not_found' });
    await expect(users.changePassword(user.id, 'short')).rejects.toMatchObject({ param: 'password' });
  });
});

describe.each(DIALECTS)('user listing on %s', (dialect) => {
  let t: TestStore;
  let users: UserService;
  const created: User[] = [];

  beforeAll(async () => {
    t = await openTestStore(dialect, 'userlist');
    const clock = new ManualClock();
    users = createUserService(t.store.db, clock);
    for (const email of ['a_b@list.io', 'axb@list.io', 'c@list.io', 'd@other.io', 'e@list.io']) {
      created.push(await users.create({ email, password: 'long enough' }));
      // Two users share each timestamp so the id tie-break is exercised.
      if (created.length % 2 === 0) clock.advance(10);
    }
  });
  afterAll(() => t.close());

  it('pages newest first with a cursor until the last page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await users.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(5);
      seen.push(...page.users.map((u) => u.email));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const expected = [...created].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map((u) => u.email);
    expect(seen).toEqual(expected);
  });

  it('pages by offset', async () => {
    const all = (await users.list({ limit: 5 })).users.map((u) => u.id);
    const page = await users.list({ limit: 2, offset: 2 });
    expect(page.users.map((u) => u.id)).toEqual(all.slice(2, 4));
  });

  it('searches emails by substring, treating _ and % literally', async () => {
    expect((await users.list({ q: 'A_B' })).users.map((u) => u.email)).toEqual(['a_b@list.io']);
    expect((await users.list({ q: '%' })).users).toEqual([]);
    const other = await users.list({ q: 'other' });
    expect([other.total, other.users.map((u) => u.email)]).toEqual([1, ['d@other.io']]);
  });

  it('rejects out-of-range limits, bad cursors and cursor with offset instead of clamping', async () => {
    await expect(users.list({ limit: 500 })).rejects.toMatchObject({ code: 'invalid_request', param: 'limit' });
    await expect(users.list({ limit: 0 })).rejects.toMatchObject({ param: 'limit' });
    await expect(users.list({ cursor: 'garbage' })).rejects.toMatchObject({ param: 'cursor' });
    await expect(users.list({ cursor: 'x', offset: 1 })).rejects.toMatchObject({ param: 'offset' });
    expect(await users.count()).toBe(5);
  });
});
