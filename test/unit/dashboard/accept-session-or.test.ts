import Fastify, { type FastifyInstance, type preHandlerHookHandler } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionService } from '../../../src/accounts/sessions.js';
import { createUserService } from '../../../src/accounts/users.js';
import { acceptSessionOr, createSessionAuth } from '../../../src/api/dashboard/session-auth.js';
import { installErrorHandling } from '../../../src/api/error-handler.js';
import { GatewayError } from '../../../src/shared/errors.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { openStore, type Store } from '../../../src/store/db.js';

/** Stands in for the API-key guard: accepts `Authorization: Bearer good`. */
const keyGuard: preHandlerHookHandler = async (request) => {
  if (request.headers.authorization !== 'Bearer good') throw new GatewayError('invalid_api_key');
  request.auth = { userId: 'usr_key', role: 'user', groupId: 'default', via: 'api_key' };
};

describe('routes that accept a dashboard session or an API key', () => {
  let store: Store;
  let app: FastifyInstance;
  let userCookie: string;
  let userCsrf: string;
  let adminCookie: string;

  beforeAll(async () => {
    store = await openStore({ sqliteFile: ':memory:' });
    const clock = new ManualClock();
    const users = createUserService(store.db, clock);
    const sessions = createSessionService(store.db, clock);
    const sessionAuth = createSessionAuth({ sessions });
    const user = await users.create({ email: 'u@example.com', password: 'long enough password' });
    const admin = await users.create({ email: 'a@example.com', password: 'long enough password', role: 'admin' });
    const userSession = await sessions.create(user.id);
    userCookie = `th_session=${userSession.token}`;
    userCsrf = userSession.csrfToken;
    adminCookie = `th_session=${(await sessions.create(admin.id)).token}`;
    app = Fastify({ logger: false });
    installErrorHandling(app);
    const who = async (request: { auth?: { via: string; userId: string } }) => ({ via: request.auth?.via, user: request.auth?.userId });
    app.get('/any', { preHandler: acceptSessionOr(sessionAuth, keyGuard) }, who);
    app.post('/any', { preHandler: acceptSessionOr(sessionAuth, keyGuard) }, who);
    app.get('/admin', { preHandler: acceptSessionOr(sessionAuth, keyGuard, { adminOnly: true }) }, who);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('lets a session through as via "session", and a key as via "api_key"', async () => {
    expect((await app.inject({ method: 'GET', url: '/any', headers: { cookie: userCookie } })).json()).toMatchObject({ via: 'session' });
    expect((await app.inject({ method: 'GET', url: '/any', headers: { authorization: 'Bearer good' } })).json()).toEqual({ via: 'api_key', user: 'usr_key' });
  });

  it('prefers an explicit key over the cookie, and refuses neither-nor', async () => {
    const both = await app.inject({ method: 'GET', url: '/any', headers: { cookie: userCookie, authorization: 'Bearer bad' } });
    expect(both.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/any' })).statusCode).toBe(401);
  });

  it('asks a cookie-authenticated write for the CSRF token', async () => {
    expect((await app.inject({ method: 'POST', url: '/any', headers: { cookie: userCookie }, payload: {} })).statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/any', headers: { cookie: userCookie, 'x-csrf-token': userCsrf }, payload: {} });
    expect(ok.json()).toMatchObject({ via: 'session' });
  });

  it('lets only an admin session through the admin guard', async () => {
    expect((await app.inject({ method: 'GET', url: '/admin', headers: { cookie: userCookie } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/admin', headers: { cookie: adminCookie } })).json()).toMatchObject({ via: 'session' });
  });
});
