/**
 * Token-counting stall benchmark: ten concurrent requests, each one prompt of a 200,000-character run of one
 * letter (a different letter each), sent to /chat/completions and then to /messages/count_tokens, while /healthz
 * is polled one call after another. Counting runs on the gateway's event loop, so a slow count shows up as a
 * slow /healthz. Mock upstream and gateway run in their own processes; everything listens on 127.0.0.1.
 *
 * Run: `npx tsx bench/token-count-stall.ts`.
 */
import { cpus, loadavg } from 'node:os';
import { forkBenchWorker, type BenchWorker } from './fork-bench-worker.js';

const RUN_LENGTH = 200_000;
const LETTERS = 'abcdefghij'.split('');
const MODEL = 'openai/gpt-4.1';

interface StallRow {
  path: string;
  promptChars: number;
  statuses: string;
  slowestAnswerMs: number;
  healthzPolls: number;
  healthzMedianMs: number;
  healthzSlowestMs: number;
}

async function runTokenCountStallBench(): Promise<void> {
  const mock = await forkBenchWorker('mock-upstream-worker.ts');
  let gateway: BenchWorker | undefined;
  try {
    gateway = await forkBenchWorker('gateway-worker.ts', { args: [requireInfo(mock, 'baseUrl')] });
    const origin = requireInfo(gateway, 'origin');
    const apiKey = requireInfo(gateway, 'apiKey');
    // One short round first, so connection set-up and first compilation are not counted as stalls.
    await measure(origin, apiKey, '/api/v1/chat/completions', 1_000);
    const rows: StallRow[] = [];
    for (const path of ['/api/v1/chat/completions', '/api/v1/messages/count_tokens']) {
      // A short prompt first, as the control: what the same calls cost when there is nothing to count.
      rows.push(await measure(origin, apiKey, path, 10));
      rows.push(await measure(origin, apiKey, path));
    }
    console.log(`${LETTERS.length} concurrent requests of one run of a letter each (promptChars long); /healthz polled meanwhile.`);
    console.log(`Load average before: ${loadavg().map((n) => n.toFixed(2)).join(' ')} on ${cpus().length} cores.`);
    console.table(rows);
  } finally {
    await gateway?.stop();
    await mock.stop();
  }
}

async function measure(origin: string, apiKey: string, path: string, runLength = RUN_LENGTH): Promise<StallRow> {
  const body = (letter: string) =>
    JSON.stringify({ model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: letter.repeat(runLength) }] });
  const timed = async (letter: string) => {
    const started = performance.now();
    const res = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body(letter),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  };
  let finished = false;
  const calls = Promise.all(LETTERS.map(timed)).finally(() => {
    finished = true;
  });
  const healthz: number[] = [];
  while (!finished || healthz.length === 0) {
    const started = performance.now();
    await (await fetch(`${origin}/healthz`)).arrayBuffer();
    healthz.push(performance.now() - started);
  }
  const answers = await calls;
  healthz.sort((a, b) => a - b);
  return {
    path,
    promptChars: runLength,
    statuses: [...new Set(answers.map((a) => a.status))].join(','),
    slowestAnswerMs: round(Math.max(...answers.map((a) => a.ms))),
    healthzPolls: healthz.length,
    healthzMedianMs: round(healthz[Math.floor(healthz.length / 2)] ?? 0),
    healthzSlowestMs: round(healthz[healthz.length - 1] ?? 0),
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function requireInfo(worker: BenchWorker, name: string): string {
  const value = worker.info[name];
  if (!value) throw new Error(`benchmark worker reported no ${name}`);
  return value;
}

await runTokenCountStallBench();
