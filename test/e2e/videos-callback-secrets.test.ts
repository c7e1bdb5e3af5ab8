/**
 * Each user signs nothing but receives callbacks signed with a secret of their own, shown (and rotated) in
 * their dashboard: one tenant can verify its callbacks and forge no one else's.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCallbackSignature } from '../../src/jobs/callback-signature.js';
import { dialects } from '../support/databases.js';
import { DashboardClient } from '../support/dashboard-test-app.js';
import { createMediaTestSetup, MEDIA_TEST_PASSWORD, startMediaGateway, type MediaTestGateway, type MediaTestSetup, type MediaTestUser } from '../support/media-test-gateway.js';

const POLL_GAP_MS = 61_000;

interface Delivery {
  id: string;
  body: string;
  signature: string;
}

async function startReceiver(): Promise<{ server: Server; url: string; received: Delivery[] }> {
  const received: Delivery[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ id: String(req.headers['x-tokenhub-delivery']), body, signature: String(req.headers['x-tokenhub-signature']) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/video`, received };
}

describe.each(dialects)('per-user callback signing secrets on %s', (dialect) => {
  let setup: MediaTestSetup;
  let t: MediaTestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const dashboards = new Map<string, DashboardClient>();

  beforeAll(async () => {
    setup = await createMediaTestSetup(dialect);
    t = await startMediaGateway(setup);
    receiver = await startReceiver();
    for (const user of [t.owner, t.other]) {
      const dashboard = new DashboardClient(t.gateway.app);
      expect((await dashboard.login(user.email, MEDIA_TEST_PASSWORD)).statusCode).toBe(200);
      dashboards.set(user.userId, dashboard);
    }
  });
  afterAll(async () => {
    await t?.stop();
    await setup?.dispose();
    receiver?.server.closeAllConnections();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  const dashboardOf = (user: MediaTestUser) => dashboards.get(user.userId)!;

  async function secretOf(user: MediaTestUser): Promise<string> {
    const response = await dashboardOf(user).request({ method: 'GET', url: '/api/dashboard/callback-secret' });
    expect(response.statusCode).toBe(200);
    return (response.json() as { secret: string }).secret;
  }

  /** Submits a task with a callback for `user`, finishes it, delivers the callback and returns the delivery. */
  async function deliveryFor(user: MediaTestUser): Promise<Delivery> {
    const submitted = await t.http('POST', '/api/v1/videos/generations', { model: 'kling/kling-v2.6', prompt: 'Call me', callback_url: receiver.url }, user.apiKey);
    expect(submitted.status).toBe(200);
    t.tasks.advance(t.tasks.tasks.at(-1)!.id, 'succeeded');
    t.clock.advance(POLL_GAP_MS);
    await t.media.poller.tick();
    await t.media.callbacks.tick();
    const delivery = receiver.received.find((d) => d.id === submitted.body.id);
    expect(delivery).toBeDefined();
    return delivery!;
  }

  const verifies = (secret: string, delivery: Delivery) => verifyCallbackSignature(secret, delivery.body, delivery.signature, Math.floor(t.clock.now() / 1000), 7_200);

  it('shows each user a secret of their own, the same on every visit', async () => {
    const mine = await secretOf(t.owner);
    const theirs = await secretOf(t.other);
    expect(mine).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(theirs).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(mine).not.toBe(theirs);
    expect(await secretOf(t.owner)).toBe(mine);
  });

  it("signs each user's callbacks with that user's secret, which verifies no one else's", async () => {
    const mine = await deliveryFor(t.owner);
    const theirs = await deliveryFor(t.other);
    expect(verifies(await secretOf(t.owner), mine)).toBe(true);
    expect(verifies(await secretOf(t.other), theirs)).toBe(true);
    expect(verifies(await secretOf(t.other), mine)).toBe(false);
    expect(verifies(await secretOf(t.owner), theirs)).toBe(false);
  });

  it('rotates a secret: later callbacks verify with the new one only, and the other user keeps theirs', async () => {
    const before = await secretOf(t.owner);
    const othersBefore = await secretOf(t.other);
    const rotated = await dashboardOf(t.owner).request({ method: 'POST', url: '/api/dashboard/callback-secret/rotate' });
    expect(rotated.statusCode).toBe(200);
    const after = (rotated.json() as { secret: string }).secret;
    expect(after).toMatch(/^whsec_/);
    expect(after).not.toBe(before);
    expect(await secretOf(t.owner)).toBe(after);
    expect(await secretOf(t.other)).toBe(othersBefore);
    const delivery = await deliveryFor(t.owner);
    expect(verifies(after, delivery)).toBe(true);
    expect(verifies(before, delivery)).toBe(false);
  });

  it('needs the dashboard session (with its CSRF token to rotate); an API key reads nothing', async () => {
    const byKey = await t.http('GET', '/api/dashboard/callback-secret');
    expect(byKey.status).toBe(401);
    const before = await secretOf(t.owner);
    const withoutCsrf = await dashboardOf(t.owner).request({ method: 'POST', url: '/api/dashboard/callback-secret/rotate', csrf: false });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(await secretOf(t.owner)).toBe(before);
  });

  it('gives a new user one secret even when their first views arrive together', async () => {
    const user = await t.gateway.users.create({ email: `fresh-${Math.random().toString(36).slice(2)}@example.com`, password: MEDIA_TEST_PASSWORD });
    const dashboard = new DashboardClient(t.gateway.app);
    await dashboard.login(user.email, MEDIA_TEST_PASSWORD);
    const views = await Promise.all(Array.from({ length: 5 }, () => dashboard.request({ method: 'GET', url: '/api/dashboard/callback-secret' })));
    const secrets = new Set(views.map((view) => (view.json() as { secret: string }).secret));
    expect(secrets.size).toBe(1);
  });

  it('keeps the secret sealed at rest', async () => {
    const secret = await secretOf(t.owner);
    const row = await t.gateway.store.db.selectFrom('callback_secrets').selectAll().where('user_id', '=', t.owner.userId).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(secret.slice('whsec_'.length));
    expect(row.secret_enc.startsWith('v1.')).toBe(true);
  });
});
