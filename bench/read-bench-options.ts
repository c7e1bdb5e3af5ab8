/** Benchmark knobs from the environment; a value that is not a whole number of the right sign is an error. */

export interface BenchOptions {
  /** Measured requests per table row (BENCH_REQUESTS, default 2000). */
  requests: number;
  /** In-flight requests of the concurrent rows (BENCH_CONCURRENCY, default 16); sequential rows use 1. */
  concurrency: number;
  /** Unmeasured requests before each row (BENCH_WARMUP, default 200). */
  warmup: number;
  /** When set (BENCH_CPU_PROF_DIR), the gateway process writes a V8 CPU profile there on exit. */
  cpuProfDir: string | undefined;
}

export function readBenchOptions(env: Record<string, string | undefined>): BenchOptions {
  return {
    requests: readBenchInteger(env, 'BENCH_REQUESTS', 2000, 1),
    concurrency: readBenchInteger(env, 'BENCH_CONCURRENCY', 16, 1),
    warmup: readBenchInteger(env, 'BENCH_WARMUP', 200, 0),
    cpuProfDir: env.BENCH_CPU_PROF_DIR || undefined,
  };
}

function readBenchInteger(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got '${raw}'`);
  return value;
}
