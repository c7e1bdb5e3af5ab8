/**
 * Two gateway instances on one PostgreSQL schema and one Redis: a change made through one takes effect on the
 * other at once, because in-memory caches are invalidated over Redis pub/sub.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createOpenAICompatibleMock, startMockUpstreams, type MockUpstreams } from '../../src/mock-upstreams/index.js';
import { createGateway, type Gateway } from '../../src/services.js';
import type { ClusterEvent } from '../../src/shared/cluster-events.js';
import { dropPostgresSchema } from '../../src/store/db.js';
import { TEST_POSTGRES_URL, uniqueSchemaName } from '../support/databases.js';

const chat = { model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Hi' }] };

describe('two instances sharing PostgreSQL and Redis', () => {
  let upstreams: MockUpstreams;
  let a: Gateway;
  let b: Gateway;
  const schema = uniqueSchemaName('multi');
  const dirs: string[] = [];

  const start = async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tokenhub-multi-'));
    dirs.push(dataDir);
    const config = loadConfig(
      {},
      {
        dataDir,
        logLevel: 'silent',
        databaseUrl: TEST_POSTGRES_URL,
        databaseSchema: schema,
        redisUrl: 'redis://127.0.0.1:6379',
        secretKey: secret,
        upstreams: [{ provider: 'deepseek', apiKey: 'k', baseUrl: upstreams.baseUrlFor('deepseek') }],
      },
    );
    return createGateway(config, { logger: pino({ level: 'silent' }), defaultMetrics: false });
  };
  const secret = randomBytes(32).toString('hex');

  const nextEvent = (gateway: Gateway, kind: ClusterEvent['kind']) =>
    new Promise<void>((resolve) => {
      const stop = gateway.events.subscribe((event) => {
        if (event.kind !== kind) return;
        stop();
        resolve();
      });
    });

  beforeAll(async () => {
    upstreams = await startMockUpstreams({ providers: { deepseek: createOpenAICompatibleMock('deepseek') } });
    a = await start();
    b = await start();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await upstreams?.close();
    await dropPostgresSchema(TEST_POSTGRES_URL, schema);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('bootstraps the admin once', async () => {
    expect(a.firstStart).toBeDefined();
    expect(b.firstStart).toBeUndefined();
  });

  it('a key revoked through one instance is refused by the other at once', async () => {
    const user = await a.users.create({ email: 'multi@example.com', password: 'long enough password' });
    await a.billing.grant({ userId: user.id, amountNanos: 10_000_000_000n, reason: 'test credit', actor: 'test' });
    const { key, plaintext } = await a.apiKeys.create(user.id, { name: 'shared' });
    const call = (g: Gateway) =>
      g.app.inject({ method: 'POST', url: '/api/v1/chat/completions', headers: { authorization: `Bearer ${plaintext}` }, payload: chat });
    expect((await call(b)).statusCode).toBe(200);

    const delivered = nextEvent(b, 'api-key');
    await a.apiKeys.revoke(user.id, key.id);
    await delivered;
    const refused = await call(b);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('key_disabled');
  });

  it('a channel disabled through one instance stops routing on the other', async () => {
    const admin = a.firstStart!;
    const [channel] = await a.channels.list();
    const delivered = nextEvent(b, 'channels');
    await a.channels.update(channel!.id, { enabled: false });
    await delivered;
    await b.events.ready();
    const res = await b.app.inject({ method: 'POST', url: '/api/v1/chat/completions', headers: { authorization: `Bearer ${admin.apiKey}` }, payload: chat });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('model_not_found');
  });

  it('a price multiplier set through one instance prices calls on the other at once', async () => {
    const model = 'deepseek/deepseek-chat';
    expect((await b.billing.multiplierFor('default', model)).text).toBe('1');
    const delivered = nextEvent(b, 'multipliers');
    await a.billing.setModelMultiplier({ groupId: '*', modelId: model, multiplier: '1.75' });
    await delivered;
    await b.events.ready();
    expect(await b.billing.multiplierFor('default', model)).toMatchObject({ text: '1.75', source: 'model_all_groups' });
  });
});
