/**
 * Gateway overhead benchmark: the same chat requests sent straight to a mock upstream and through the
 * gateway (auth, routing, translation, billing hold and settle, request record), non-stream and stream, at a
 * fixed concurrency. Prints a Markdown table. Run: `npm run bench` (env BENCH_REQUESTS, BENCH_CONCURRENCY).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { Agent, request } from 'undici';
import { loadConfig } from '../src/config.js';
import { createGateway, type Gateway } from '../src/services.js';
import { usdToNanos } from '../src/billing/money.js';
import { createOpenAICompatibleMock, startMockUpstreams } from '../src/mock-upstreams/index.js';

const total = Number(process.env.BENCH_REQUESTS ?? 3000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const warmup = Math.min(300, Math.floor(total / 10));

interface Result {
  label: string;
  rps: number;
  p50: number;
  p99: number;
}

async function run(label: string, url: string, headers: Record<string, string>, body: string): Promise<Result> {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  const one = async () => {
    const started = performance.now();
    const res = await request(url, { method: 'POST', headers, body, dispatcher: agent });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${label}: status ${res.statusCode}`);
    return performance.now() - started;
  };
  for (let i = 0; i < warmup; i++) await one();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        latencies.push(await one());
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { label, rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

async function main(): Promise<void> {
  const upstreams = await startMockUpstreams({ providers: { openai: createOpenAICompatibleMock('openai') } });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tokenhub-bench-'));
  const config = loadConfig({}, { dataDir, logLevel: 'silent', upstreams: [{ provider: 'openai', apiKey: 'bench-key', baseUrl: upstreams.baseUrlFor('openai') }] });
  const gateway = await createGateway(config, { logger: pino({ level: 'silent' }) });
  await gateway.app.listen({ port: 0, host: '127.0.0.1' });
  const address = gateway.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const key = gateway.firstStart?.apiKey;
  if (!key) throw new Error('expected a fresh store');
  await grantBenchCredit(gateway);

  const messages = [{ role: 'user', content: 'Say hello in one short sentence.' }];
  const direct = `${upstreams.baseUrlFor('openai')}/chat/completions`;
  const through = `http://127.0.0.1:${address.port}/api/v1/chat/completions`;
  const json = { 'content-type': 'application/json' };
  const results: Result[] = [];
  for (const stream of [false, true]) {
    const kind = stream ? 'stream' : 'non-stream';
    const upstreamBody = JSON.stringify({ model: 'gpt-4.1', messages, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) });
    const gatewayBody = JSON.stringify({ model: 'openai/gpt-4.1', messages, stream });
    results.push(await run(`direct to mock, ${kind}`, direct, { ...json, authorization: 'Bearer bench-key' }, upstreamBody));
    results.push(await run(`through gateway, ${kind}`, through, { ...json, authorization: `Bearer ${key}` }, gatewayBody));
  }

  const lines = [
    `${total} requests per row, concurrency ${concurrency}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| path | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (let i = 0; i < results.length; i += 2) {
    const d = results[i]!;
    const g = results[i + 1]!;
    lines.push(`| ${d.label} | ${d.rps.toFixed(0)} | ${d.p50.toFixed(2)} | ${d.p99.toFixed(2)} | | |`);
    lines.push(`| ${g.label} | ${g.rps.toFixed(0)} | ${g.p50.toFixed(2)} | ${g.p99.toFixed(2)} | ${(g.p50 - d.p50).toFixed(2)} | ${(g.p99 - d.p99).toFixed(2)} |`);
  }
  console.log(lines.join('\n'));
  await gateway.close();
  await upstreams.close();
  rmSync(dataDir, { recursive: true, force: true });
}

/** Gives the bench admin enough credit for every request. */
async function grantBenchCredit(gateway: Gateway): Promise<void> {
  const admin = (await gateway.users.list({ limit: 1 })).users[0];
  if (!admin) throw new Error('no admin');
  const granted = await gateway.billing.grant({ userId: admin.id, amountNanos: usdToNanos('1000000'), reason: 'benchmark credit', actor: 'bench' });
  if (!granted.ok) throw granted.error;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
