/**
 * Counting prompt tokens runs on the event loop before the balance check, so no request body may make it slow:
 * long runs of one character (where BPE merging is quadratic) are counted by a safe upper bound, and
 * `count_tokens`, which counts for free, is bounded the same way and limited per key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { dialects } from '../support/databases.js';

const RUN_LENGTH = 200_000;
const LETTERS = 'abcdefghij'.split('');
/** Far below the default request timeouts, far above what bounded counting needs on a busy CI machine. */
const ANSWER_BOUND_MS = 8_000;
const HEALTHZ_BOUND_MS = 2_000;

describe.each(dialects)('token counting bounds (%s)', (dialect) => {
  let t: TestGateway;
  let brokeKey: string;

  beforeAll(async () => {
    t = await startTestGateway({ dialect, providers: ['deepseek', 'anthropic'] });
    const user = await t.gateway.users.create({ email: `broke-${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough password' });
    brokeKey = (await t.gateway.apiKeys.create(user.id, { name: 'broke' })).plaintext;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function post(path: string, key: string, body: unknown): Promise<{ status: number; ms: number; json: Record<string, unknown>; headers: Record<string, unknown> }> {
    const started = performance.now();
    const res = await request(`${t.baseURL}${path}`, {
      method: 'POST',
      // Bounds the wait when counting blocks the gateway (the failure this guards against), instead of hanging.
      headersTimeout: ANSWER_BOUND_MS * 2,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.body.json()) as Record<string, unknown>;
    return { status: res.statusCode, ms: performance.now() - started, json, headers: res.headers };
  }

  /** Polls /healthz one call after another until `done` settles; returns the slowest answer. */
  async function slowestHealthzWhile(done: Promise<unknown>): Promise<number> {
    let finished = false;
    void done.finally(() => {
      finished = true;
    });
    let slowest = 0;
    let polls = 0;
    while (!finished || polls === 0) {
      const started = performance.now();
      const res = await request(`${t.url}/healthz`, { headersTimeout: HEALTHZ_BOUND_MS * 4 });
      await res.body.text();
      slowest = Math.max(slowest, performance.now() - started);
      polls += 1;
    }
    return slowest;
  }

  it('answers ten concurrent chat calls of 200,000-letter runs quickly, and /healthz keeps answering meanwhile', async () => {
    const calls = Promise.all(
      LETTERS.map((letter) =>
        post('/chat/completions', brokeKey, { model: 'deepseek/deepseek-chat', messages: [{ role: 'user', content: letter.repeat(RUN_LENGTH) }] }),
      ),
    );
    const slowestHealthz = await slowestHealthzWhile(calls);
    const answers = await calls;
    // The hold is sized (and refused: the key's account holds nothing) without stalling the process.
    expect(answers.map((a) => a.status)).toEqual(LETTERS.map(() => 402));
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(ANSWER_BOUND_MS);
    expect(slowestHealthz).toBeLessThan(HEALTHZ_BOUND_MS);
  });

  it('bounds count_tokens the same way and still answers an upper bound', async () => {
    const calls = Promise.all(
      LETTERS.map((letter) =>
        post('/messages/count_tokens', t.apiKey, { model: 'anthropic/claude-sonnet-4-6', messages: [{ role: 'user', content: letter.repeat(RUN_LENGTH) }] }),
      ),
    );
    const slowestHealthz = await slowestHealthzWhile(calls);
    const answers = await calls;
    expect(answers.map((a) => a.status)).toEqual(LETTERS.map(() => 200));
    // o200k merges a run of one letter into tokens of 8 letters: the exact count is 25,000; the bound is no lower.
    for (const answer of answers) expect(answer.json.input_tokens).toBeGreaterThanOrEqual(RUN_LENGTH / 8);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(ANSWER_BOUND_MS);
    expect(slowestHealthz).toBeLessThan(HEALTHZ_BOUND_MS);
  });

  it('limits count_tokens per key, in Anthropic’s error shape with a retry-after', async () => {
    const user = await t.gateway.users.create({ email: `counter-${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough password' });
    const key = (await t.gateway.apiKeys.create(user.id, { name: 'counter' })).plaintext;
    const body = { model: 'anthropic/claude-sonnet-4-6', messages: [{ role: 'user', content: 'Count me.' }] };
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 200 && refused === undefined; i++) {
      const answer = await post('/messages/count_tokens', key, body);
      statuses.push(answer.status);
      if (answer.status !== 200) refused = answer;
    }
    expect(refused?.status).toBe(429);
    expect(refused?.json).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    // The limit is the key's own: another key still counts.
    expect((await post('/messages/count_tokens', brokeKey, body)).status).toBe(200);
  });
});
