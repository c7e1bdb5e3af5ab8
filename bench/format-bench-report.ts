/** Renders benchmark rows as a Markdown table, each gateway row compared with the direct row before it. */
import type { BenchLatencyStats } from './run-bench-load.js';

export interface BenchRow extends BenchLatencyStats {
  mode: 'non-stream' | 'stream';
  concurrency: number;
  path: 'direct to mock' | 'through gateway';
  /** CPU time of the process the client talks to, per measured request. */
  serverCpuMsPerRequest: number;
}

const header = [
  '| mode | conc. | path | req/s | p50 ms | p90 ms | p99 ms | added p50 ms | added p90 ms | added p99 ms | server CPU ms/req |',
  '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
];

export function formatBenchTable(rows: BenchRow[]): string {
  const lines = [...header];
  let direct: BenchRow | undefined;
  for (const row of rows) {
    if (row.path === 'direct to mock') direct = row;
    const base = row.path === 'through gateway' && direct?.mode === row.mode && direct.concurrency === row.concurrency ? direct : undefined;
    const added = (pick: (r: BenchRow) => number) => (base ? formatBenchMs(pick(row) - pick(base)) : '');
    lines.push(
      `| ${row.mode} | ${row.concurrency} | ${row.path} | ${row.rps.toFixed(0)} | ${formatBenchMs(row.p50Ms)} | ${formatBenchMs(row.p90Ms)} | ` +
        `${formatBenchMs(row.p99Ms)} | ${added((r) => r.p50Ms)} | ${added((r) => r.p90Ms)} | ${added((r) => r.p99Ms)} | ` +
        `${formatBenchMs(row.serverCpuMsPerRequest)} |`,
    );
  }
  return lines.join('\n');
}

function formatBenchMs(ms: number): string {
  return ms.toFixed(2);
}

export function formatBenchMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
}
