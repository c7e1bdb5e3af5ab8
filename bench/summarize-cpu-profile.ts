/**
 * Prints the functions with the most self time in a V8 `.cpuprofile` (as written by `node --cpu-prof`, e.g.
 * from the gateway worker with BENCH_CPU_PROF_DIR set), grouped by function and source location, then by package
 * (npm package or `src/<folder>`).
 *
 * Run: `npx tsx bench/summarize-cpu-profile.ts <file.cpuprofile> [top N, default 15]`
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface CpuProfileEntry {
  name: string;
  selfMs: number;
  /** Share of the profile's non-idle time. */
  share: number;
}

export type CpuProfileGrouping = 'function' | 'package';

export function summarizeCpuProfile(profile: CpuProfile, top: number, grouping: CpuProfileGrouping): { busyMs: number; entries: CpuProfileEntry[] } {
  const toLabel = grouping === 'function' ? labelCpuProfileNode : labelCpuProfilePackage;
  const labelById = new Map(profile.nodes.map((node) => [node.id, toLabel(node)]));
  const selfMicros = new Map<string, number>();
  // timeDeltas[i] is the gap before sample i, so it is the time spent in the node of sample i - 1.
  for (let i = 1; i < profile.samples.length; i++) {
    const label = labelById.get(profile.samples[i - 1]!) ?? '(unknown)';
    selfMicros.set(label, (selfMicros.get(label) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  selfMicros.delete('(idle)');
  const busyMicros = [...selfMicros.values()].reduce((a, b) => a + b, 0);
  const entries = [...selfMicros.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, micros]) => ({ name, selfMs: micros / 1000, share: micros / busyMicros }));
  return { busyMs: busyMicros / 1000, entries };
}

function labelCpuProfileNode(node: CpuProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const file = url.includes('/node_modules/') ? url.slice(url.lastIndexOf('/node_modules/') + 14) : path.relative(process.cwd(), url.replace(/^file:\/\//, ''));
  return `${name} ${file}:${lineNumber + 1}`;
}

/** npm package, `src/<folder>`, `node:internal`, or the bare name of a native function without a script. */
function labelCpuProfilePackage(node: CpuProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules !== -1) {
    const parts = url.slice(inModules + 14).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) return 'node:internal';
  const relative = path.relative(process.cwd(), url.replace(/^file:\/\//, '')).split(path.sep);
  return relative.length > 2 ? relative.slice(0, 2).join('/') : relative.join('/');
}

function runSummarizeCpuProfile(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: summarize-cpu-profile.ts <file.cpuprofile> [top N]');
  const top = topArg === undefined ? 15 : Number(topArg);
  if (!Number.isSafeInteger(top) || top < 1) throw new Error(`top N must be a positive integer, got '${topArg}'`);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  for (const grouping of ['function', 'package'] as const) {
    const { busyMs, entries } = summarizeCpuProfile(profile, top, grouping);
    console.log(`\nSelf time by ${grouping}, ${busyMs.toFixed(0)} ms busy (idle excluded)\n`);
    console.log(`| self ms | share | ${grouping} |\n|---:|---:|---|`);
    for (const e of entries) console.log(`| ${e.selfMs.toFixed(0)} | ${(e.share * 100).toFixed(1)}% | \`${e.name}\` |`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) runSummarizeCpuProfile();
