/**
 * Starts the real gateway (createGateway → listen on 127.0.0.1:0) wired to every mock upstream, on SQLite or
 * PostgreSQL, with an admin (from first-start bootstrap) and an ordinary user with an API key.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import OpenAI from 'openai';
import { loadConfig, type Config } from '../../src/config.js';
import { providers } from '../../src/catalog/providers.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/services.js';
import { dropPostgresSchema } from '../../src/store/db.js';
import { usdToNanos } from '../../src/billing/money.js';
import { klingMockCredentials, startDemoUpstreams, createMockTaskControl, type DemoUpstreams, type MockTaskControl } from '../../src/mock-upstreams/index.js';
import { TEST_POSTGRES_URL, uniqueSchemaName, type Dialect } from './databases.js';

export interface TestGateway {
  gateway: Gateway;
  upstreams: DemoUpstreams;
  tasks: MockTaskControl;
  /** Origin, e.g. http://127.0.0.1:41234 */
  url: string;
  /** `${url}/api/v1` */
  baseURL: string;
  adminToken: string;
  /** The bootstrap admin's API key. */
  adminKey: string;
  userId: string;
  /** An ordinary user's API key. */
  apiKey: string;
  client(apiKey?: string, options?: Partial<ConstructorParameters<typeof OpenAI>[0]>): OpenAI;
  close(): Promise<void>;
}

export interface TestGatewayOptions extends GatewayOptions {
  dialect?: Dialect;
  config?: Partial<Config>;
  /** Providers to give a channel (default: all). */
  providers?: string[];
  /** Video tasks advance only when the test says (default) or on their own. */
  autoAdvanceTasks?: boolean;
  /** Credit granted to the ordinary user and the admin (decimal USD); default "100". */
  creditUsd?: string;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const dialect = options.dialect ?? 'sqlite';
  const tasks = createMockTaskControl({ autoAdvance: options.autoAdvanceTasks ?? false });
  const upstreams = await startDemoUpstreams({ tasks });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tokenhub-test-'));
  const schema = dialect === 'postgres' ? uniqueSchemaName('e2e') : undefined;
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  const wanted = new Set(options.providers ?? providers.map((p) => p.id));
  const upstreamSeeds = providers
    .filter((p) => wanted.has(p.id))
    .map((p) =>
      p.credentials === 'access-secret'
        ? { provider: p.id, apiKey: klingMockCredentials.accessKey, secretKey: klingMockCredentials.secretKey, baseUrl: upstreams.baseUrlFor(p.id) }
        : { provider: p.id, apiKey: `test-${p.id}-key`, baseUrl: upstreams.baseUrlFor(p.id) },
    );
  const config = loadConfig(
    {},
    {
      dataDir,
      logLevel: 'silent',
      adminToken,
      upstreams: upstreamSeeds,
      requestLog: { flushIntervalMs: 50, maxBatch: 500 },
      ...(schema ? { databaseUrl: TEST_POSTGRES_URL, databaseSchema: schema } : {}),
      ...options.config,
    },
  );
  let gateway: Gateway;
  try {
    gateway = await createGateway(config, { logger: pino({ level: 'silent' }), allowPrivateImageUrls: true, defaultMetrics: false, ...options });
  } catch (error) {
    await upstreams.close();
    if (schema) await dropPostgresSchema(TEST_POSTGRES_URL, schema);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  await gateway.app.listen({ port: 0, host: '127.0.0.1' });
  const address = gateway.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  if (!gateway.firstStart) throw new Error('expected first-start credentials');

  const user = await gateway.users.create({ email: `user-${Math.random().toString(36).slice(2)}@example.com`, password: 'correct horse battery' });
  const { plaintext } = await gateway.apiKeys.create(user.id, { name: 'test' });
  const credit = usdToNanos(options.creditUsd ?? '100');
  if (credit > 0n) {
    for (const userId of [user.id, (await gateway.users.getByEmail(config.adminEmail))!.id]) {
      const granted = await gateway.billing.grant({ userId, amountNanos: credit, reason: 'test credit', actor: 'test' });
      if (!granted.ok) throw granted.error;
    }
  }

  const baseURL = `${url}/api/v1`;
  return {
    gateway,
    upstreams,
    tasks,
    url,
    baseURL,
    adminToken,
    adminKey: gateway.firstStart.apiKey,
    userId: user.id,
    apiKey: plaintext,
    client: (apiKey = plaintext, clientOptions = {}) => new OpenAI({ apiKey, baseURL, maxRetries: 0, ...clientOptions }),
    async close() {
      await gateway.close();
      await upstreams.close();
      if (schema) await dropPostgresSchema(TEST_POSTGRES_URL, schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
