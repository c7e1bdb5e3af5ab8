/**
 * Parent side of the benchmark IPC: forks a TypeScript worker under `node --import tsx`, waits for it to
 * report `ready`, and asks it for resource counters. Every wait is bounded so a stuck worker fails the run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchWorkerReply, BenchWorkerStats } from './bench-worker-messages.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const READY_TIMEOUT_MS = 60_000;
const REPLY_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 15_000;

export interface BenchWorker {
  info: Record<string, string>;
  readStats(): Promise<BenchWorkerStats>;
  /** Asks the worker to close and exit; kills it if it has not exited in time. */
  stop(): Promise<void>;
}

export interface ForkBenchWorkerOptions {
  args?: string[];
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

export async function forkBenchWorker(script: string, options: ForkBenchWorkerOptions = {}): Promise<BenchWorker> {
  const child = fork(path.join(benchDir, script), options.args ?? [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = await waitForBenchReply(child, 'ready', READY_TIMEOUT_MS);
    return {
      info: ready.info,
      readStats: async () => {
        child.send({ type: 'stats' });
        const { rssBytes, cpuMicros } = await waitForBenchReply(child, 'stats', REPLY_TIMEOUT_MS);
        return { rssBytes, cpuMicros };
      },
      stop: () => stopBenchWorker(child),
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

type ReplyOf<T extends BenchWorkerReply['type']> = Extract<BenchWorkerReply, { type: T }>;

function waitForBenchReply<T extends BenchWorkerReply['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<ReplyOf<T>> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`benchmark worker ${child.pid} sent no '${type}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (reply: BenchWorkerReply) => {
      if (reply.type === 'failed') {
        cleanup();
        reject(new Error(`benchmark worker ${child.pid} failed: ${reply.message}`));
      } else if (reply.type === type) {
        cleanup();
        resolve(reply as ReplyOf<T>);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`benchmark worker ${child.pid} exited (code ${code}, signal ${signal}) before '${type}'`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function stopBenchWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ type: 'stop' });
    else child.kill('SIGTERM');
  });
}
