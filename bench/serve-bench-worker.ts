/**
 * Worker-process side of the benchmark IPC: starts a server, reports `ready`, answers `stats`, and on `stop`
 * (or when the parent goes away) closes the server and exits, so no benchmark process outlives its run.
 */
import type { BenchWorkerCommand, BenchWorkerReply } from './bench-worker-messages.js';

export interface BenchWorkerServer {
  info: Record<string, string>;
  close(): Promise<void>;
}

export function serveBenchWorker(start: () => Promise<BenchWorkerServer>): void {
  if (!process.send) throw new Error('benchmark workers must be started with an IPC channel (child_process.fork)');
  const send = (reply: BenchWorkerReply) => process.send?.(reply);
  start().then(
    (server) => {
      // Exiting explicitly (rather than waiting for handles to drain) also flushes a --cpu-prof profile.
      let stopping: Promise<void> | undefined;
      const stop = () => {
        stopping ??= server.close().then(() => process.exit(0), (error: unknown) => exitBenchWorker(error));
      };
      process.on('message', (command: BenchWorkerCommand) => {
        if (command.type === 'stats') send({ type: 'stats', ...readBenchWorkerStats() });
        if (command.type === 'stop') stop();
      });
      process.once('disconnect', stop);
      send({ type: 'ready', info: server.info });
    },
    (error: unknown) => {
      send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      exitBenchWorker(error);
    },
  );
}

function readBenchWorkerStats(): { rssBytes: number; cpuMicros: number } {
  const cpu = process.cpuUsage();
  return { rssBytes: process.memoryUsage().rss, cpuMicros: cpu.user + cpu.system };
}

function exitBenchWorker(error: unknown): never {
  console.error(error);
  process.exit(1);
}
