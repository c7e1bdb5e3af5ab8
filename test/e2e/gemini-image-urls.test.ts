/**
 * Image URLs sent to Gemini are fetched by the gateway. Each request has an allowance (how many URLs, how
 * many bytes in total, how long all fetches may take together); each URL is fetched once per request however
 * many channels are tried; and a client that leaves stops the fetching.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const png = (size: number) => Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(size - 8, 7)]);
const IMAGE = png(1000);
const BIG_IMAGE = png(2000);
const MODEL = 'google/gemini-2.5-flash';

/** Serves images and a Gemini stand-in that is always overloaded, and records what it was asked. */
async function startImageServer() {
  const imageHits = new Map<string, number>();
  const upstreamHits: string[] = [];
  const hanging: IncomingMessage[] = [];
  const sockets = new Set<Socket>();
  let onHang: ((req: IncomingMessage) => void) | undefined;
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/overloaded/')) {
      upstreamHits.push(path);
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }));
      return;
    }
    imageHits.set(path, (imageHits.get(path) ?? 0) + 1);
    if (path.startsWith('/hang')) {
      hanging.push(req);
      onHang?.(req);
      return; // never answers
    }
    const image = path.startsWith('/big') ? BIG_IMAGE : IMAGE;
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(image.length) }).end(image);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    imageHits,
    upstreamHits,
    /** Resolves with the next request for a /hang URL. */
    nextHang: () => new Promise<IncomingMessage>((resolve) => (onHang = resolve)),
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

type ImageServer = Awaited<ReturnType<typeof startImageServer>>;

function imageMessage(urls: string[], text = 'Describe these') {
  return [{ role: 'user', content: [{ type: 'text', text }, ...urls.map((url) => ({ type: 'image_url', image_url: { url } }))] }];
}

async function post(t: TestGateway, body: unknown, signal?: AbortSignal) {
  const res = await fetch(`${t.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; param?: string } } };
}

describe.each(dialects)('Gemini image URLs on %s', (dialect) => {
  let images: ImageServer;
  let t: TestGateway;

  beforeAll(async () => {
    images = await startImageServer();
    const imageUrls: Config['imageUrls'] = { maxPerRequest: 3, maxBytesPerRequest: 3500, timeoutMs: 1000 };
    t = await startTestGateway({ dialect, providers: ['google'], config: { imageUrls } });
  });
  afterAll(async () => {
    await t?.close();
    await images?.close();
  });

  it('refuses more distinct image URLs than a request may carry, before fetching the extra one or calling upstream', async () => {
    const calls = t.upstreams.callsFor('google').length;
    const urls = [1, 2, 3, 4].map((n) => `${images.origin}/count-${n}.png`);
    const res = await post(t, { model: MODEL, messages: imageMessage(urls) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'image_fetch_failed', param: 'messages[0].content[4].image_url.url' });
    expect(res.body.error?.message).toContain('at most 3 image URLs');
    expect(images.imageHits.get('/count-4.png')).toBeUndefined();
    expect(t.upstreams.callsFor('google').length).toBe(calls);
  });

  it('counts a repeated URL once, and fetches it once', async () => {
    const url = `${images.origin}/repeated.png`;
    const res = await post(t, { model: MODEL, messages: imageMessage([url, url, url, url]) });
    expect(res.status).toBe(200);
    expect(images.imageHits.get('/repeated.png')).toBe(1);
  });

  it('refuses images whose bytes together exceed the request allowance', async () => {
    const calls = t.upstreams.callsFor('google').length;
    const urls = [1, 2].map((n) => `${images.origin}/big-${n}.png`);
    const res = await post(t, { model: MODEL, messages: imageMessage(urls) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'image_fetch_failed', param: 'messages[0].content[2].image_url.url' });
    expect(res.body.error?.message).toContain('at most 3500 bytes');
    expect(t.upstreams.callsFor('google').length).toBe(calls);
  });

  it('stops fetching when the request’s image time is used up', async () => {
    const started = Date.now();
    const res = await post(t, { model: MODEL, messages: imageMessage([`${images.origin}/hang-deadline.png`]) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'image_fetch_failed', param: 'messages[0].content[1].image_url.url' });
    expect(res.body.error?.message).toContain('1000 ms');
    // Loose bound, well under the 15 s a single image may otherwise take.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fetches each image once however many channels the request is tried on', async () => {
    const second = await t.gateway.channels.create({ provider: 'google', name: 'overloaded-b', apiKey: 'k-b', baseUrl: `${images.origin}/overloaded/b` });
    const first = await t.gateway.channels.create({ provider: 'google', name: 'overloaded-a', apiKey: 'k-a', baseUrl: `${images.origin}/overloaded/a` });
    const mock = (await t.gateway.channels.list()).find((c) => c.provider === 'google' && c.id !== first.id && c.id !== second.id);
    await t.gateway.channels.update(mock!.id, { enabled: false });
    try {
      const res = await post(t, { model: MODEL, messages: imageMessage([`${images.origin}/failover.png`]) });
      expect(res.status).toBe(503);
      expect(images.upstreamHits.length).toBeGreaterThanOrEqual(2);
      expect(images.imageHits.get('/failover.png')).toBe(1);
    } finally {
      await t.gateway.channels.update(mock!.id, { enabled: true });
      await t.gateway.channels.delete(first.id);
      await t.gateway.channels.delete(second.id);
    }
  });
});

describe('Gemini image URLs when the client leaves', () => {
  let images: ImageServer;
  let t: TestGateway;

  beforeAll(async () => {
    images = await startImageServer();
    t = await startTestGateway({ providers: ['google'], config: { imageUrls: { maxPerRequest: 16, maxBytesPerRequest: 20 * 1024 * 1024, timeoutMs: 60_000 } } });
  });
  afterAll(async () => {
    await t?.close();
    await images?.close();
  });

  it('abandons the image fetch and releases the hold', async () => {
    const before = await t.gateway.billing.getBalance(t.userId);
    const client = new AbortController();
    const arrived = images.nextHang();
    const call = post(t, { model: MODEL, messages: imageMessage([`${images.origin}/hang-client.png`]) }, client.signal).catch((e: unknown) => e);
    const imageRequest = await arrived;
    expect((await t.gateway.billing.getBalance(t.userId)).heldNanos).toBeGreaterThan(0n);
    const closed = once(imageRequest.socket, 'close').then(() => 'closed');
    client.abort();
    await call;
    // The gateway's socket to the image server closes at once, long before the image time (60 s) or one
    // image's 15 s; the bound only keeps a failure from waiting for those.
    let bound: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([closed, new Promise((resolve) => (bound = setTimeout(() => resolve('still open'), 5000)))]);
    clearTimeout(bound);
    expect(outcome).toBe('closed');
    await expect.poll(async () => (await t.gateway.billing.getBalance(t.userId)).heldNanos, { timeout: 5000 }).toBe(0n);
    expect((await t.gateway.billing.getBalance(t.userId)).balanceNanos).toBe(before.balanceNanos);
  });
});
