import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamClient } from '../../../src/upstream/upstream-client.js';
import { exchangeMediaRequest } from '../../../src/jobs/media-exchange.js';

/** The outcome classes decide whether a video create may be tried elsewhere or must never be sent again. */
describe('media exchange outcomes', () => {
  let server: Server;
  let origin: string;
  let closedPort: number;
  const client = createUpstreamClient({ connectMs: 2_000, firstByteMs: 10_000, idleMs: 10_000 });
  const options = { timeoutMs: 10_000, maxBytes: 1024 * 1024 };

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"cgt-1"}');
      else if (req.url === '/html') res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>');
      else if (req.url === '/cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"id":');
        setImmediate(() => res.destroy());
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads an answer with its status, text and parsed JSON (undefined when not JSON)', async () => {
    expect(await exchangeMediaRequest(client, { method: 'POST', url: `${origin}/ok`, headers: {} }, options)).toMatchObject({
      kind: 'answered',
      status: 201,
      json: { id: 'cgt-1' },
    });
    expect(await exchangeMediaRequest(client, { method: 'GET', url: `${origin}/html`, headers: {} }, options)).toMatchObject({
      kind: 'answered',
      status: 502,
      text: '<html>Bad gateway</html>',
      json: undefined,
    });
  });

  it('knows a refused connection never reached the upstream', async () => {
    const result = await exchangeMediaRequest(client, { method: 'POST', url: `http://127.0.0.1:${closedPort}/x`, headers: {} }, options);
    expect(result).toMatchObject({ kind: 'not_sent', error: { code: 'upstream_unavailable' } });
  });

  it('treats an answer cut off mid-body as lost: the request may have taken effect', async () => {
    const result = await exchangeMediaRequest(client, { method: 'POST', url: `${origin}/cut`, headers: {} }, options);
    expect(result.kind).toBe('lost');
  });
});
