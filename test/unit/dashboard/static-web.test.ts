import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../../src/api/error-handler.js';
import { registerStaticWeb, resolveStaticFile } from '../../../src/api/static-web.js';

describe('dashboard static files', () => {
  let root: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'tokenhub-web-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(root, 'favicon.svg'), '<svg/>');
    app = Fastify({ logger: false });
    installErrorHandling(app);
    app.get('/api/v1/models', async () => ({ object: 'list', data: [] }));
    await registerStaticWeb(app, { root });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / and for client-side routes, never cached', async () => {
    for (const url of ['/', '/keys', '/admin/users?q=x', '/dashboard/billing?checkout=success']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('id="root"');
    }
  });

  it('serves hashed assets with a long cache and other files as they are', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe('console.log(1)');
    expect((await app.inject({ method: 'GET', url: '/favicon.svg' })).headers['content-type']).toContain('image/svg+xml');
  });

  it('keeps unknown /api paths a JSON 404 and leaves real API routes alone', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    expect((await app.inject({ method: 'GET', url: '/api/v1/models' })).json()).toEqual({ object: 'list', data: [] });
  });

  it('never serves a file outside the build folder', async () => {
    expect(resolveStaticFile(root, '/../../etc/passwd')).toBeUndefined();
    expect(resolveStaticFile(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeUndefined();
    expect(resolveStaticFile(root, '/assets/%00x')).toBeUndefined();
    const response = await app.inject({ method: 'GET', url: '/..%2f..%2fetc%2fpasswd' });
    expect(response.body).toContain('id="root"');
  });

  it('says how to build the dashboard when it has not been built', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'tokenhub-web-empty-'));
    const bare = Fastify({ logger: false });
    await registerStaticWeb(bare, { root: empty });
    const response = await bare.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build:web');
    await bare.close();
    rmSync(empty, { recursive: true, force: true });
  });
});
