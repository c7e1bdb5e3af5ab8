import { fetch, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockUpstreams, type MockUpstreams } from '../../../src/mock-upstreams/server.js';
import { formatSseData, SSE_DONE_FRAME } from '../../../src/mock-upstreams/sse-frames.js';
import type { MockProvider } from '../../../src/mock-upstreams/types.js';

const FRAMES = [1, 2, 3, 4].map((n) => formatSseData({ n })).concat(SSE_DONE_FRAME);

let reachedHandler: () => void = () => {};
let handlerCalls = 0;

/** A tiny provider: `/stream` sends FRAMES, `/json` sends a JSON body, `/boom` throws. */
const testProvider: MockProvider = async (req, res, ctx) => {
  handlerCalls++;
  reachedHandler();
  if (req.pathname === '/stream') await ctx.sendSse(res, FRAMES);
  else if (req.pathname === '/json') await ctx.sendJson(res, { ok: true, padding: 'x'.repeat(40) });
  else if (req.pathname === '/boom') throw new Error('handler exploded');
  else return false;
  return true;
};

const warnings: string[] = [];
let upstreams: MockUpstreams;

beforeAll(async () => {
  upstreams = await startMockUpstreams({
    providers: { test: testProvider },
    logger: { warn: (_details, message) => warnings.push(message) },
  });
});
afterAll(() => upstreams.close());
beforeEach(() => {
  upstreams.reset();
  handlerCalls = 0;
  reachedHandler = () => {};
});

function reached(): Promise<void> {
  return new Promise((resolve) => (reachedHandler = resolve));
}

describe('mock upstream server', () => {
  it('listens on 127.0.0.1 and mounts providers under their id', async () => {
    expect(upstreams.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(upstreams.baseUrlFor('test')).toBe(`${upstreams.origin}/test`);
    const res = await fetch(`${upstreams.baseUrlFor('test')}/json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it('records method, relative path with query, lower-case headers and the parsed body', async () => {
    await fetch(`${upstreams.baseUrlFor('test')}/json?alt=sse`, {
      method: 'POST',
      headers: { 'X-Api-Key': 'k1', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm' }),
    });
    await fetch(`${upstreams.baseUrlFor('test')}/json`, { method: 'POST', body: 'not json' });
    expect(upstreams.calls).toHaveLength(2);
    expect(upstreams.calls[0]).toMatchObject({ provider: 'test', method: 'POST', path: '/json?alt=sse', body: { model: 'm' } });
    expect(upstreams.calls[0]?.headers['x-api-key']).toBe('k1');
    expect(upstreams.calls[1]?.body).toBe('not json');
    expect(upstreams.callsFor('test')).toHaveLength(2);
    expect(upstreams.callsFor('other')).toHaveLength(0);
  });

  it('answers unknown providers and unclaimed paths with a 404 JSON error', async () => {
    const unknownProvider = await fetch(`${upstreams.origin}/nobody/chat/completions`);
    expect(unknownProvider.status).toBe(404);
    expect(await unknownProvider.json()).toMatchObject({ error: { code: 'mock_route_not_found' } });
    const unknownPath = await fetch(`${upstreams.baseUrlFor('test')}/missing`);
    expect(unknownPath.status).toBe(404);
    expect(((await unknownPath.json()) as { error: { message: string } }).error.message).toContain('/missing');
  });

  it('streams every frame when no fault is queued', async () => {
    const res = await fetch(`${upstreams.baseUrlFor('test')}/stream`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(await res.text()).toBe(FRAMES.join(''));
  });

  it('turns a handler failure into a 500 and logs it', async () => {
    const res = await fetch(`${upstreams.baseUrlFor('test')}/boom`);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('handler exploded');
    expect(warnings).toContain('mock upstream handler failed');
  });
});

describe('mock upstream faults', () => {
  it('answers an error fault with its status, headers and body without calling the provider', async () => {
    upstreams.enqueueFault('test', { kind: 'error', status: 429, headers: { 'retry-after': '7' }, body: '{"error":"slow down"}' });
    const res = await fetch(`${upstreams.baseUrlFor('test')}/json`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.text()).toBe('{"error":"slow down"}');
    expect(handlerCalls).toBe(0);
    expect(upstreams.calls).toHaveLength(1);
  });

  it('serves an HTML error page with its content type', async () => {
    upstreams.enqueueFault('test', { kind: 'error', status: 500, body: '<html><body>Bad gateway</body></html>', contentType: 'text/html' });
    const res = await fetch(`${upstreams.baseUrlFor('test')}/json`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await res.text()).toContain('<html>');
  });

  it('applies queued faults first in, first out, one per call', async () => {
    upstreams.enqueueFault('test', { kind: 'error', status: 500, body: 'first' });
    upstreams.enqueueFault('test', { kind: 'error', status: 503, body: 'second' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${upstreams.baseUrlFor('test')}/json`)).status);
    expect(statuses).toEqual([500, 503, 200]);
  });

  it('delivers the whole response after a slow first byte', async () => {
    upstreams.enqueueFault('test', { kind: 'slow-first-byte', ms: 5 });
    const res = await fetch(`${upstreams.baseUrlFor('test')}/stream`);
    expect(await res.text()).toBe(FRAMES.join(''));
  });

  it('lets releaseStalls() send a held first byte at once', async () => {
    upstreams.enqueueFault('test', { kind: 'slow-first-byte', ms: 600_000 });
    const arrived = reached();
    const pending = fetch(`${upstreams.baseUrlFor('test')}/json`);
    await arrived;
    upstreams.releaseStalls();
    const res = await pending;
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it('stalls after N frames until the client aborts, and reports the abort', async () => {
    upstreams.enqueueFault('test', { kind: 'stall', afterFrames: 2 });
    const controller = new AbortController();
    const res = await request(`${upstreams.baseUrlFor('test')}/stream`, { signal: controller.signal });
    let received = '';
    for await (const chunk of res.body) {
      received += chunk.toString();
      if (received === FRAMES.slice(0, 2).join('')) break;
    }
    expect(received).toBe(FRAMES.slice(0, 2).join(''));
    controller.abort();
    await upstreams.waitForAbort();
    expect(upstreams.aborted).toBe(1);
  });

  it('resolves waitForAbort() for an abort that already happened', async () => {
    upstreams.enqueueFault('test', { kind: 'slow-first-byte', ms: 600_000 });
    const controller = new AbortController();
    const arrived = reached();
    const pending = fetch(`${upstreams.baseUrlFor('test')}/json`, { signal: controller.signal });
    await arrived;
    controller.abort();
    await expect(pending).rejects.toThrow();
    await upstreams.waitForAbort();
    expect(upstreams.aborted).toBe(1);
    // The next waiter needs a new abort: a second stalled call aborted later resolves it.
    const next = upstreams.waitForAbort();
    upstreams.enqueueFault('test', { kind: 'stall', afterFrames: 0 });
    const second = new AbortController();
    const res = await request(`${upstreams.baseUrlFor('test')}/stream`, { signal: second.signal });
    second.abort();
    await expect(res.body.text()).rejects.toThrow();
    await next;
    expect(upstreams.aborted).toBe(2);
  });

  it('ends a stalled stream when stalls are released', async () => {
    upstreams.enqueueFault('test', { kind: 'stall', afterFrames: 1 });
    const res = await request(`${upstreams.baseUrlFor('test')}/stream`);
    const iterator = res.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(String(first.value)).toBe(FRAMES[0]);
    upstreams.releaseStalls();
    expect((await iterator.next()).done).toBe(true);
    expect(upstreams.aborted).toBe(0);
  });

  it('breaks the socket after N frames, which the client sees as an error (not counted as an abort)', async () => {
    upstreams.enqueueFault('test', { kind: 'break', afterFrames: 2 });
    const res = await fetch(`${upstreams.baseUrlFor('test')}/stream`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow(/terminated/);
    expect(upstreams.aborted).toBe(0);
  });

  it('truncates a stream cleanly after N frames, without the end marker', async () => {
    upstreams.enqueueFault('test', { kind: 'truncate', afterFrames: 3 });
    const text = await (await fetch(`${upstreams.baseUrlFor('test')}/stream`)).text();
    expect(text).toBe(FRAMES.slice(0, 3).join(''));
    expect(text).not.toContain('[DONE]');
  });

  it('applies truncate and break to JSON bodies as half a body', async () => {
    upstreams.enqueueFault('test', { kind: 'truncate', afterFrames: 0 });
    const truncated = await (await fetch(`${upstreams.baseUrlFor('test')}/json`)).text();
    expect(truncated.length).toBeGreaterThan(0);
    expect(() => JSON.parse(truncated)).toThrow();
    upstreams.enqueueFault('test', { kind: 'break', afterFrames: 0 });
    const broken = await fetch(`${upstreams.baseUrlFor('test')}/json`);
    await expect(broken.text()).rejects.toThrow();
  });

  it('stalls a JSON body after its headers until released', async () => {
    upstreams.enqueueFault('test', { kind: 'stall', afterFrames: 0 });
    const res = await request(`${upstreams.baseUrlFor('test')}/json`);
    expect(res.statusCode).toBe(200);
    const body = res.body.text();
    upstreams.releaseStalls();
    expect(await body).toBe('');
  });

  it('reset() clears calls, queued faults and the abort count', async () => {
    upstreams.enqueueFault('test', { kind: 'error', status: 500, body: 'x' });
    await fetch(`${upstreams.baseUrlFor('test')}/nothing-here`);
    upstreams.enqueueFault('test', { kind: 'error', status: 500, body: 'x' });
    upstreams.reset();
    expect(upstreams.calls).toHaveLength(0);
    expect((await fetch(`${upstreams.baseUrlFor('test')}/json`)).status).toBe(200);
    expect(upstreams.aborted).toBe(0);
  });
});

describe('mock upstream shutdown', () => {
  it('close() destroys stalled connections', async () => {
    const own = await startMockUpstreams({ providers: { test: testProvider } });
    own.enqueueFault('test', { kind: 'stall', afterFrames: 1 });
    const res = await request(`${own.baseUrlFor('test')}/stream`);
    const body = res.body.text();
    await own.close();
    await expect(body).rejects.toThrow();
    expect(own.aborted).toBe(0);
  });
});
