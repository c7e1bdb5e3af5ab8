import { afterEach, describe, expect, it } from 'vitest';
import { DashboardClient, startDashboardTestApp, type DashboardTestApp } from '../../support/dashboard-test-app.js';

const PASSWORD = 'correct horse battery';
const newKey = { method: 'POST' as const, url: '/api/dashboard/keys', payload: { name: 'laptop' } };

describe('dashboard session security', () => {
  let ctx: DashboardTestApp;
  afterEach(async () => {
    await ctx.close();
  });

  async function loggedIn(email = 'me@example.com'): Promise<DashboardClient> {
    await ctx.users.create({ email, password: PASSWORD });
    const client = new DashboardClient(ctx.app);
    expect((await client.login(email, PASSWORD)).statusCode).toBe(200);
    return client;
  }

  it('refuses a state-changing call without the CSRF token, or with another session\'s token', async () => {
    ctx = await startDashboardTestApp();
    const client = await loggedIn();
    const other = await loggedIn('other@example.com');
    expect((await client.request({ ...newKey, csrf: false })).statusCode).toBe(403);
    expect((await client.request({ ...newKey, csrf: false, headers: { 'x-csrf-token': other.csrf ?? '' } })).statusCode).toBe(403);
    expect((await client.request(newKey)).statusCode).toBe(201);
  });

  it('refuses a cross-site request even with the token', async () => {
    ctx = await startDashboardTestApp();
    const client = await loggedIn();
    const crossSite = await client.request({ ...newKey, headers: { origin: 'https://evil.example', host: 'gw.example.com' } });
    expect(crossSite.statusCode).toBe(403);
    const fetchSite = await client.request({ ...newKey, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(fetchSite.statusCode).toBe(403);
    const sameSite = await client.request({ ...newKey, headers: { origin: 'http://gw.example.com', host: 'gw.example.com' } });
    expect(sameSite.statusCode).toBe(201);
  });

  it('refuses a cross-site log-in form', async () => {
    ctx = await startDashboardTestApp();
    await ctx.users.create({ email: 'me@example.com', password: PASSWORD });
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/dashboard/auth/login',
      headers: { origin: 'https://evil.example', host: 'gw.example.com' },
      payload: { email: 'me@example.com', password: PASSWORD },
    });
    expect(response.statusCode).toBe(403);
  });

  it('log-out revokes the session server-side, so the old cookie stops working', async () => {
    ctx = await startDashboardTestApp();
    const client = await loggedIn();
    const oldCookie = client.cookie;
    const logout = await client.request({ method: 'POST', url: '/api/dashboard/auth/logout' });
    expect(logout.statusCode).toBe(200);
    expect(String(logout.headers['set-cookie'])).toContain('Max-Age=0');
    const replay = await ctx.app.inject({ method: 'GET', url: '/api/dashboard/auth/session', headers: { cookie: oldCookie ?? '' } });
    expect(replay.statusCode).toBe(401);
  });

  it('changing the password checks the old one and ends the other sessions only', async () => {
    ctx = await startDashboardTestApp();
    const laptop = await loggedIn();
    const phone = new DashboardClient(ctx.app);
    await phone.login('me@example.com', PASSWORD);
    const change = (current: string) =>
      laptop.request({ method: 'POST', url: '/api/dashboard/auth/password', payload: { current_password: current, new_password: 'a brand new secret' } });
    const wrong = await change('not it');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.param).toBe('current_password');
    const right = await change(PASSWORD);
    expect(right.json()).toEqual({ ok: true, sessions_ended: 1 });
    expect((await laptop.request({ method: 'GET', url: '/api/dashboard/auth/session' })).statusCode).toBe(200);
    expect((await phone.request({ method: 'GET', url: '/api/dashboard/auth/session' })).statusCode).toBe(401);
    expect((await new DashboardClient(ctx.app).login('me@example.com', 'a brand new secret')).statusCode).toBe(200);
  });

  it('lists the user\'s sessions and revokes one by id, but not another user\'s', async () => {
    ctx = await startDashboardTestApp();
    const laptop = await loggedIn();
    const phone = new DashboardClient(ctx.app);
    await phone.login('me@example.com', PASSWORD);
    const stranger = await loggedIn('stranger@example.com');
    const list = (await laptop.request({ method: 'GET', url: '/api/dashboard/auth/sessions' })).json().data as Array<{ id: string; current: boolean }>;
    expect(list).toHaveLength(2);
    const phoneSession = list.find((s) => !s.current);
    expect((await stranger.request({ method: 'DELETE', url: `/api/dashboard/auth/sessions/${phoneSession?.id}` })).statusCode).toBe(404);
    expect((await laptop.request({ method: 'DELETE', url: `/api/dashboard/auth/sessions/${phoneSession?.id}` })).statusCode).toBe(200);
    expect((await phone.request({ method: 'GET', url: '/api/dashboard/auth/session' })).statusCode).toBe(401);
  });

  it('a session unused for a week ends', async () => {
    ctx = await startDashboardTestApp();
    const client = await loggedIn();
    ctx.clock.advance(6 * 86_400_000);
    expect((await client.request({ method: 'GET', url: '/api/dashboard/auth/session' })).statusCode).toBe(200);
    ctx.clock.advance(7 * 86_400_000 + 1);
    expect((await client.request({ method: 'GET', url: '/api/dashboard/auth/session' })).statusCode).toBe(401);
  });

  it('a session in daily use still ends thirty days after log-in', async () => {
    ctx = await startDashboardTestApp();
    const client = await loggedIn();
    for (let day = 1; day < 30; day++) {
      ctx.clock.advance(86_400_000);
      expect((await client.request({ method: 'GET', url: '/api/dashboard/auth/session' })).statusCode).toBe(200);
    }
    ctx.clock.advance(86_400_000);
    expect((await client.request({ method: 'GET', url: '/api/dashboard/auth/session' })).statusCode).toBe(401);
  });

  it('an API key in the Authorization header is not a dashboard session', async () => {
    ctx = await startDashboardTestApp();
    const client = await loggedIn();
    const response = await client.request({ method: 'GET', url: '/api/dashboard/keys', headers: { authorization: 'Bearer th-something' } });
    expect(response.statusCode).toBe(401);
  });
});
