/**
 * The load client: a keep-alive undici Pool per row, a warm-up that is not measured, then a fixed number of
 * requests spread over `concurrency` in-flight slots. Latency is from sending the request to the last body
 * byte, so a stream row measures the whole stream.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

const REQUEST_TIMEOUT_MS = 30_000;

export interface BenchTarget {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Throws when a 200 body is not a complete answer (e.g. a stream without usage or `[DONE]`). */
  checkBody(text: string): void;
}

export interface BenchLoadOptions {
  requests: number;
  concurrency: number;
  warmup: number;
  /** Called right before and right after the measured requests (outside the timed window). */
  onMeasure?: (phase: 'start' | 'end') => Promise<void>;
}

export interface BenchLatencyStats {
  requests: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

export async function runBenchLoad(target: BenchTarget, options: BenchLoadOptions): Promise<BenchLatencyStats> {
  const pool = new Pool(target.origin, {
    connections: options.concurrency,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  try {
    const sendOne = () => sendBenchRequest(pool, target);
    await runBenchSlots(options.warmup, options.concurrency, sendOne);
    const latencies: number[] = [];
    await options.onMeasure?.('start');
    const started = performance.now();
    await runBenchSlots(options.requests, options.concurrency, async () => void latencies.push(await sendOne()));
    const elapsedS = (performance.now() - started) / 1000;
    await options.onMeasure?.('end');
    latencies.sort((a, b) => a - b);
    return {
      requests: latencies.length,
      rps: latencies.length / elapsedS,
      p50Ms: pickBenchPercentile(latencies, 0.5),
      p90Ms: pickBenchPercentile(latencies, 0.9),
      p99Ms: pickBenchPercentile(latencies, 0.99),
    };
  } finally {
    await pool.close();
  }
}

/** Nearest-rank percentile of an ascending list. */
export function pickBenchPercentile(sorted: number[], q: number): number {
  if (sorted.length === 0) throw new Error('no latencies recorded');
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

async function runBenchSlots(total: number, concurrency: number, sendOne: () => Promise<void | number>): Promise<void> {
  let claimed = 0;
  const slot = async () => {
    while (claimed < total) {
      claimed++;
      await sendOne();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, slot));
}

async function sendBenchRequest(pool: Pool, target: BenchTarget): Promise<number> {
  const started = performance.now();
  const res = await pool.request({ method: 'POST', path: target.path, headers: target.headers, body: target.body });
  const text = await res.body.text();
  const elapsedMs = performance.now() - started;
  if (res.statusCode !== 200) throw new Error(`${target.origin}${target.path}: status ${res.statusCode}: ${text.slice(0, 500)}`);
  target.checkBody(text);
  return elapsedMs;
}
