/**
 * A revocation this instance never hears about (made by the CLI, or by another instance without Redis) takes
 * effect once the cached lookup ages out: within 10 s by default, not a minute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyService, DEFAULT_KEY_CACHE_TTL_MS } from '../../../src/accounts/api-keys.js';
import { createUserService } from '../../../src/accounts/users.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { DIALECTS, openTestStore, type TestStore } from '../../support/store-fixture.js';

describe.each(DIALECTS)('revocation bound on %s', (dialect) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(dialect, 'revbound');
  });
  afterAll(() => t.close());

  it('refuses a key revoked elsewhere within 10 s of the revocation, with the default cache', async () => {
    expect(DEFAULT_KEY_CACHE_TTL_MS).toBeLessThanOrEqual(10_000);
    const clock = new ManualClock();
    const users = createUserService(t.store.db, clock);
    const gateway = createApiKeyService(t.store.db, clock, { users });
    const cli = createApiKeyService(t.store.db, clock);
    const user = await users.create({ email: 'rev@bound.io', password: 'long enough' });
    const { key, plaintext } = await gateway.create(user.id, { name: 'k' });
    await gateway.authenticate(plaintext);

    await cli.revoke(user.id, key.id);
    clock.advance(10_000);
    await expect(gateway.authenticate(plaintext)).rejects.toMatchObject({ code: 'key_disabled' });
  });

  it('refuses a key whose user was disabled elsewhere within 10 s', async () => {
    const clock = new ManualClock();
    const users = createUserService(t.store.db, clock);
    const gateway = createApiKeyService(t.store.db, clock, { users });
    const user = await users.create({ email: 'dis@bound.io', password: 'long enough' });
    const { plaintext } = await gateway.create(user.id, { name: 'k' });
    await gateway.authenticate(plaintext);

    // Another process's user service: this instance's cache is not told.
    await createUserService(t.store.db, clock).setStatus(user.id, 'disabled');
    clock.advance(10_000);
    await expect(gateway.authenticate(plaintext)).rejects.toMatchObject({ code: 'user_disabled' });
  });
});
