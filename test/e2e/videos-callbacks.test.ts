import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { verifyCallbackSignature } from '../../src/jobs/callback-signature.js';
import { dialects } from '../support/databases.js';
import { DashboardClient } from '../support/dashboard-test-app.js';
import { createMediaTestSetup, MEDIA_TEST_PASSWORD, startMediaGateway, type MediaTestGateway, type MediaTestSetup } from '../support/media-test-gateway.js';

const POLL_GAP_MS = 61_000;
const URL_TTL_MS = 60 * 60_000;

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A callback receiver that answers with the next queued status (200 once the queue is empty). */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[]; statuses: number[] }> {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/video`, received, statuses };
}

describe.each(dialects)('video callbacks and stored results on %s', (dialect) => {
  let setup: MediaTestSetup;
  let t: MediaTestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    setup = await createMediaTestSetup(dialect);
    t = await startMediaGateway(setup, { media: { storeResults: true, urlTtlMs: URL_TTL_MS } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await t?.stop();
    await setup?.dispose();
    receiver?.server.closeAllConnections();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  async function finishTask(body: Record<string, unknown>, outcome: 'succeeded' | 'failed'): Promise<string> {
    const submitted = await t.http('POST', '/api/v1/videos/generations', body);
    expect(submitted.status).toBe(200);
    t.tasks.advance(t.tasks.tasks.at(-1)!.id, outcome);
    t.clock.advance(POLL_GAP_MS);
    await t.media.poller.tick();
    return submitted.body.id as string;
  }

  it('posts the final task once, signed, retrying with backoff after a failed delivery', async () => {
    receiver.statuses.push(500);
    const id = await finishTask({ model: 'kling/kling-v2.6', prompt: 'Call me', callback_url: receiver.url }, 'succeeded');
    expect(await t.media.callbacks.tick()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    // Not due again until the backoff has passed.
    expect(await t.media.callbacks.tick()).toBe(0);
    t.clock.advance(1_000);
    expect(await t.media.callbacks.tick()).toBe(1);
    expect(receiver.received).toHaveLength(2);
    t.clock.advance(3_600_000);
    expect(await t.media.callbacks.tick()).toBe(0);
    expect(receiver.received).toHaveLength(2);

    const delivery = receiver.received[1]!;
    expect(delivery.headers['x-tokenhub-delivery']).toBe(id);
    expect(delivery.headers['x-tokenhub-event']).toBe('video.generation.finished');
    const signature = delivery.headers['x-tokenhub-signature'] as string;
    // Signed with the owner's own secret, as their dashboard shows it.
    const dashboard = new DashboardClient(t.gateway.app);
    await dashboard.login(t.owner.email, MEDIA_TEST_PASSWORD);
    const CALLBACK_SECRET = (await dashboard.request({ method: 'GET', url: '/api/dashboard/callback-secret' })).json().secret as string;
    expect(verifyCallbackSignature(CALLBACK_SECRET, delivery.body, signature, Math.floor(t.clock.now() / 1000), 7_200)).toBe(true);
    expect(verifyCallbackSignature(CALLBACK_SECRET, delivery.body.replace('succeeded', 'failed'), signature, Math.floor(t.clock.now() / 1000), 7_200)).toBe(false);
    expect(JSON.parse(delivery.body)).toMatchObject({ id, object: 'video.generation.task', status: 'succeeded', cost: 0.84, data: [{ duration: 5 }] });
    const row = await t.gateway.store.db.selectFrom('video_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ callback_state: 'delivered', callback_attempts: 2 });
  });

  it('reports a failed task to its callback as well', async () => {
    const id = await finishTask({ model: 'bytedance/doubao-seedance-1.0-pro', prompt: 'Fails', callback_url: receiver.url }, 'failed');
    const count = receiver.received.length;
    expect(await t.media.callbacks.tick()).toBe(1);
    expect(receiver.received).toHaveLength(count + 1);
    expect(JSON.parse(receiver.received.at(-1)!.body)).toMatchObject({ id, status: 'failed', error: { code: 'upstream_error' } });
  });

  it('gives a callback up after the configured number of attempts', async () => {
    receiver.statuses.push(...Array<number>(8).fill(503));
    const id = await finishTask({ model: 'alibaba/wan2.2-t2v-plus', prompt: 'Nobody home', callback_url: receiver.url }, 'succeeded');
    for (let attempt = 0; attempt < 10; attempt++) {
      await t.media.callbacks.tick();
      t.clock.advance(3_600_000);
    }
    const row = await t.gateway.store.db.selectFrom('video_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ callback_state: 'failed', callback_attempts: 8 });
  });

  it('serves the stored copy under a signed URL that expires and cannot be altered', async () => {
    const id = await finishTask({ model: 'bytedance/doubao-seedance-1.0-pro', prompt: 'Keep a copy' }, 'succeeded');
    expect(readdirSync(path.join(setup.dataDir, 'videos'))).toContain(`${id}-0.mp4`);
    const task = await t.http('GET', `/api/v1/videos/generations/${id}`);
    const videoUrl = task.body.data[0].video_url as string;
    expect(videoUrl.startsWith(`${t.url}/api/v1/videos/files/${id}-0.mp4?exp=`)).toBe(true);

    const file = await request(videoUrl);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('video/mp4');
    expect((await file.body.arrayBuffer()).byteLength).toBeGreaterThan(0);

    const otherName = await request(videoUrl.replace(`${id}-0.mp4`, 'tsk-someone-else-0.mp4'));
    expect(otherName.statusCode).toBe(404);
    await otherName.body.dump();
    const badSig = await request(videoUrl.replace(/sig=.{4}/, 'sig=AAAA'));
    expect(badSig.statusCode).toBe(404);
    await badSig.body.dump();
    t.clock.advance(URL_TTL_MS + 1_000);
    const expired = await request(videoUrl);
    expect(expired.statusCode).toBe(404);
    await expired.body.dump();
    const fresh = await t.http('GET', `/api/v1/videos/generations/${id}`);
    const again = await request(fresh.body.data[0].video_url as string);
    expect(again.statusCode).toBe(200);
    await again.body.dump();
  });
});
