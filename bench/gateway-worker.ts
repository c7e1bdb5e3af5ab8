/**
 * Benchmark worker process: a full gateway (fresh SQLite data dir, silent logs, no Node process metrics) with
 * one `openai` channel pointing at the mock upstream whose base URL is argv[2], and the bootstrap admin's
 * first API key funded. Run by gateway-overhead.ts through forkBenchWorker, not by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { usdToNanos } from '../src/billing/money.js';
import { loadConfig } from '../src/config.js';
import { createGateway, type Gateway } from '../src/services.js';
import { serveBenchWorker } from './serve-bench-worker.js';

const BENCH_CREDIT_USD = '1000000';

serveBenchWorker(async () => {
  const upstreamBaseUrl = process.argv[2];
  if (!upstreamBaseUrl) throw new Error('usage: gateway-worker.ts <mock upstream base URL>');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tokenhub-bench-'));
  const config = loadConfig(
    {},
    { dataDir, host: '127.0.0.1', logLevel: 'silent', upstreams: [{ provider: 'openai', apiKey: 'bench-key', baseUrl: upstreamBaseUrl }] },
  );
  const gateway = await createGateway(config, { logger: pino({ level: 'silent' }), defaultMetrics: false });
  const apiKey = gateway.firstStart?.apiKey;
  if (!apiKey) throw new Error(`expected a fresh store in ${dataDir}`);
  await grantGatewayBenchCredit(gateway);
  await gateway.app.listen({ port: 0, host: '127.0.0.1' });
  const address = gateway.app.server.address();
  if (!address || typeof address === 'string') throw new Error('gateway has no TCP address');
  return {
    info: { origin: `http://127.0.0.1:${address.port}`, apiKey },
    close: async () => {
      await gateway.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

/** Gives the bootstrap admin enough credit for every benchmark request. */
async function grantGatewayBenchCredit(gateway: Gateway): Promise<void> {
  const admin = (await gateway.users.list({ limit: 1 })).users[0];
  if (!admin) throw new Error('no bootstrap admin');
  const granted = await gateway.billing.grant({ userId: admin.id, amountNanos: usdToNanos(BENCH_CREDIT_USD), reason: 'benchmark credit', actor: 'bench' });
  if (!granted.ok) throw granted.error;
}
