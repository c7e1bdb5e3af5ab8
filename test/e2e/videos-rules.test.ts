import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdToNanos } from '../../src/billing/money.js';
import { dialects } from '../support/databases.js';
import { createMediaTestSetup, startMediaGateway, type MediaTestGateway, type MediaTestSetup } from '../support/media-test-gateway.js';

const usd = usdToNanos;
const DEADLINE_MS = 30 * 60_000;

describe.each(dialects)('video request rules, ownership and deadlines on %s', (dialect) => {
  let setup: MediaTestSetup;
  let t: MediaTestGateway;

  beforeAll(async () => {
    setup = await createMediaTestSetup(dialect);
    t = await startMediaGateway(setup, { media: { deadlineMs: DEADLINE_MS } });
  });
  afterAll(async () => {
    await t?.stop();
    await setup?.dispose();
  });

  const submit = (body: Record<string, unknown>, apiKey?: string) => t.http('POST', '/api/v1/videos/generations', body, apiKey);

  it.each([
    [{ model: 'kling/kling-v2.6', prompt: 'x', duration: 7 }, 'duration', 'duration must be one of 5, 10'],
    [{ model: 'bytedance/doubao-seedance-1.0-pro', prompt: 'x', duration: 'five' }, 'duration', ''],
    [{ model: 'bytedance/doubao-seedance-1.0-pro', prompt: 'x', resolution: '4k' }, 'resolution', 'resolution must be one of'],
    [{ model: 'kling/kling-v2.6', prompt: 'x', mode: 'ultra' }, 'mode', 'mode must be one of std, pro'],
    [{ model: 'kling/kling-v2.1', prompt: 'x', generate_audio: true }, 'generate_audio', 'does not generate audio'],
    [{ model: 'alibaba/wan2.2-t2v-plus', prompt: 'x', content: [{ type: 'image_url', image_url: { url: 'https://e.com/a.png' }, role: 'first_frame' }] }, 'content[0].role', 'not supported by this model'],
    [{ model: 'bytedance/doubao-seedance-1.0-pro', prompt: 'x', content: [{ type: 'image_url', image_url: { url: 'https://e.com/a.png' }, role: 'reference_image' }] }, 'content[0].role', 'Allowed roles: first_frame, last_frame'],
    [{ model: 'bytedance/doubao-seedance-1.0-pro', prompt: 'x', content: [{ type: 'image_url', image_url: { url: 'https://e.com/a.png' }, role: 'last_frame' }] }, 'content[0].role', 'needs a first_frame'],
    [{ model: 'bytedance/doubao-seedance-1.0-pro', prompt: 'x', content: [{ type: 'image_url', image_url: { url: 'https://e.com/a.png' }, role: 'first_frame' }, { type: 'image_url', image_url: { url: 'https://e.com/b.png' }, role: 'first_frame' }] }, 'content[1].role', 'At most one first_frame'],
    [{ model: 'kling/kling-v2.6', prompt: 'x', callback_url: 'not a url' }, 'callback_url', ''],
    [{ model: 'kling/kling-v2.6', prompt: 'x', callback_url: 'http://169.254.169.254/latest/meta-data' }, 'callback_url', 'metadata'],
    [{ model: 'kling/kling-v2.6', prompt: 'x', callback_url: 'http://metadata.google.internal/hook' }, 'callback_url', 'metadata'],
    [{ model: 'kling/kling-v2.6', prompt: 'x', callback_url: 'http://[::ffff:0:a9fe:a9fe]/hook' }, 'callback_url', 'metadata'],
    [{ model: 'kling/kling-v2.6', prompt: 'x', callback_url: 'http://[64:ff9b::a9fe:a9fe]/hook' }, 'callback_url', 'metadata'],
    [{ model: 'kling/kling-v2.6', prompt: 'x', callback_url: 'ftp://example.com/hook' }, 'callback_url', 'http or https'],
  ])('refuses %j with a 400 naming %s, before any hold or upstream call', async (body, param, message) => {
    const calls = t.upstreams.calls.length;
    const before = await t.gateway.billing.getBalance(t.owner.userId);
    const res = await submit(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(res.body.error.message).toContain(message);
    expect(t.upstreams.calls.length).toBe(calls);
    expect(await t.gateway.billing.getBalance(t.owner.userId)).toEqual(before);
  });

  it('answers 404 for unknown and non-video models', async () => {
    expect((await submit({ model: 'openai/gpt-4.1', prompt: 'x' })).body.error).toMatchObject({ code: 'model_not_found', param: 'model' });
    expect((await submit({ model: 'nobody/nothing', prompt: 'x' })).status).toBe(404);
  });

  it("shows a task only to its owner: another user's key gets 404, as for an id that never existed", async () => {
    const mine = await submit({ model: 'kling/kling-v2.6', prompt: 'Private' });
    expect(mine.status).toBe(200);
    const theirs = await t.http('GET', `/api/v1/videos/generations/${mine.body.id}`, undefined, t.other.apiKey);
    const missing = await t.http('GET', '/api/v1/videos/generations/tsk-doesnotexist', undefined, t.other.apiKey);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(missing.body);
    expect((await t.http('GET', '/api/v1/videos/generations', undefined, t.other.apiKey)).body.data).toEqual([]);
    expect((await t.http('GET', `/api/v1/videos/generations/${mine.body.id}`)).status).toBe(200);
  });

  it('lists the caller’s tasks newest first, in pages, filtered by status', async () => {
    const created: string[] = [];
    for (const prompt of ['one', 'two', 'three']) {
      t.clock.advance(1_000);
      created.push((await submit({ model: 'bytedance/doubao-seedance-1.0-pro', prompt })).body.id);
    }
    t.tasks.advance(t.tasks.tasks.at(-1)!.id, 'running');
    t.clock.advance(61_000);
    await t.media.poller.tick();

    const first = await t.http('GET', '/api/v1/videos/generations?limit=2');
    expect(first.body).toMatchObject({ object: 'list', has_more: true });
    expect(first.body.data.map((task: { id: string }) => task.id)).toEqual([created[2], created[1]]);
    const second = await t.http('GET', `/api/v1/videos/generations?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.data[0].id).toBe(created[0]);

    const running = await t.http('GET', '/api/v1/videos/generations?status=running');
    expect(running.body.data.map((task: { id: string }) => task.id)).toEqual([created[2]]);
    expect(running.body.has_more).toBe(false);
    expect((await t.http('GET', '/api/v1/videos/generations?status=paused')).body.error.param).toBe('status');
    expect((await t.http('GET', '/api/v1/videos/generations?limit=500')).body.error.param).toBe('limit');
  });

  it('refuses a task the balance cannot hold with 402 and keeps no job', async () => {
    const poor = t.other.userId;
    const { availableNanos } = await t.gateway.billing.getBalance(poor);
    const deducted = await t.gateway.billing.deduct({ userId: poor, amountNanos: availableNanos - usd('0.10'), reason: 'test', actor: 'test' });
    expect(deducted.ok).toBe(true);
    const calls = t.upstreams.calls.length;
    const res = await submit({ model: 'bytedance/doubao-seedance-2.0', prompt: 'Expensive', duration: 15, resolution: '1080p' }, t.other.apiKey);
    expect(res.status).toBe(402);
    expect(res.body.error.code).toBe('insufficient_quota');
    expect(t.upstreams.calls.length).toBe(calls);
    const jobs = await t.gateway.store.db.selectFrom('video_jobs').select('id').where('user_id', '=', poor).execute();
    expect(jobs).toEqual([]);
  });

  it("keeps a live job's hold through the hold reaper, whose default TTL is far shorter than a video job", async () => {
    const submitted = await submit({ model: 'kling/kling-v2.6', prompt: 'Slow but alive' });
    t.clock.advance(DEADLINE_MS - 60_000);
    await t.gateway.billing.reapExpiredHolds();
    const hold = await t.gateway.store.db.selectFrom('holds').selectAll().where('job_id', '=', submitted.body.id).executeTakeFirstOrThrow();
    expect(hold.status).toBe('open');
    expect(hold.expires_at).toBeGreaterThan(t.clock.now() + 60_000);
    t.tasks.advance(t.tasks.tasks.at(-1)!.id, 'succeeded');
    await t.media.poller.tick();
    expect((await t.http('GET', `/api/v1/videos/generations/${submitted.body.id}`)).body).toMatchObject({ status: 'succeeded', cost: 0.84 });
  });

  it('fails a task still unfinished at its deadline and refunds it in full', async () => {
    const before = await t.gateway.billing.getBalance(t.owner.userId);
    const submitted = await submit({ model: 'alibaba/wan2.2-t2v-plus', prompt: 'Slow' });
    const upstream = t.tasks.tasks.at(-1)!;
    t.tasks.advance(upstream.id, 'running');
    t.clock.advance(DEADLINE_MS / 2);
    await t.media.poller.tick();
    expect((await t.http('GET', `/api/v1/videos/generations/${submitted.body.id}`)).body.status).toBe('running');
    t.clock.advance(DEADLINE_MS);
    await t.media.poller.tick();
    const failed = await t.http('GET', `/api/v1/videos/generations/${submitted.body.id}`);
    expect(failed.body).toMatchObject({ status: 'failed', error: { code: 'upstream_timeout', message: expect.stringContaining('within 30 minutes') } });
    // Jobs of the other tests also passed their deadline meanwhile; only this one's hold matters here.
    const hold = await t.gateway.store.db.selectFrom('holds').selectAll().where('job_id', '=', submitted.body.id).executeTakeFirstOrThrow();
    expect(hold).toMatchObject({ status: 'released', settled_nanos: null });
    const after = await t.gateway.billing.getBalance(t.owner.userId);
    expect(after.balanceNanos).toBe(before.balanceNanos);
    expect(upstream.polls).toBeGreaterThanOrEqual(2);
    expect((await t.gateway.billing.reconcile()).ok).toBe(true);
  });
});
