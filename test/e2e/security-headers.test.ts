/**
 * The dashboard's pages and files carry a Content-Security-Policy that forbids framing and foreign scripts,
 * nosniff and a Referrer-Policy; HSTS only when the request came over HTTPS (here: a trusted proxy says so).
 * The CSP is one the built dashboard runs under: test/browser/dashboard-csp.test.ts loads it in Chromium.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

describe('dashboard security headers', () => {
  let t: TestGateway;
  const webRoot = mkdtempSync(path.join(tmpdir(), 'tokenhub-web-'));

  beforeAll(async () => {
    mkdirSync(path.join(webRoot, 'assets'));
    writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/index-abc.js"></script>');
    writeFileSync(path.join(webRoot, 'assets', 'index-abc.js'), 'console.log(1)');
    t = await startTestGateway({ providers: ['openai'], config: { webRoot, trustProxy: true } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  async function headersOf(url: string, headers: Record<string, string> = {}) {
    const res = await request(`${t.url}${url}`, { headers });
    await res.body.dump();
    return res.headers;
  }

  it('sends CSP with frame-ancestors none, nosniff and a Referrer-Policy on pages and assets', async () => {
    for (const url of ['/', '/keys', '/assets/index-abc.js']) {
      const headers = await headersOf(url);
      const csp = String(headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("object-src 'none'");
      expect(csp, url).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(headers['x-content-type-options'], url).toBe('nosniff');
      expect(headers['referrer-policy'], url).toBe('strict-origin-when-cross-origin');
      expect(headers['x-frame-options'], url).toBe('DENY');
      expect(headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('adds HSTS only when the request came over HTTPS', async () => {
    const headers = await headersOf('/', { 'x-forwarded-proto': 'https' });
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});
