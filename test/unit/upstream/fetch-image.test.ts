import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageFetcher } from '../../../src/upstream/fetch-image.js';
import type { ResolvedAddress } from '../../../src/upstream/public-url.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

let server: Server;
let origin: string;
let port: number;
const sockets = new Set<Socket>();
const hits: Record<string, number> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    switch (path) {
      case '/cat.png':
        res.writeHead(200, { 'content-type': 'image/png; charset=binary' }).end(PNG);
        return;
      case '/photo.jpg':
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(PNG);
        return;
      case '/page.html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
        return;
      case '/big-chunked':
        // No content-length: the limit must hold while the body streams.
        res.writeHead(200, { 'content-type': 'image/png' });
        for (let i = 0; i < 20; i++) res.write(Buffer.alloc(100, i));
        res.end();
        return;
      case '/big-declared':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': '5000' }).end(Buffer.alloc(5000));
        return;
      case '/missing.png':
        res.writeHead(404, { 'content-type': 'text/plain' }).end('nope');
        return;
      case '/redirect-ok':
        res.writeHead(302, { location: '/cat.png' }).end();
        return;
      case '/redirect-metadata':
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      case '/redirect-metadata-name':
        res.writeHead(301, { location: 'http://metadata.google.internal/computeMetadata/v1/' }).end();
        return;
      case '/redirect-link-local-host':
        res.writeHead(307, { location: `http://inner.test:${port}/cat.png` }).end();
        return;
      case '/redirect-loop':
        res.writeHead(302, { location: '/redirect-loop' }).end();
        return;
      case '/redirect-ftp':
        res.writeHead(302, { location: 'ftp://files.example/cat.png' }).end();
        return;
      case '/hang':
        return; // never answers
      default:
        res.writeHead(404).end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Fake DNS: a table of hostnames, with a record of every question asked. */
function fakeLookup(table: Record<string, string[]>, asked: string[] = []) {
  return async (host: string): Promise<ResolvedAddress[]> => {
    asked.push(host);
    return (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const strict = createImageFetcher({
  maxBytes: 1000,
  timeoutMs: 2000,
  lookup: fakeLookup({ 'evil.test': ['10.0.0.7'], 'mixed.test': ['93.184.216.34', '127.0.0.1'], localhost: ['127.0.0.1', '::1'] }),
});
const local = (options: { maxBytes?: number; timeoutMs?: number; allowedContentTypes?: string[] } = {}) =>
  createImageFetcher({
    maxBytes: options.maxBytes ?? 1000,
    timeoutMs: options.timeoutMs ?? 2000,
    allowPrivateAddresses: true,
    lookup: fakeLookup({ 'images.test': ['127.0.0.1'], 'inner.test': ['169.254.10.10'] }),
    ...(options.allowedContentTypes !== undefined ? { allowedContentTypes: options.allowedContentTypes } : {}),
  });

describe('image fetcher refuses internal destinations', () => {
  it.each([
    ['ftp://files.example/cat.png', 'http or https'],
    ['file:///etc/passwd', 'http or https'],
    ['not a url', 'not a valid URL'],
    ['http://127.0.0.1/x.png', 'loopback'],
    ['http://127.8.9.10/x.png', 'loopback'],
    ['http://2130706433/x.png', 'loopback'],
    ['http://0x7f.1/x.png', 'loopback'],
    ['http://[::1]/x.png', 'loopback'],
    ['http://[::ffff:127.0.0.1]/x.png', 'loopback'],
    ['http://10.1.2.3/x.png', 'private'],
    ['http://172.16.0.1/x.png', 'private'],
    ['http://172.31.255.255/x.png', 'private'],
    ['http://192.168.1.1/x.png', 'private'],
    ['http://[fc00::1]/x.png', 'private'],
    ['http://[fd12:3456::1]/x.png', 'private'],
    ['http://[64:ff9b::10.0.0.1]/x.png', 'private'],
    ['http://[2002:a00:1::]/x.png', 'private'],
    ['http://169.254.1.1/x.png', 'link-local'],
    ['http://[fe80::1]/x.png', 'link-local'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[::ffff:a9fe:a9fe]/', 'metadata'],
    ['http://[::ffff:0:a9fe:a9fe]/', 'metadata'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'metadata'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://METADATA.GOOGLE.INTERNAL./x', 'metadata'],
    ['http://0.0.0.0/x.png', 'unspecified'],
    ['http://[::]/x.png', 'unspecified'],
    ['http://100.64.0.1/x.png', 'cgnat'],
    ['http://100.127.255.254/x.png', 'cgnat'],
    ['http://224.0.0.1/x.png', 'multicast'],
    ['http://evil.test/x.png', 'private'],
    ['http://mixed.test/x.png', 'loopback'],
    ['http://localhost/x.png', 'loopback'],
    ['http://unknown.test/x.png', 'did not resolve'],
  ])('%s → refused (%s)', async (url, reason) => {
    await expect(strict(url)).rejects.toMatchObject({ code: 'image_fetch_failed', status: 400, message: expect.stringContaining(reason) });
  });

  it('still refuses metadata and link-local addresses when private addresses are allowed', async () => {
    await expect(local()('http://169.254.169.254/latest/meta-data/')).rejects.toMatchObject({ message: expect.stringContaining('metadata') });
    await expect(local()('http://[fe80::1]/x.png')).rejects.toMatchObject({ message: expect.stringContaining('link-local') });
  });
});

describe('image fetcher against a local server (private addresses allowed for the test)', () => {
  it('returns the image as base64 with its MIME type', async () => {
    await expect(local()(`${origin}/cat.png`)).resolves.toEqual({ mimeType: 'image/png', data: PNG.toString('base64') });
  });

  it('connects to the address it checked, resolving the name only once', async () => {
    const asked: string[] = [];
    let answers = 0;
    const rebinding = createImageFetcher({
      maxBytes: 1000,
      timeoutMs: 2000,
      allowPrivateAddresses: true,
      lookup: async (host) => {
        asked.push(host);
        // A rebinding resolver: the first answer passes the check, later ones point at the metadata service.
        return [{ address: answers++ === 0 ? '127.0.0.1' : '169.254.169.254', family: 4 }];
      },
    });
    await expect(rebinding(`http://images.test:${port}/cat.png`)).resolves.toMatchObject({ mimeType: 'image/png' });
    expect(asked).toEqual(['images.test']);
  });

  it('follows a redirect to an allowed address', async () => {
    await expect(local()(`${origin}/redirect-ok`)).resolves.toMatchObject({ mimeType: 'image/png' });
  });

  it.each([
    ['/redirect-metadata', 'metadata'],
    ['/redirect-metadata-name', 'metadata'],
    ['/redirect-link-local-host', 'link-local'],
    ['/redirect-ftp', 'http or https'],
  ])('checks the redirect hop of %s again (%s)', async (path, reason) => {
    await expect(local()(`${origin}${path}`)).rejects.toMatchObject({ code: 'image_fetch_failed', message: expect.stringContaining(reason) });
  });

  it('stops after three redirects', async () => {
    hits['/redirect-loop'] = 0;
    await expect(local()(`${origin}/redirect-loop`)).rejects.toMatchObject({ message: 'The image URL redirected more than 3 times.' });
    expect(hits['/redirect-loop']).toBe(4);
  });

  it.each([
    ['/big-chunked', 'larger than 1000 bytes'],
    ['/big-declared', 'larger than 1000 bytes'],
    ['/page.html', 'content type "text/html"'],
    ['/missing.png', 'HTTP 404'],
  ])('refuses %s (%s)', async (path, reason) => {
    await expect(local()(`${origin}${path}`)).rejects.toMatchObject({ code: 'image_fetch_failed', message: expect.stringContaining(reason) });
  });

  it('accepts only the listed content types when a list is given', async () => {
    const pngOnly = local({ allowedContentTypes: ['image/png'] });
    await expect(pngOnly(`${origin}/cat.png`)).resolves.toMatchObject({ mimeType: 'image/png' });
    await expect(pngOnly(`${origin}/photo.jpg`)).rejects.toMatchObject({ message: expect.stringContaining('"image/jpeg"') });
  });

  it('refuses with the caller’s budget when it is tighter than the fetcher’s own limit', async () => {
    const budget = { maxBytes: 10, refusal: 'Only 10 bytes were left.' };
    await expect(local()(`${origin}/cat.png`, { budget })).rejects.toMatchObject({ code: 'image_fetch_failed', message: 'Only 10 bytes were left.' });
    await expect(local()(`${origin}/cat.png`, { budget: { maxBytes: 5000, refusal: 'unused' } })).resolves.toMatchObject({ mimeType: 'image/png' });
  });

  it('stops at once when the caller’s signal aborts', async () => {
    const caller = new AbortController();
    const pending = local({ timeoutMs: 60_000 })(`${origin}/hang`, { signal: caller.signal });
    caller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'image_fetch_failed', message: 'The image fetch was stopped before it finished.' });
  });

  it('gives up on a server that never answers', async () => {
    await expect(local({ timeoutMs: 150 })(`${origin}/hang`)).rejects.toMatchObject({
      code: 'image_fetch_failed',
      message: 'The image URL did not answer within 150 ms.',
    });
  });
});
