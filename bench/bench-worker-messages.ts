/**
 * The IPC protocol between the benchmark's load client (parent) and its server processes (mock upstream,
 * gateway). Each server runs in its own process so its CPU work never shares an event loop with the others.
 */

/** Parent → worker. */
export type BenchWorkerCommand = { type: 'stats' } | { type: 'stop' };

/** Resource counters of a worker process, read inside that process. */
export interface BenchWorkerStats {
  rssBytes: number;
  /** process.cpuUsage() user + system, cumulative since the worker started. */
  cpuMicros: number;
}

/** Worker → parent. `ready` carries what the worker wants the parent to know (URLs, keys). */
export type BenchWorkerReply =
  | { type: 'ready'; info: Record<string, string> }
  | ({ type: 'stats' } & BenchWorkerStats)
  | { type: 'failed'; message: string };
