import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { headerGuard, installGuardsBeforeBody, UNAUTHENTICATED_BODY_LIMIT_BYTES } from '../../../src/api/guards-before-body.js';

describe('guards before the body', () => {
  let app: FastifyInstance;
  let bodiesParsed: number;

  async function build(register: (app: FastifyInstance) => void): Promise<FastifyInstance> {
    app = Fastify();
    bodiesParsed = 0;
    installGuardsBeforeBody(app);
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      bodiesParsed++;
      done(null, JSON.parse(body as string));
    });
    register(app);
    await app.ready();
    return app;
  }
  afterEach(async () => {
    await app?.close();
  });

  const refuse = headerGuard(async (request: { headers: Record<string, unknown> }) => {
    if (request.headers['x-key'] !== 'good') throw Object.assign(new Error('no key'), { statusCode: 401 });
  });

  it('a marked guard runs before the body is parsed, and a refusal never parses it', async () => {
    await build((a) => a.post('/guarded', { preHandler: refuse }, async (request) => ({ got: request.body })));
    const refused = await app.inject({ method: 'POST', url: '/guarded', payload: { a: 1 } });
    expect(refused.statusCode).toBe(401);
    expect(bodiesParsed).toBe(0);
    const allowed = await app.inject({ method: 'POST', url: '/guarded', headers: { 'x-key': 'good' }, payload: { a: 1 } });
    expect(allowed.json()).toEqual({ got: { a: 1 } });
    expect(bodiesParsed).toBe(1);
  });

  it('other preHandlers stay where they were, after the body', async () => {
    let sawBody: unknown;
    const afterBody = async (request: { body: unknown }) => {
      sawBody = request.body;
    };
    await build((a) => a.post('/mixed', { preHandler: [refuse, afterBody] }, async () => ({ ok: true })));
    await app.inject({ method: 'POST', url: '/mixed', headers: { 'x-key': 'good' }, payload: { b: 2 } });
    expect(sawBody).toEqual({ b: 2 });
  });

  it('a route without a guard takes small bodies only, unless it sets its own limit', async () => {
    await build((a) => {
      a.post('/open', async () => ({ ok: true }));
      a.post('/webhook', { bodyLimit: 1024 * 1024 }, async () => ({ ok: true }));
    });
    const big = { pad: 'x'.repeat(UNAUTHENTICATED_BODY_LIMIT_BYTES) };
    expect((await app.inject({ method: 'POST', url: '/open', payload: big })).statusCode).toBe(413);
    expect((await app.inject({ method: 'POST', url: '/open', payload: { pad: 'small' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/webhook', payload: big })).statusCode).toBe(200);
  });
});
