/**
 * createServices is what the server and the CLI share: it builds without reading the store, and every user
 * made through it, whoever makes them, gets a ledger account with the sign-up bonus.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createServices } from '../../../src/services.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { DIALECTS, openTestStore, type TestStore } from '../../support/store-fixture.js';

describe.each(DIALECTS)('createServices on %s', (dialect) => {
  let t: TestStore;
  let dataDir: string;

  beforeAll(async () => {
    t = await openTestStore(dialect, 'services');
    dataDir = mkdtempSync(path.join(tmpdir(), 'tokenhub-services-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const config = () => loadConfig({ TOKENHUB_DATA_DIR: dataDir, TOKENHUB_SECRET_KEY: 'cd'.repeat(32), TOKENHUB_SIGNUP_BONUS_USD: '2.5' });

  it('builds without loading the catalog or reading channels', async () => {
    const services = createServices(t.store, config(), { clock: new ManualClock() });
    expect(services.catalog.list()).toEqual([]);
    expect(services.store).toBe(t.store);
  });

  it('opens a ledger account with the sign-up bonus for every user it creates, once', async () => {
    const services = createServices(t.store, config(), { clock: new ManualClock() });
    const user = await services.users.create({ email: 'new@example.com', password: 'correct horse battery' });
    expect(await services.billing.getBalance(user.id)).toMatchObject({ balanceNanos: 2_500_000_000n, heldNanos: 0n });
    await services.billing.openAccount(user.id);
    expect((await services.billing.getBalance(user.id)).balanceNanos).toBe(2_500_000_000n);
    expect((await services.billing.reconcile(user.id)).ok).toBe(true);
  });
});
