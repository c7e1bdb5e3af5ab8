/**
 * Long and stalled streams, on SQLite and PostgreSQL: a client that stops reading has its upstream connection
 * closed and its hold settled within the stall timeout; a stream past its time limit ends with an error event
 * and is charged; a user holds at most the configured number of streams; a live stream keeps its hold past
 * the hold TTL (the reaper frees only the holds of dead processes).
 */
import net from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { usdToNanos } from '../../src/billing/money.js';
import type { Config } from '../../src/config.js';
import { dialects, type Dialect } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { startStreamingUpstream, type StreamingUpstream } from '../support/streaming-upstream.js';
import { within } from '../support/server-process.js';

const model = 'deepseek/deepseek-chat';

interface Rig {
  t: TestGateway;
  upstream: StreamingUpstream;
}

async function startRig(dialect: Dialect, upstreamOptions: { chunkChars: number; intervalMs: number }, config: Partial<Config>): Promise<Rig> {
  const upstream = await startStreamingUpstream(upstreamOptions);
  const t = await startTestGateway({
    dialect,
    providers: ['deepseek'],
    config: { upstreams: [{ provider: 'deepseek', apiKey: 'test-deepseek-key', baseUrl: upstream.baseUrl }], ...config },
  });
  return { t, upstream };
}

async function closeRig(rig: Rig | undefined): Promise<void> {
  await rig?.t.close();
  await rig?.upstream.close();
}

async function newFundedUser(t: TestGateway) {
  const user = await t.gateway.users.create({ email: `s-${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough password' });
  const { plaintext } = await t.gateway.apiKeys.create(user.id, { name: 'k' });
  const granted = await t.gateway.billing.grant({ userId: user.id, amountNanos: usdToNanos('5'), reason: 'test', actor: 'test' });
  expect(granted.ok).toBe(true);
  return { userId: user.id, key: plaintext };
}

const chatBody = (content = 'Tell me a very long story.') => JSON.stringify({ model, messages: [{ role: 'user', content }], stream: true, max_tokens: 8000 });

/** Polls `read` until `done` holds or the bound passes; returns the last value read. */
async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, boundMs = 10_000): Promise<T> {
  const until = Date.now() + boundMs;
  let value = await read();
  while (!done(value) && Date.now() < until) {
    await new Promise((resolve) => setImmediate(resolve));
    value = await read();
  }
  return value;
}

const holdsOf = (t: TestGateway, userId: string) => t.gateway.store.db.selectFrom('holds').selectAll().where('user_id', '=', userId).execute();

/** Within `ms`, or a rejection naming what did not happen. */
describe.each(dialects)('a client that stops reading, on %s', (dialect) => {
  const stallTimeoutMs = 400;
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig(dialect, { chunkChars: 16_000, intervalMs: 0 }, { streams: { deadlineMs: 600_000, stallTimeoutMs, maxPerUser: 20 } });
  });
  afterAll(() => closeRig(rig));

  it('has its upstream connection closed and its hold settled within the stall timeout', async () => {
    const { t, upstream } = rig;
    const payer = await newFundedUser(t);
    const socket = net.connect(Number(new URL(t.url).port), '127.0.0.1');
    await once(socket, 'connect');
    const body = chatBody();
    socket.write(
      `POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${payer.key}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    const [first] = (await once(socket, 'data')) as [Buffer];
    expect(first.toString('latin1')).toMatch(/^HTTP\/1\.1 200/);
    // From here on the client reads nothing: its receive window fills and every gateway write waits.
    socket.pause();
    const call = await upstream.nextCall();
    const pausedAt = Date.now();

    await within(call.closed, 10_000, 'the upstream connection closing');
    // A loose bound, far from the default timeouts: the stall timeout plus scheduling slack.
    expect(Date.now() - pausedAt).toBeLessThan(stallTimeoutMs + 5_000);
    const holds = await pollUntil(
      () => holdsOf(t, payer.userId),
      (rows) => rows.length === 1 && rows[0]!.status !== 'open',
    );
    expect(holds.map((h) => h.status)).toEqual(['settled']);
    expect(BigInt(holds[0]!.settled_nanos ?? 0n)).toBeGreaterThan(0n);
    expect(await t.gateway.billing.getBalance(payer.userId)).toMatchObject({ heldNanos: 0n });
    expect((await t.gateway.billing.reconcile()).ok).toBe(true);
    socket.destroy();
  });
});

describe.each(dialects)('a stream past its time limit, on %s', (dialect) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig(dialect, { chunkChars: 20, intervalMs: 20 }, { streams: { deadlineMs: 700, stallTimeoutMs: 60_000, maxPerUser: 20 } });
  });
  afterAll(() => closeRig(rig));

  it('ends with an error event, closes the upstream connection and is charged', async () => {
    const { t, upstream } = rig;
    const payer = await newFundedUser(t);
    const res = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${payer.key}`, 'content-type': 'application/json' },
      body: chatBody(),
    });
    expect(res.statusCode).toBe(200);
    const text = await within(res.body.text(), 10_000, 'the stream ending');
    const events = text.split('\n\n').filter((frame) => frame.startsWith('data: {'));
    const last = JSON.parse(events.at(-1)!.slice('data: '.length)) as { error?: { code: string; message: string } };
    expect(last.error?.code).toBe('upstream_timeout');
    expect(last.error?.message).toMatch(/time limit/);
    const call = upstream.calls.at(-1)!;
    await within(call.closed, 5_000, 'the upstream connection closing');
    const holds = await holdsOf(t, payer.userId);
    expect(holds.map((h) => h.status)).toEqual(['settled']);
    expect(BigInt(holds[0]!.settled_nanos ?? 0n)).toBeGreaterThan(0n);
    expect((await t.gateway.billing.reconcile()).ok).toBe(true);
  });
});

describe.each(dialects)('concurrent streams per user, on %s', (dialect) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig(dialect, { chunkChars: 20, intervalMs: 20 }, { streams: { deadlineMs: 600_000, stallTimeoutMs: 60_000, maxPerUser: 2 } });
  });
  afterAll(() => closeRig(rig));

  const open = (key: string, signal?: AbortSignal) =>
    request(`${rig.t.baseURL}/chat/completions`, {
      method: 'POST',
      ...(signal ? { signal } : {}),
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: chatBody(),
    });

  it('refuses a stream past the cap with 429 and admits one again once a stream ended', async () => {
    const { t } = rig;
    const payer = await newFundedUser(t);
    const other = await newFundedUser(t);
    const controllers = [new AbortController(), new AbortController(), new AbortController(), new AbortController()];
    const first = await open(payer.key, controllers[0]!.signal);
    const second = await open(payer.key, controllers[1]!.signal);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);

    const refused = await open(payer.key);
    expect(refused.statusCode).toBe(429);
    expect(((await refused.body.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
    // The cap is per user: another account still streams.
    const others = await open(other.key, controllers[2]!.signal);
    expect(others.statusCode).toBe(200);

    controllers[0]!.abort();
    const live = await pollUntil(
      async () => t.gateway.live.size,
      (size) => size === 2,
    );
    expect(live).toBe(2);
    const admitted = await open(payer.key, controllers[3]!.signal);
    expect(admitted.statusCode).toBe(200);
    for (const controller of controllers) controller.abort();
    const remaining = await pollUntil(
      async () => t.gateway.live.size,
      (size) => size === 0,
    );
    expect(remaining).toBe(0);
  });
});

describe.each(dialects)('a stream longer than the hold TTL, on %s', (dialect) => {
  const holdTtlMs = 600;
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig(
      dialect,
      { chunkChars: 20, intervalMs: 20 },
      { billing: { adminInitialCreditUsd: '100', holdTtlMs }, streams: { deadlineMs: 600_000, stallTimeoutMs: 60_000, maxPerUser: 20 } },
    );
  });
  afterAll(() => closeRig(rig));

  it('keeps its hold while it runs, and settles it when it ends', async () => {
    const { t } = rig;
    const payer = await newFundedUser(t);
    const controller = new AbortController();
    const res = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${payer.key}`, 'content-type': 'application/json' },
      body: chatBody(),
    });
    expect(res.statusCode).toBe(200);
    const [hold] = await holdsOf(t, payer.userId);
    const firstExpiry = hold!.expires_at;
    // Past the hold's first expiry, with the stream still running: the reaper must leave it alone.
    await pollUntil(
      async () => Date.now(),
      (now) => now > firstExpiry + holdTtlMs / 3,
    );
    await t.gateway.billing.reapExpiredHolds();
    const [during] = await holdsOf(t, payer.userId);
    expect(during!.status).toBe('open');
    expect(during!.expires_at).toBeGreaterThan(firstExpiry);

    controller.abort();
    const [after] = await pollUntil(
      () => holdsOf(t, payer.userId),
      (rows) => rows[0]!.status !== 'open',
    );
    expect(after!.status).toBe('settled');
    expect(await t.gateway.billing.getBalance(payer.userId)).toMatchObject({ heldNanos: 0n });
  });
});
