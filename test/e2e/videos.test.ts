import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdToNanos } from '../../src/billing/money.js';
import { dialects } from '../support/databases.js';
import { createMediaTestSetup, startMediaGateway, type MediaTestGateway, type MediaTestSetup } from '../support/media-test-gateway.js';

const usd = usdToNanos;
/** Longer than any poll delay (the backoff caps at one minute). */
const POLL_GAP_MS = 61_000;

describe.each(dialects)('video task lifecycle on %s', (dialect) => {
  let setup: MediaTestSetup;
  let t: MediaTestGateway;

  beforeAll(async () => {
    setup = await createMediaTestSetup(dialect);
    t = await startMediaGateway(setup);
  });
  afterAll(async () => {
    await t?.stop();
    await setup?.dispose();
  });

  async function pollOnce(): Promise<number> {
    t.clock.advance(POLL_GAP_MS);
    return t.media.poller.tick();
  }

  async function balance() {
    return t.gateway.billing.getBalance(t.owner.userId);
  }

  async function requestLogRow(id: string) {
    await t.gateway.requestLog.flush();
    return t.gateway.store.db.selectFrom('request_logs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  it('runs a Seedance task from queued through running to succeeded and charges the produced seconds', async () => {
    const before = await balance();
    const submitted = await t.http('POST', '/api/v1/videos/generations', {
      model: 'bytedance/doubao-seedance-1.0-pro',
      prompt: 'A paper boat drifting down a rainy street',
      duration: 5,
      resolution: '720p',
      aspect_ratio: '16:9',
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ object: 'video.generation.task', model: 'bytedance/doubao-seedance-1.0-pro', status: 'queued', duration: 5, resolution: '720p' });
    const id = submitted.body.id as string;
    expect(id).toMatch(/^tsk-/);
    // 5 s × $0.054 at 720p is held until the task ends.
    expect((await balance()).heldNanos - before.heldNanos).toBe(usd('0.27'));

    const upstream = t.tasks.tasks.at(-1);
    expect(upstream?.provider).toBe('bytedance');
    expect(upstream?.body).toMatchObject({ model: 'seedance-1-0-pro-250528', resolution: '720p', duration: 5, ratio: '16:9' });

    t.tasks.advance(upstream!.id, 'running');
    expect(await pollOnce()).toBe(1);
    expect((await t.http('GET', `/api/v1/videos/generations/${id}`)).body.status).toBe('running');

    t.tasks.advance(upstream!.id, 'succeeded');
    expect(await pollOnce()).toBe(1);
    const done = await t.http('GET', `/api/v1/videos/generations/${id}`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id, status: 'succeeded', cost: 0.27, usage: { video_seconds: 5 } });
    expect(done.body.data).toEqual([{ video_url: expect.stringContaining(`/mock-assets/${upstream!.id}.mp4`), duration: 5, resolution: '720p' }]);

    const after = await balance();
    expect(before.balanceNanos - after.balanceNanos).toBe(usd('0.27'));
    expect(after.heldNanos).toBe(before.heldNanos);
    expect(await requestLogRow(id)).toMatchObject({ endpoint: 'videos.generations', status: 200, cost_nanos: usd('0.27'), model: 'bytedance/doubao-seedance-1.0-pro' });
    expect(await pollOnce()).toBe(0);
    expect((await t.gateway.billing.reconcile()).ok).toBe(true);
  });

  it('runs a Kling task on a signed JWT, charging the pro rate for the seconds delivered', async () => {
    const before = await balance();
    const submitted = await t.http('POST', '/api/v1/videos/generations', { model: 'kling/kling-v2.6', prompt: 'A fox in the snow', duration: 5, mode: 'pro' });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'queued', mode: 'pro', resolution: '1080p' });
    const upstream = t.tasks.tasks.at(-1)!;
    expect(upstream).toMatchObject({ provider: 'kling', path: '/v1/videos/text2video', body: { model_name: 'kling-v2-6', mode: 'pro', duration: '5' } });
    const create = t.upstreams.callsFor('kling').at(-1)!;
    // The mock only accepts a JWT signed with the channel's secret key; the access key never travels bare.
    expect(create.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);

    t.tasks.advance(upstream.id, 'succeeded', { durationSeconds: 5.1 });
    expect(await pollOnce()).toBe(1);
    const done = await t.http('GET', `/api/v1/videos/generations/${submitted.body.id}`);
    // Kling reports 5.1 s for a 5 s clip: rounded to whole seconds, 5 × $0.224.
    expect(done.body).toMatchObject({ status: 'succeeded', cost: 1.12, usage: { video_seconds: 5 } });
    expect(done.body.data[0]).toMatchObject({ duration: 5.1, resolution: '1080p' });
    expect(before.balanceNanos - (await balance()).balanceNanos).toBe(usd('1.12'));
    expect(t.upstreams.callsFor('kling').at(-1)?.path).toBe(`/v1/videos/text2video/${upstream.id}`);
  });

  it('sends Kling first and last frames to image2video and polls the task under that path', async () => {
    const submitted = await t.http('POST', '/api/v1/videos/generations', {
      model: 'kling/kling-v2.1',
      prompt: 'The flower opens',
      content: [
        { type: 'image_url', image_url: { url: 'https://example.com/bud.png' }, role: 'first_frame' },
        { type: 'image_url', image_url: { url: 'https://example.com/bloom.png' }, role: 'last_frame' },
      ],
    });
    expect(submitted.status).toBe(200);
    const upstream = t.tasks.tasks.at(-1)!;
    expect(upstream).toMatchObject({ path: '/v1/videos/image2video', body: { image: 'https://example.com/bud.png', image_tail: 'https://example.com/bloom.png', mode: 'std' } });
    t.tasks.advance(upstream.id, 'succeeded');
    await pollOnce();
    expect(t.upstreams.callsFor('kling').at(-1)?.path).toBe(`/v1/videos/image2video/${upstream.id}`);
    // std mode, 5 s × $0.168.
    expect((await t.http('GET', `/api/v1/videos/generations/${submitted.body.id}`)).body).toMatchObject({ status: 'succeeded', cost: 0.84, resolution: '720p' });
  });

  it('charges the requested duration when the upstream delivers more than was asked for', async () => {
    const before = await balance();
    const submitted = await t.http('POST', '/api/v1/videos/generations', { model: 'kling/kling-v2.6', prompt: 'Waves', duration: 5 });
    t.tasks.advance(t.tasks.tasks.at(-1)!.id, 'succeeded', { durationSeconds: 10 });
    await pollOnce();
    expect((await t.http('GET', `/api/v1/videos/generations/${submitted.body.id}`)).body).toMatchObject({ cost: 0.84, usage: { video_seconds: 5 } });
    expect(before.balanceNanos - (await balance()).balanceNanos).toBe(usd('0.84'));
  });

  it('runs Wan text-to-video and image-to-video tasks on DashScope', async () => {
    const before = await balance();
    const text = await t.http('POST', '/api/v1/videos/generations', { model: 'alibaba/wan2.2-t2v-plus', prompt: 'Lanterns over a lake', aspect_ratio: '1:1' });
    expect(text.status).toBe(200);
    const textTask = t.tasks.tasks.at(-1)!;
    expect(textTask.body).toMatchObject({ model: 'wan2.2-t2v-plus', input: { prompt: 'Lanterns over a lake' }, parameters: { size: '1440*1440', duration: 5 } });
    const image = await t.http('POST', '/api/v1/videos/generations', {
      model: 'alibaba/wan2.2-i2v-plus',
      resolution: '480p',
      content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' }, role: 'first_frame' }],
    });
    expect(image.status).toBe(200);
    const imageTask = t.tasks.tasks.at(-1)!;
    expect(imageTask.body).toMatchObject({ model: 'wan2.2-i2v-plus', input: { img_url: 'https://example.com/cat.png' }, parameters: { resolution: '480P' } });
    // 5 s at 1080p ($0.10/s) plus 5 s at 480p ($0.02/s).
    expect((await balance()).heldNanos - before.heldNanos).toBe(usd('0.60'));

    t.tasks.advance(textTask.id, 'running');
    t.tasks.advance(imageTask.id, 'succeeded');
    expect(await pollOnce()).toBe(2);
    expect((await t.http('GET', `/api/v1/videos/generations/${text.body.id}`)).body.status).toBe('running');
    expect((await t.http('GET', `/api/v1/videos/generations/${image.body.id}`)).body).toMatchObject({ status: 'succeeded', cost: 0.1 });
    t.tasks.advance(textTask.id, 'succeeded');
    await pollOnce();
    expect((await t.http('GET', `/api/v1/videos/generations/${text.body.id}`)).body).toMatchObject({ status: 'succeeded', cost: 0.5 });
    expect(before.balanceNanos - (await balance()).balanceNanos).toBe(usd('0.60'));
    expect((await balance()).heldNanos).toBe(before.heldNanos);
  });

  it('sends Seedance first and last frames as content roles', async () => {
    const submitted = await t.http('POST', '/api/v1/videos/generations', {
      model: 'bytedance/doubao-seedance-1.0-pro',
      prompt: 'Day turns to night',
      content: [
        { type: 'image_url', image_url: { url: 'https://example.com/day.png' }, role: 'first_frame' },
        { type: 'image_url', image_url: { url: 'https://example.com/night.png' }, role: 'last_frame' },
      ],
    });
    expect(submitted.status).toBe(200);
    expect(t.tasks.tasks.at(-1)?.body).toMatchObject({
      content: [
        { type: 'text', text: 'Day turns to night' },
        { type: 'image_url', image_url: { url: 'https://example.com/day.png' }, role: 'first_frame' },
        { type: 'image_url', image_url: { url: 'https://example.com/night.png' }, role: 'last_frame' },
      ],
    });
  });

  it('refunds a task the upstream fails, and reports the failure', async () => {
    const before = await balance();
    const submitted = await t.http('POST', '/api/v1/videos/generations', { model: 'bytedance/doubao-seedance-1.0-pro', prompt: 'Something unsafe', resolution: '1080p' });
    expect((await balance()).heldNanos - before.heldNanos).toBe(usd('0.6075'));
    t.tasks.advance(t.tasks.tasks.at(-1)!.id, 'failed', { errorCode: 'OutputVideoSensitiveContentDetected', errorMessage: 'The output video may contain sensitive content.' });
    await pollOnce();
    const failed = await t.http('GET', `/api/v1/videos/generations/${submitted.body.id}`);
    expect(failed.body).toMatchObject({ status: 'failed', error: { code: 'content_policy_violation', message: 'The output video may contain sensitive content.' } });
    expect(failed.body.data).toBeUndefined();
    expect(failed.body.cost).toBeUndefined();
    expect(await balance()).toEqual(before);
    expect(await requestLogRow(submitted.body.id)).toMatchObject({ status: 400, error_code: 'content_policy_violation', cost_nanos: null });
    const entries = (await t.gateway.billing.listLedger({ userId: t.owner.userId, limit: 2 })).entries;
    expect(entries.map((entry) => [entry.kind, entry.amountNanos, entry.jobId])).toEqual([
      ['release', 0n, submitted.body.id],
      ['hold', 0n, submitted.body.id],
    ]);
    expect((await t.gateway.billing.reconcile()).ok).toBe(true);
  });
});
