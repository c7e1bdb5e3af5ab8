/**
 * What the gateway does with a request body before it is sure it wants it: the key is checked from the headers
 * before a byte of the body is read, callers without credentials may send only small bodies, and a refusal sent
 * while the client is still uploading reaches that client instead of a reset connection.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const MiB = 1024 * 1024;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Sends a POST whose headers announce `declaredBytes` (or chunked when undefined) and then uploads `sendBytes`
 * of JSON-ish filler, as fast as the socket takes it; resolves with the first complete answer. Write errors
 * after the answer arrived (the server closing an upload it refused) are expected and ignored.
 */
function upload(url: string, options: { headers?: Record<string, string>; declaredBytes?: number; sendBytes: number; endUpload?: boolean }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.declaredBytes !== undefined) headers['content-length'] = String(options.declaredBytes);
    const request = http.request(url, { method: 'POST', headers, agent: false });
    let answered = false;
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        answered = true;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', (error) => {
        if (!answered) reject(error);
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < options.sendBytes && !request.destroyed) {
        const size = Math.min(chunk.length, options.sendBytes - sent);
        sent += size;
        if (!request.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
          request.once('drain', pump);
          return;
        }
      }
      if (options.endUpload !== false && !request.destroyed) request.end();
    };
    pump();
  });
}

describe('request bodies', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ providers: ['deepseek'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('a key is checked before the body is read', () => {
    it.each([
      ['no credentials', {}],
      ['a wrong key', { authorization: 'Bearer th-not-a-real-key' }],
      ['something that is no key', { authorization: 'Bearer sk-elsewhere' }],
    ])('%s on /api/v1 gets its 401 while the 2 MB body is still unsent', async (_name, headers) => {
      // Only the first KiB of the announced body is ever sent: the answer must not wait for the rest.
      const answer = await upload(`${t.baseURL}/chat/completions`, { headers, declaredBytes: 2 * MiB, sendBytes: 1024, endUpload: false });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { type: 'authentication_error' } });
    });

    it('admin routes check their token before the body too', async () => {
      const answer = await upload(`${t.url}/api/admin/users`, { headers: { authorization: 'Bearer wrong-admin-token' }, declaredBytes: 2 * MiB, sendBytes: 1024, endUpload: false });
      expect(answer.status).toBe(401);
    });

    it('account routes that take a key or a session check them before the body too', async () => {
      const answer = await upload(`${t.url}/api/billing/redeem`, { declaredBytes: 2 * MiB, sendBytes: 1024, endUpload: false });
      expect(answer.status).toBe(401);
    });

    it('a valid key still gets the full body limit', async () => {
      const content = 'word '.repeat(60_000);
      const response = await fetch(`${t.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'deepseek/deepseek-chat', max_tokens: 16, messages: [{ role: 'user', content }] }),
      });
      expect(response.status).toBe(200);
    });
  });

  describe('routes without credentials take small bodies only', () => {
    it('a 100 KiB login attempt is refused with 413', async () => {
      const response = await fetch(`${t.url}/api/dashboard/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: t.url },
        body: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(100 * 1024) }),
      });
      expect(response.status).toBe(413);
    });

    it('the Stripe webhook, whose signature covers its body, takes up to 1 MiB', async () => {
      const post = (bytes: number) =>
        fetch(`${t.url}/api/billing/stripe/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"pad":"${'x'.repeat(bytes)}"}` });
      expect((await post(200 * 1024)).status).not.toBe(413);
      expect((await post(2 * MiB)).status).toBe(413);
    });

    it('an ordinary login still works', async () => {
      const response = await fetch(`${t.url}/api/dashboard/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: t.url },
        body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong password' }),
      });
      expect(response.status).toBe(401);
    });
  });

  describe('a refused upload is answered, not reset', () => {
    it('an 80 MiB body announced by Content-Length gets its 413 with Connection: close', async () => {
      const answer = await upload(`${t.baseURL}/chat/completions`, { headers: { authorization: `Bearer ${t.apiKey}` }, declaredBytes: 80 * MiB, sendBytes: 80 * MiB });
      expect(answer.status).toBe(413);
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    });

    it('an 80 MiB chunked body gets its 413 once it passes the limit', async () => {
      const answer = await upload(`${t.baseURL}/chat/completions`, { headers: { authorization: `Bearer ${t.apiKey}` }, sendBytes: 80 * MiB });
      expect(answer.status).toBe(413);
      expect(answer.headers.connection).toBe('close');
    });

    it('an 80 MiB body without credentials gets its 401', async () => {
      const answer = await upload(`${t.baseURL}/chat/completions`, { declaredBytes: 80 * MiB, sendBytes: 80 * MiB });
      expect(answer.status).toBe(401);
      expect(answer.headers.connection).toBe('close');
    });

    it('the gateway keeps serving afterwards', async () => {
      const response = await fetch(`${t.url}/healthz`);
      expect(response.status).toBe(200);
    });
  });
});
