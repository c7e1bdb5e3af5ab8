/**
 * The real gateway (createGateway) with the media routes and jobs mounted, every mock upstream, a ManualClock
 * shared by the gateway, the jobs and the mock task control (Kling verifies its JWTs on that clock), and two
 * users with credit. A "setup" outlives one gateway so a test can stop it and start another on the same store,
 * upstreams and users (a restart).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import OpenAI from 'openai';
import { request } from 'undici';
import { loadConfig } from '../../src/config.js';
import { providers } from '../../src/catalog/providers.js';
import { usdToNanos } from '../../src/billing/money.js';
import { createGateway, type Gateway } from '../../src/services.js';
import { dropPostgresSchema } from '../../src/store/db.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { MediaJobs } from '../../src/jobs/media-jobs.js';
import type { MediaJobsOptions } from '../../src/jobs/media-jobs-options.js';
import {
  createAllMockProviders,
  createMockTaskControl,
  klingMockCredentials,
  startMockUpstreams,
  type MockProvider,
  type MockTaskControl,
  type MockUpstreams,
} from '../../src/mock-upstreams/index.js';
import { TEST_POSTGRES_URL, uniqueSchemaName, type Dialect } from './databases.js';

export interface MediaTestUser {
  userId: string;
  apiKey: string;
  /** Dashboard login (password: MEDIA_TEST_PASSWORD). */
  email: string;
}

export const MEDIA_TEST_PASSWORD = 'correct horse battery';

export interface MediaTestSetup {
  dialect: Dialect;
  clock: ManualClock;
  tasks: MockTaskControl;
  upstreams: MockUpstreams;
  dataDir: string;
  schema: string | undefined;
  /** Filled by the first gateway start. */
  users: { owner: MediaTestUser; other: MediaTestUser } | undefined;
  /** Closes the upstreams, drops the schema, removes the data directory. */
  dispose(): Promise<void>;
}

/** `overrides` replaces mocks by provider id, e.g. an Ark mock built with options. */
export async function createMediaTestSetup(
  dialect: Dialect,
  overrides: (tasks: MockTaskControl) => Record<string, MockProvider> = () => ({}),
): Promise<MediaTestSetup> {
  const clock = new ManualClock();
  const tasks = createMockTaskControl({ now: () => clock.now() });
  const upstreams = await startMockUpstreams({ providers: { ...createAllMockProviders(tasks), ...overrides(tasks) } });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tokenhub-media-'));
  const schema = dialect === 'postgres' ? uniqueSchemaName('media') : undefined;
  return {
    dialect,
    clock,
    tasks,
    upstreams,
    dataDir,
    schema,
    users: undefined,
    async dispose() {
      await upstreams.close();
      if (schema) await dropPostgresSchema(TEST_POSTGRES_URL, schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface MediaTestGateway {
  setup: MediaTestSetup;
  gateway: Gateway;
  media: MediaJobs;
  clock: ManualClock;
  tasks: MockTaskControl;
  upstreams: MockUpstreams;
  url: string;
  baseURL: string;
  owner: MediaTestUser;
  other: MediaTestUser;
  client(apiKey?: string): OpenAI;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field in assertions
  http(method: 'GET' | 'POST', path: string, body?: unknown, apiKey?: string): Promise<{ status: number; body: any }>;
  /** Closes this gateway only: store, upstreams and users stay for the next one. */
  stop(): Promise<void>;
}

export interface StartMediaGatewayOptions {
  media?: Partial<MediaJobsOptions>;
  ownerId?: string;
  creditUsd?: string;
}

export async function startMediaGateway(setup: MediaTestSetup, options: StartMediaGatewayOptions = {}): Promise<MediaTestGateway> {
  const upstreamSeeds = providers.map((p) =>
    p.credentials === 'access-secret'
      ? { provider: p.id, apiKey: klingMockCredentials.accessKey, secretKey: klingMockCredentials.secretKey, baseUrl: setup.upstreams.baseUrlFor(p.id) }
      : { provider: p.id, apiKey: `test-${p.id}-key`, baseUrl: setup.upstreams.baseUrlFor(p.id) },
  );
  const config = loadConfig(
    {},
    {
      dataDir: setup.dataDir,
      logLevel: 'silent',
      adminToken: 'admin-media-test-0123456789abcdefghij',
      upstreams: upstreamSeeds,
      requestLog: { flushIntervalMs: 50, maxBatch: 500 },
      ...(setup.schema ? { databaseUrl: TEST_POSTGRES_URL, databaseSchema: setup.schema } : {}),
    },
  );
  const logger = pino({ level: 'silent' });
  const gateway = await createGateway(config, {
    clock: setup.clock,
    logger,
    allowPrivateImageUrls: true,
    defaultMetrics: false,
    media: {
      options: { allowPrivateAddresses: true, callbackBaseDelayMs: 1_000, ...options.media },
      ownerId: options.ownerId ?? `test-${Math.random().toString(36).slice(2, 8)}`,
      random: () => 0.5,
      start: false,
    },
  });
  const media = gateway.media;
  await gateway.app.listen({ port: 0, host: '127.0.0.1' });
  const address = gateway.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;

  if (setup.users === undefined) {
    const credit = usdToNanos(options.creditUsd ?? '100');
    const makeUser = async (label: string): Promise<MediaTestUser> => {
      const user = await gateway.users.create({ email: `${label}-${Math.random().toString(36).slice(2)}@example.com`, password: MEDIA_TEST_PASSWORD });
      const { plaintext } = await gateway.apiKeys.create(user.id, { name: label });
      const granted = await gateway.billing.grant({ userId: user.id, amountNanos: credit, reason: 'test credit', actor: 'test' });
      if (!granted.ok) throw granted.error;
      return { userId: user.id, apiKey: plaintext, email: user.email };
    };
    setup.users = { owner: await makeUser('owner'), other: await makeUser('other') };
  }
  const { owner, other } = setup.users;
  const baseURL = `${url}/api/v1`;
  return {
    setup,
    gateway,
    media,
    clock: setup.clock,
    tasks: setup.tasks,
    upstreams: setup.upstreams,
    url,
    baseURL,
    owner,
    other,
    client: (apiKey = owner.apiKey) => new OpenAI({ apiKey, baseURL, maxRetries: 0 }),
    async http(method, urlPath, body, apiKey = owner.apiKey) {
      const response = await request(`${url}${urlPath}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.body.text();
      return { status: response.statusCode, body: text.length > 0 ? JSON.parse(text) : undefined };
    },
    async stop() {
      // Keep-alive sockets of the test's own HTTP client would otherwise hold the close until their timeout.
      gateway.app.server.closeAllConnections();
      await gateway.close();
    },
  };
}
