import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/shared/clock.js';
import { copyVideoResult, createLocalResultStorage, createSignedFileUrls, deriveFileUrlKey } from '../../../src/jobs/result-storage.js';

describe('signed video URLs', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const urls = createSignedFileUrls({ key: deriveFileUrlKey(Buffer.alloc(32, 1)), ttlMs: 3_600_000, clock });

  it('verifies its own URL until it expires', () => {
    const url = new URL(urls.sign('tsk-a-0.mp4', 'https://gw.example'));
    expect(url.pathname).toBe('/api/v1/videos/files/tsk-a-0.mp4');
    const exp = url.searchParams.get('exp') ?? undefined;
    const sig = url.searchParams.get('sig') ?? undefined;
    expect(Number(exp)).toBe(Date.UTC(2026, 0, 1, 1) / 1000);
    expect(urls.verify('tsk-a-0.mp4', exp, sig)).toBe(true);
    expect(urls.verify('tsk-b-0.mp4', exp, sig)).toBe(false);
    expect(urls.verify('tsk-a-0.mp4', String(Number(exp) + 1), sig)).toBe(false);
    expect(urls.verify('tsk-a-0.mp4', exp, undefined)).toBe(false);
    clock.advance(3_600_000);
    expect(urls.verify('tsk-a-0.mp4', exp, sig)).toBe(false);
  });

  it('does not accept URLs signed with another master key', () => {
    const other = createSignedFileUrls({ key: deriveFileUrlKey(Buffer.alloc(32, 2)), ttlMs: 3_600_000, clock });
    const url = new URL(other.sign('tsk-a-0.mp4', 'https://gw.example'));
    expect(urls.verify('tsk-a-0.mp4', url.searchParams.get('exp') ?? undefined, url.searchParams.get('sig') ?? undefined)).toBe(false);
  });
});

describe('local result storage', () => {
  let dir: string;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tokenhub-results-'));
    server = createServer((req, res) => {
      if (req.url === '/moved') res.writeHead(302, { location: '/video.mp4' }).end();
      else if (req.url === '/video.mp4') res.writeHead(200, { 'content-type': 'video/mp4' }).end(Buffer.alloc(2048, 9));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const guard = { allowPrivateAddresses: true };

  it('stores a file and opens it again; unknown and unsafe names are not found', async () => {
    const storage = createLocalResultStorage(dir);
    await storage.save('tsk-x-0.mp4', Readable.from([Buffer.from('hello')]));
    const stored = await storage.open('tsk-x-0.mp4');
    expect(stored?.size).toBe(5);
    stored?.stream.destroy();
    expect(await storage.open('tsk-y-0.mp4')).toBeUndefined();
    expect(await storage.open('../secret.key')).toBeUndefined();
    await expect(storage.save('../escape.mp4', Readable.from([Buffer.from('x')]))).rejects.toThrow(/Not a stored file name/);
  });

  it('copies a video through a redirect', async () => {
    const storage = createLocalResultStorage(dir);
    await copyVideoResult(`${origin}/moved`, 'tsk-copy-0.mp4', storage, { guard, maxBytes: 4096, timeoutMs: 5_000 });
    expect(readFileSync(path.join(dir, 'tsk-copy-0.mp4'))).toEqual(Buffer.alloc(2048, 9));
  });

  it('refuses a video over the size limit, an error status and an internal address, leaving no file behind', async () => {
    const storage = createLocalResultStorage(dir);
    await expect(copyVideoResult(`${origin}/video.mp4`, 'tsk-big-0.mp4', storage, { guard, maxBytes: 1024, timeoutMs: 5_000 })).rejects.toThrow(/larger than 1024/);
    await expect(copyVideoResult(`${origin}/missing.mp4`, 'tsk-gone-0.mp4', storage, { guard, maxBytes: 4096, timeoutMs: 5_000 })).rejects.toThrow(/HTTP 404/);
    await expect(copyVideoResult(`${origin}/video.mp4`, 'tsk-ssrf-0.mp4', storage, { guard: { allowPrivateAddresses: false }, maxBytes: 4096, timeoutMs: 5_000 })).rejects.toThrow(/loopback/);
    expect(readdirSync(dir).filter((name) => /big|gone|ssrf|\.part$/.test(name))).toEqual([]);
  });
});
