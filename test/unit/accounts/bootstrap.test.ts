import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyService } from '../../../src/accounts/api-keys.js';
import { BOOTSTRAP_META_KEY, bootstrapFirstStart } from '../../../src/accounts/bootstrap.js';
import { createUserService } from '../../../src/accounts/users.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { openStore, type Store } from '../../../src/store/db.js';
import { DIALECTS, POSTGRES_URL, openTestStore, type TestStore } from '../../support/store-fixture.js';

function bootstrapOn(store: Store, adminEmail = 'Admin@TokenHub.local') {
  const clock = new ManualClock();
  const users = createUserService(store.db, clock);
  const apiKeys = createApiKeyService(store.db, clock);
  return { users, apiKeys, run: () => bootstrapFirstStart({ db: store.db, users, apiKeys, adminEmail }) };
}

describe.each(DIALECTS)('first-start bootstrap on %s', (dialect) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(dialect, 'boot');
  });
  afterAll(() => t.close());

  it('creates the admin and a default key once, then returns nothing', async () => {
    const { users, apiKeys, run } = bootstrapOn(t.store);
    const first = await run();
    expect(first?.email).toBe('admin@tokenhub.local');
    expect(first?.password).toMatch(/^[0-9A-Za-z]{20}$/);
    expect(first?.apiKey).toMatch(/^th-[0-9A-Za-z]{40}$/);

    const login = await users.verifyCredentials('admin@tokenhub.local', first?.password ?? '');
    expect(login.ok && login.user.role).toBe('admin');
    const auth = await apiKeys.authenticate(first?.apiKey ?? '');
    expect(auth.role).toBe('admin');
    expect((await apiKeys.list(auth.userId)).map((k) => k.name)).toEqual(['default']);

    expect(await run()).toBeUndefined();
    expect(await bootstrapOn(t.store, 'other@tokenhub.local').run()).toBeUndefined();
    expect(await users.count()).toBe(1);
    const meta = await t.store.db.selectFrom('meta').selectAll().where('key', '=', BOOTSTRAP_META_KEY).executeTakeFirstOrThrow();
    expect(JSON.parse(meta.value)).toEqual({ adminEmail: 'admin@tokenhub.local', userId: auth.userId });
  });
});

describe.each(DIALECTS)('bootstrap edge cases on %s', (dialect) => {
  it('does nothing on a store that already has users', async () => {
    const t = await openTestStore(dialect, 'bootusers');
    try {
      const { users, run } = bootstrapOn(t.store);
      await users.create({ email: 'early@cli.io', password: 'long enough', role: 'admin' });
      expect(await run()).toBeUndefined();
      expect(await users.count()).toBe(1);
      await users.create({ email: 'second@cli.io', password: 'long enough' });
      expect(await run()).toBeUndefined();
      expect(await users.getByEmail('admin@tokenhub.local')).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('gives the lock back when creating the admin fails, so the next start retries', async () => {
    const t = await openTestStore(dialect, 'bootfail');
    try {
      const { users, apiKeys } = bootstrapOn(t.store);
      await expect(bootstrapFirstStart({ db: t.store.db, users, apiKeys, adminEmail: 'not an email' })).rejects.toMatchObject({ param: 'email' });
      const retry = await bootstrapFirstStart({ db: t.store.db, users, apiKeys, adminEmail: 'fixed@tokenhub.local' });
      expect(retry?.email).toBe('fixed@tokenhub.local');
    } finally {
      await t.close();
    }
  });
});

describe('bootstrap racing on PostgreSQL', () => {
  it('two processes starting together create exactly one admin', async () => {
    const t = await openTestStore('postgres', 'bootrace');
    // A second pool on the same schema stands in for a second process.
    const other = await openStore({ databaseUrl: POSTGRES_URL, schema: t.schema });
    try {
      const results = await Promise.all([bootstrapOn(t.store).run(), bootstrapOn(other).run(), bootstrapOn(other).run()]);
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      expect(await bootstrapOn(t.store).users.count()).toBe(1);
      const keyCount = await t.store.db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(keyCount.n)).toBe(1);
    } finally {
      await other.close();
      await t.close();
    }
  });
});
