/**
 * A deploy is not a crash: the real server process (src/main.ts under node --import tsx) on SIGTERM stops accepting, lets a stream
 * that ends in time finish, ends a longer one at the drain deadline with a final `shutting_down` event,
 * settles both holds, writes both request records and exits 0 — on SQLite and PostgreSQL. In process: /readyz
 * turns 503 at once while /healthz stays up, and new API requests are refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { openStore, dropPostgresSchema } from '../../src/store/db.js';
import { createBillingService } from '../../src/billing/billing-service.js';
import { systemClock } from '../../src/shared/clock.js';
import { dialects, TEST_POSTGRES_URL, uniqueSchemaName } from '../support/databases.js';
import { startStreamingUpstream, type StreamingUpstream } from '../support/streaming-upstream.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { freePort, waitForListening, within } from '../support/server-process.js';

const DRAIN_TIMEOUT_MS = 1500;

/** Resolves with the first-start API key once the server listens (piped stdout names the credentials file). */
async function waitForStart(child: ChildProcess): Promise<string> {
  const out = await waitForListening(child);
  const file = /(\S+first-start-credentials\.txt)/.exec(out)?.[1];
  const key = file ? /API key\s*:\s*(th-\S+)/.exec(readFileSync(file, 'utf8'))?.[1] : undefined;
  if (!key) throw new Error(`the server printed no first-start credentials file: ${out}`);
  return key;
}

const lastEvent = (text: string) => {
  const frames = text.split('\n\n').filter((frame) => frame.startsWith('data: '));
  return frames.at(-1)!.slice('data: '.length);
};

describe.each(dialects)('SIGTERM to the server process on %s', (dialect) => {
  let upstream: StreamingUpstream;
  let dataDir: string;
  let child: ChildProcess | undefined;
  const schema = dialect === 'postgres' ? uniqueSchemaName('drain') : undefined;

  beforeAll(async () => {
    upstream = await startStreamingUpstream({ chunkChars: 20, intervalMs: 20 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'tokenhub-drain-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await upstream?.close();
    if (schema) await dropPostgresSchema(TEST_POSTGRES_URL, schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets a short stream finish, ends a long one with a final error event, settles both and exits 0', async () => {
    const port = await freePort();
    // One process (tsx as a loader, not its CLI, which SIGKILLs a child slow to acknowledge a relayed signal).
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        HOST: '127.0.0.1',
        TOKENHUB_DATA_DIR: dataDir,
        TOKENHUB_LOG_LEVEL: 'info',
        TOKENHUB_DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
        DEEPSEEK_API_KEY: 'test-deepseek-key',
        DEEPSEEK_BASE_URL: upstream.baseUrl,
        ...(schema ? { TOKENHUB_DATABASE_URL: TEST_POSTGRES_URL, TOKENHUB_DATABASE_SCHEMA: schema } : {}),
      },
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const key = await within(waitForStart(child), 60_000, 'the server start');
    const base = `http://127.0.0.1:${port}/api/v1`;
    const open = (content: string) =>
      request(`${base}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content }], stream: true, max_tokens: 1000 }),
      });
    // Short: 25 chunks 20 ms apart end well inside the drain deadline. Long: never ends on its own.
    const short = await open('A short one [[chunks:25]]');
    const long = await open('A long one');
    expect([short.statusCode, long.statusCode]).toEqual([200, 200]);
    const shortText = short.body.text();
    const longText = long.body.text();
    await upstream.nextCall();
    await upstream.nextCall();

    child.kill('SIGTERM');
    // No new connections once draining started.
    const refused = await within(
      (async () => {
        for (;;) {
          const socket = net.connect(port, '127.0.0.1');
          const outcome = await new Promise<string>((resolve) => {
            socket.once('connect', () => resolve('accepted'));
            socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
          });
          socket.destroy();
          if (outcome === 'ECONNREFUSED') return true;
          await new Promise((resolve) => setImmediate(resolve));
        }
      })(),
      10_000,
      'refusing new connections',
    );
    expect(refused).toBe(true);

    expect(lastEvent(await within(shortText, 10_000, 'the short stream ending'))).toBe('[DONE]');
    const longLast = JSON.parse(lastEvent(await within(longText, 10_000 + DRAIN_TIMEOUT_MS, 'the long stream ending'))) as { error?: { code: string } };
    expect(longLast.error?.code).toBe('shutting_down');
    const [code, signal] = await within(exited, 20_000, 'the process exiting');
    expect({ code, signal }).toEqual({ code: 0, signal: null });

    // Both holds settled, both records written, the ledger adds up.
    const store = await openStore(schema ? { databaseUrl: TEST_POSTGRES_URL, schema } : { sqliteFile: path.join(dataDir, 'tokenhub.db') });
    try {
      const holds = await store.db.selectFrom('holds').select(['status', 'settled_nanos']).execute();
      expect(holds.map((h) => h.status)).toEqual(['settled', 'settled']);
      for (const hold of holds) expect(BigInt(hold.settled_nanos ?? 0n)).toBeGreaterThan(0n);
      const records = await store.db.selectFrom('request_logs').select(['error_code', 'status']).where('endpoint', 'like', '%chat%').execute();
      expect(records.map((r) => r.error_code).sort()).toEqual([null, 'shutting_down'].sort());
      expect((await createBillingService({ db: store.db, clock: systemClock }).reconcile()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('readiness while draining', () => {
  let t: TestGateway;
  let upstream: StreamingUpstream;
  beforeAll(async () => {
    upstream = await startStreamingUpstream({ chunkChars: 20, intervalMs: 20 });
    t = await startTestGateway({
      providers: ['deepseek'],
      config: { upstreams: [{ provider: 'deepseek', apiKey: 'test-deepseek-key', baseUrl: upstream.baseUrl }] },
    });
  });
  afterAll(async () => {
    await t?.close();
    await upstream?.close();
  });

  it('turns /readyz 503 at once, keeps /healthz up and refuses new API requests', async () => {
    expect((await t.gateway.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const running = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Keep going' }], stream: true }),
    });
    expect(running.statusCode).toBe(200);
    const runningText = running.body.text();
    await upstream.nextCall();

    const drained = t.gateway.drain(60_000);
    expect((await t.gateway.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    expect((await t.gateway.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const refused = await t.gateway.app.inject({
      method: 'POST',
      url: '/api/v1/chat/completions',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(refused.statusCode).toBe(503);
    expect((refused.json() as { error: { code: string } }).error.code).toBe('shutting_down');

    // The running stream goes on during the drain; ending it from outside lets the drain finish.
    expect(t.gateway.live.size).toBe(1);
    t.gateway.live.stopAll(new (await import('../../src/shared/errors.js')).GatewayError('shutting_down'));
    expect(JSON.parse(lastEvent(await runningText)).error.code).toBe('shutting_down');
    await within(drained, 10_000, 'the drain finishing');
  });
});
