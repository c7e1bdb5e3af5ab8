import { afterEach, describe, expect, it } from 'vitest';
import { DashboardClient, startDashboardTestApp, type DashboardTestApp } from '../../support/dashboard-test-app.js';

const PASSWORD = 'correct horse battery';

describe('dashboard sign-up and log-in', () => {
  let ctx: DashboardTestApp;
  afterEach(async () => {
    await ctx.close();
  });

  it('sign-up runs the new-user hook; the log-in after it sets an HttpOnly SameSite session cookie and a CSRF token', async () => {
    ctx = await startDashboardTestApp();
    const client = new DashboardClient(ctx.app);
    const signedUp = await client.signup('New@Example.com', PASSWORD);
    expect([signedUp.statusCode, signedUp.headers['set-cookie']]).toEqual([202, undefined]);
    const response = await client.login('new@example.com', PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^th_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    expect(response.json()).toMatchObject({ user: { email: 'new@example.com', role: 'user' }, csrf_token: expect.any(String) });
    expect(ctx.createdUsers.map((u) => u.email)).toEqual(['new@example.com']);
    const session = await client.request({ method: 'GET', url: '/api/dashboard/auth/session' });
    expect(session.json()).toMatchObject({ user: { email: 'new@example.com' }, csrf_token: client.csrf });
  });

  it('marks the cookie Secure when the request came over HTTPS', async () => {
    ctx = await startDashboardTestApp();
    await ctx.users.create({ email: 'tls@example.com', password: PASSWORD });
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/api/dashboard/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: 'tls@example.com', password: PASSWORD },
    });
    expect(String(response.headers['set-cookie'])).toMatch(/; Secure$/);
  });

  it('marks the cookie Secure when the public URL is https, whatever the proxy says', async () => {
    ctx = await startDashboardTestApp({ publicUrl: 'https://ai.example.com' });
    await ctx.users.create({ email: 'public@example.com', password: PASSWORD });
    const response = await new DashboardClient(ctx.app).login('public@example.com', PASSWORD);
    expect(String(response.headers['set-cookie'])).toMatch(/; Secure$/);
    const config = await ctx.app.inject({ method: 'GET', url: '/api/dashboard/config' });
    expect(config.json().api_base_url).toBe('https://ai.example.com/api/v1');
  });

  it('answers a wrong password and an unknown email with the same generic error', async () => {
    ctx = await startDashboardTestApp();
    await ctx.users.create({ email: 'known@example.com', password: PASSWORD });
    const client = new DashboardClient(ctx.app);
    const wrong = await client.login('known@example.com', 'not the password');
    const unknown = await client.login('nobody@example.com', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('answers a taken email at sign-up like a new one, without creating a second user', async () => {
    ctx = await startDashboardTestApp();
    await ctx.users.create({ email: 'taken@example.com', password: PASSWORD });
    const taken = await new DashboardClient(ctx.app).signup('taken@example.com', 'another password');
    const fresh = await new DashboardClient(ctx.app).signup('fresh@example.com', 'another password');
    expect([taken.statusCode, taken.body]).toEqual([fresh.statusCode, fresh.body]);
    expect(await ctx.users.count()).toBe(2);
    expect(ctx.createdUsers.map((u) => u.email)).toEqual(['fresh@example.com']);
  });

  it('slows guesses at an account from one address with growing delays, never locking the owner out', async () => {
    ctx = await startDashboardTestApp();
    await ctx.users.create({ email: 'target@example.com', password: PASSWORD });
    const attacker = new DashboardClient(ctx.app);
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const login = (client: DashboardClient, password: string, ip: string) =>
      client.request({ method: 'POST', url: '/api/dashboard/auth/login', headers: from(ip), payload: { email: 'target@example.com', password } });
    for (let i = 0; i < 5; i++) expect((await login(attacker, `guess ${i}`, '198.51.100.9')).statusCode).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const refused = await login(attacker, `guess ${i}`, '198.51.100.9');
      expect(refused.statusCode).toBe(429);
      const wait = Number(refused.headers['retry-after']);
      waits.push(wait);
      ctx.clock.advance(wait * 1000);
      expect((await login(attacker, `again ${i}`, '198.51.100.9')).statusCode).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    // The owner, from their own address, logs in at once.
    expect((await login(new DashboardClient(ctx.app), PASSWORD, '203.0.113.5')).statusCode).toBe(200);
    // A long guessing run waits at most 15 minutes between tries, and an hour of quiet starts it over.
    for (let i = 0; i < 20; i++) {
      ctx.clock.advance(15 * 60_000);
      await login(attacker, `late ${i}`, '198.51.100.9');
    }
    expect(Number((await login(attacker, 'x', '198.51.100.9')).headers['retry-after'])).toBe(15 * 60);
    ctx.clock.advance(60 * 60_000);
    expect((await login(attacker, PASSWORD, '198.51.100.9')).statusCode).toBe(200);
  });

  it('limits failures per address across different emails', async () => {
    ctx = await startDashboardTestApp({ throttle: { perIp: { freeFailures: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, forgetAfterMs: 3600_000 } } });
    await ctx.users.create({ email: 'real@example.com', password: PASSWORD });
    const client = new DashboardClient(ctx.app);
    for (let i = 0; i < 3; i++) await client.login(`spray${i}@example.com`, 'password1');
    expect((await client.login('real@example.com', PASSWORD)).statusCode).toBe(429);
  });

  it('tells a disabled user so only after the right password, and ends their sessions', async () => {
    ctx = await startDashboardTestApp();
    const user = await ctx.users.create({ email: 'gone@example.com', password: PASSWORD });
    const client = new DashboardClient(ctx.app);
    expect((await client.login('gone@example.com', PASSWORD)).statusCode).toBe(200);
    await ctx.users.setStatus(user.id, 'disabled');
    expect((await client.request({ method: 'GET', url: '/api/dashboard/auth/session' })).statusCode).toBe(401);
    expect((await client.login('gone@example.com', PASSWORD)).json().error.code).toBe('user_disabled');
  });
});

describe('dashboard sign-up modes', () => {
  let ctx: DashboardTestApp;
  afterEach(async () => {
    await ctx.close();
  });

  it('closed mode refuses every sign-up and the config says so', async () => {
    ctx = await startDashboardTestApp({ signupMode: 'closed' });
    const response = await new DashboardClient(ctx.app).signup('a@example.com', PASSWORD);
    expect(response.statusCode).toBe(403);
    expect(await ctx.users.count()).toBe(0);
    const config = await ctx.app.inject({ method: 'GET', url: '/api/dashboard/config', headers: { host: 'gw.example.com' } });
    expect(config.json()).toEqual({
      signup_mode: 'closed',
      api_base_url: 'http://gw.example.com/api/v1',
      top_up: { stripe_enabled: false, min_usd: '5.00', max_usd: '10000.00', presets_usd: ['10.00', '25.00', '50.00', '100.00'] },
    });
  });

  it('invite mode needs a valid code, and each code works once', async () => {
    ctx = await startDashboardTestApp({ signupMode: 'invite' });
    const { code } = await ctx.invites.create({ note: 'for Lan' });
    const client = new DashboardClient(ctx.app);
    expect((await client.signup('lan@example.com', PASSWORD)).json().error.param).toBe('invite_code');
    expect((await client.signup('lan@example.com', PASSWORD, { invite_code: 'WRONGCODE1234567' })).statusCode).toBe(400);
    expect((await client.signup('lan@example.com', PASSWORD, { invite_code: code })).statusCode).toBe(202);
    expect((await new DashboardClient(ctx.app).signup('second@example.com', PASSWORD, { invite_code: code })).statusCode).toBe(400);
    const [invite] = await ctx.invites.list();
    expect(invite?.usedBy).toBe(ctx.createdUsers[0]?.id);
  });

  it('gives an invite back when the sign-up that claimed it fails', async () => {
    ctx = await startDashboardTestApp({ signupMode: 'invite' });
    const { code } = await ctx.invites.create({});
    const client = new DashboardClient(ctx.app);
    expect((await client.signup('short@example.com', 'short', { invite_code: code })).statusCode).toBe(400);
    expect((await client.signup('short@example.com', PASSWORD, { invite_code: code })).statusCode).toBe(202);
  });
});
