/**
 * Gateway overhead benchmark: the same chat request sent straight to the mock upstream and through the gateway
 * (auth, routing, translation, billing hold and settle, request record), non-stream and stream, sequentially
 * and at a fixed concurrency. The mock and the gateway each run in their own process and the load client runs
 * here, so no two of them share an event loop. Everything listens on 127.0.0.1; the run stops by itself.
 *
 * Run: `npm run bench` (env BENCH_REQUESTS, BENCH_CONCURRENCY, BENCH_WARMUP, BENCH_CPU_PROF_DIR).
 */
import { cpus, loadavg } from 'node:os';
import { forkBenchWorker, type BenchWorker } from './fork-bench-worker.js';
import { formatBenchMegabytes, formatBenchTable, type BenchRow } from './format-bench-report.js';
import { readBenchOptions, type BenchOptions } from './read-bench-options.js';
import { runBenchLoad, type BenchTarget } from './run-bench-load.js';

const MODEL = 'gpt-4.1';
const messages = [{ role: 'user', content: 'Say hello in one short sentence.' }];

interface BenchServers {
  mock: BenchWorker;
  gateway: BenchWorker;
}

async function runGatewayOverheadBench(): Promise<void> {
  const options = readBenchOptions(process.env);
  const loadBefore = formatLoadAverage();
  const started = new Date();
  const mock = await forkBenchWorker('mock-upstream-worker.ts');
  let gateway: BenchWorker | undefined;
  try {
    const nodeFlags = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
    gateway = await forkBenchWorker('gateway-worker.ts', { args: [requireInfo(mock, 'baseUrl')], nodeFlags });
    const rssAtStart = (await gateway.readStats()).rssBytes;
    const rows = await runBenchRows({ mock, gateway }, options);
    const rssAtEnd = (await gateway.readStats()).rssBytes;
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(`Node ${process.version} · ${cpu} · ${cpus().length} cores · ${started.toISOString()}`);
    console.log('');
    console.log(
      `${options.requests} measured requests per row after ${options.warmup} warm-up; mock, gateway (SQLite) and load client in ` +
        `separate processes; load average ${loadBefore} before, ${formatLoadAverage()} after.`,
    );
    console.log('');
    console.log(formatBenchTable(rows));
    console.log('');
    console.log(`Gateway RSS: ${formatBenchMegabytes(rssAtStart)} after start-up, ${formatBenchMegabytes(rssAtEnd)} after the run.`);
    console.log('Server CPU is the process the client talks to (the mock for direct rows, the gateway for gateway rows).');
  } finally {
    await gateway?.stop();
    await mock.stop();
  }
}

async function runBenchRows(servers: BenchServers, options: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const mode of ['non-stream', 'stream'] as const) {
    for (const concurrency of [1, options.concurrency]) {
      for (const path of ['direct to mock', 'through gateway'] as const) {
        const server = path === 'direct to mock' ? servers.mock : servers.gateway;
        const target = path === 'direct to mock' ? toDirectTarget(servers.mock, mode) : toGatewayTarget(servers.gateway, mode);
        let cpuAtStart = 0;
        let cpuMicros = 0;
        const onMeasure = async (phase: 'start' | 'end') => {
          const { cpuMicros: now } = await server.readStats();
          if (phase === 'start') cpuAtStart = now;
          else cpuMicros = now - cpuAtStart;
        };
        const stats = await runBenchLoad(target, { requests: options.requests, concurrency, warmup: options.warmup, onMeasure });
        rows.push({ mode, concurrency, path, ...stats, serverCpuMsPerRequest: cpuMicros / 1000 / stats.requests });
      }
    }
  }
  return rows;
}

function toDirectTarget(mock: BenchWorker, mode: BenchRow['mode']): BenchTarget {
  const url = new URL(`${requireInfo(mock, 'baseUrl')}/chat/completions`);
  return toChatTarget(url.origin, url.pathname, 'bench-key', MODEL, mode);
}

function toGatewayTarget(gateway: BenchWorker, mode: BenchRow['mode']): BenchTarget {
  return toChatTarget(requireInfo(gateway, 'origin'), '/api/v1/chat/completions', requireInfo(gateway, 'apiKey'), `openai/${MODEL}`, mode);
}

function toChatTarget(origin: string, path: string, apiKey: string, model: string, mode: BenchRow['mode']): BenchTarget {
  const stream = mode === 'stream';
  const body = JSON.stringify({ model, messages, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) });
  return {
    origin,
    path,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body,
    checkBody: stream ? checkBenchStreamBody : checkBenchJsonBody,
  };
}

function checkBenchJsonBody(text: string): void {
  const parsed = JSON.parse(text) as { choices?: unknown[]; usage?: unknown };
  if (!parsed.choices?.length || typeof parsed.usage !== 'object') throw new Error(`incomplete chat completion: ${text.slice(0, 300)}`);
}

function checkBenchStreamBody(text: string): void {
  if (!text.includes('"usage":{') || !text.trimEnd().endsWith('data: [DONE]')) throw new Error(`incomplete stream: ${text.slice(-300)}`);
}

function requireInfo(worker: BenchWorker, key: string): string {
  const value = worker.info[key];
  if (!value) throw new Error(`benchmark worker did not report '${key}'`);
  return value;
}

function formatLoadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}

runGatewayOverheadBench().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
