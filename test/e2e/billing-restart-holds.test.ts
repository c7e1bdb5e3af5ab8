/**
 * Holds left open by a process that died come back quickly: on SQLite (one process writes the store) a
 * restart releases every open request hold at once, since none can belong to a live request; on PostgreSQL an
 * instance with a configured id releases the request holds it placed under that id in its previous life, and
 * no other instance's. Video job holds stay with their jobs. And the reaper runs often enough for the
 * configured hold TTL, not once a minute.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { holdReaperIntervalMs } from '../../src/billing/hold-reaper.js';
import { usdToNanos } from '../../src/billing/money.js';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/services.js';
import { dropPostgresSchema } from '../../src/store/db.js';
import { dialects, TEST_POSTGRES_URL, uniqueSchemaName } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { createMediaTestSetup, startMediaGateway, type MediaTestGateway, type MediaTestSetup } from '../support/media-test-gateway.js';

describe('the hold reaper interval', () => {
  it('is a quarter of the hold TTL, between one second and one minute', () => {
    expect(holdReaperIntervalMs(5_000)).toBe(1_250);
    expect(holdReaperIntervalMs(600_000)).toBe(60_000);
    expect(holdReaperIntervalMs(3 * 3600_000)).toBe(60_000);
    expect(holdReaperIntervalMs(1_000)).toBe(1_000);
    expect(holdReaperIntervalMs(40_000)).toBe(10_000);
  });
});

describe('a restart on SQLite', () => {
  let setup: MediaTestSetup;
  let t: MediaTestGateway | undefined;

  beforeAll(async () => {
    setup = await createMediaTestSetup('sqlite');
  });
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });
  afterAll(async () => {
    await setup?.dispose();
  });

  it('releases the request holds the dead process left open and keeps video job holds', async () => {
    t = await startMediaGateway(setup, { ownerId: 'before-crash' });
    const { userId } = t.owner;
    const before = await t.gateway.billing.getBalance(userId);
    const stranded = await t.gateway.billing.reserve({ userId, requestId: 'gen-in-flight', amountNanos: usdToNanos('0.5') });
    if (!stranded.ok) throw stranded.error;
    const video = await t.http('POST', '/api/v1/videos/generations', { model: 'bytedance/doubao-seedance-1.0-pro', prompt: 'A lighthouse', duration: 5, resolution: '720p' });
    expect(video.status).toBe(200);
    const videoHeld = (await t.gateway.billing.getBalance(userId)).heldNanos - before.heldNanos - usdToNanos('0.5');
    expect(videoHeld).toBeGreaterThan(0n);
    // The process dies: nothing settles or releases the request hold, and the clock does not reach its expiry.
    await t.stop();

    t = await startMediaGateway(setup, { ownerId: 'after-restart' });
    const after = await t.gateway.billing.getBalance(userId);
    expect(after.heldNanos).toBe(before.heldNanos + videoHeld);
    const hold = await t.gateway.store.db.selectFrom('holds').select('status').where('id', '=', stranded.holdId).executeTakeFirstOrThrow();
    expect(hold.status).not.toBe('open');
    const job = await t.gateway.store.db.selectFrom('video_jobs').select(['billing_state', 'hold_id']).where('id', '=', video.body.id).executeTakeFirstOrThrow();
    expect(job.billing_state).toBe('held');
    const jobHold = await t.gateway.store.db.selectFrom('holds').select('status').where('id', '=', job.hold_id!).executeTakeFirstOrThrow();
    expect(jobHold.status).toBe('open');
    expect((await t.gateway.billing.reconcile(userId)).ok).toBe(true);
  });
});

describe.each(dialects)('expired holds with a short TTL on %s', (dialect) => {
  let t: TestGateway;

  // Generous hook bounds: a busy machine can take a while to start and stop a gateway on PostgreSQL.
  beforeAll(async () => {
    t = await startTestGateway({ dialect, providers: ['deepseek'], config: { billing: { adminInitialCreditUsd: '100', holdTtlMs: 1_000 } } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it('come back within a few seconds, not after the next one-minute reaper pass', async () => {
    const reserved = await t.gateway.billing.reserve({ userId: t.userId, requestId: 'gen-crashed', amountNanos: usdToNanos('0.25') });
    if (!reserved.ok) throw reserved.error;
    // Polls observable state; 15 s is a loose bound far below a one-minute pass and the test timeout.
    const deadline = Date.now() + 15_000;
    let status = 'open';
    while (status === 'open' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await t.gateway.store.db.selectFrom('holds').select('status').where('id', '=', reserved.holdId).executeTakeFirstOrThrow()).status;
    }
    expect(status).toBe('expired');
    expect((await t.gateway.billing.getBalance(t.userId)).heldNanos).toBe(0n);
  }, 30_000);
});

describe('a restart on PostgreSQL, where several instances share the store', () => {
  const schema = uniqueSchemaName('restart');
  const secret = randomBytes(32).toString('hex');
  const dirs: string[] = [];
  const running: Gateway[] = [];

  async function start(instanceId: string | undefined): Promise<Gateway> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tokenhub-restart-'));
    dirs.push(dataDir);
    const config = loadConfig(
      {},
      { dataDir, logLevel: 'silent', databaseUrl: TEST_POSTGRES_URL, databaseSchema: schema, secretKey: secret, upstreams: [], ...(instanceId ? { instanceId } : {}) },
    );
    const gateway = await createGateway(config, { logger: pino({ level: 'silent' }), defaultMetrics: false });
    running.push(gateway);
    return gateway;
  }

  afterAll(async () => {
    for (const gateway of running) await gateway.close().catch(() => undefined);
    await dropPostgresSchema(TEST_POSTGRES_URL, schema);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const holdStatus = async (gateway: Gateway, holdId: string) =>
    (await gateway.store.db.selectFrom('holds').select(['status', 'owner_instance']).where('id', '=', holdId).executeTakeFirstOrThrow());

  it('releases only the open request holds of the instance that restarted, by its instance id', async () => {
    const a = await start('gw-a');
    const b = await start('gw-b');
    const user = await a.users.create({ email: `restart-${randomBytes(4).toString('hex')}@example.com`, password: 'correct horse battery' });
    await a.billing.grant({ userId: user.id, amountNanos: usdToNanos('10'), reason: 'test', actor: 'test' });
    const heldByA = await a.billing.reserve({ userId: user.id, requestId: 'gen-on-a', amountNanos: usdToNanos('1') });
    const heldByB = await b.billing.reserve({ userId: user.id, requestId: 'gen-on-b', amountNanos: usdToNanos('2') });
    if (!heldByA.ok || !heldByB.ok) throw new Error('reserve refused');
    expect(await holdStatus(a, heldByA.holdId)).toEqual({ status: 'open', owner_instance: 'gw-a' });

    // Instance a dies and comes back under the same id; b keeps serving its request.
    await a.close();
    const unnamed = await start(undefined);
    expect((await holdStatus(unnamed, heldByA.holdId)).status).toBe('open');
    const a2 = await start('gw-a');
    expect((await holdStatus(a2, heldByA.holdId)).status).toBe('released');
    expect((await holdStatus(a2, heldByB.holdId)).status).toBe('open');
    expect((await a2.billing.getBalance(user.id)).heldNanos).toBe(usdToNanos('2'));
    expect((await a2.billing.reconcile(user.id)).ok).toBe(true);
  }, 60_000);
});
