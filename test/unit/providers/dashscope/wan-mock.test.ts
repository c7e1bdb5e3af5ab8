import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashScopeVideoMock } from '../../../../src/mock-upstreams/dashscope-video.js';
import { createMockTaskControl, type MockTaskControl } from '../../../../src/mock-upstreams/mock-task-control.js';
import { startMockUpstreams, type MockUpstreams } from '../../../../src/mock-upstreams/server.js';
import { dashscopeVideoAdapter as adapter } from '../../../../src/providers/dashscope/wan-adapter.js';
import { videoRequestSchema, type TaskState } from '../../../../src/providers/task-types.js';
import { ManualClock } from '../../../../src/shared/clock.js';
import { openMediaFixtures, type MediaFixtures } from '../../../support/media-fixtures.js';
import { sendUpstream } from '../../../support/send-upstream.js';

const clock = new ManualClock();
const ctx = { now: () => clock.now() };
let control: MockTaskControl;
let upstreams: MockUpstreams;
let fixtures: MediaFixtures;

beforeAll(async () => {
  control = createMockTaskControl({ now: () => clock.now() });
  upstreams = await startMockUpstreams({ providers: { alibaba: createDashScopeVideoMock(control, { apiKey: 'test-dashscope-key' }) } });
  fixtures = openMediaFixtures('dashscope', { provider: 'alibaba', baseUrl: upstreams.baseUrlFor('alibaba'), apiKey: 'test-dashscope-key' });
});

afterAll(async () => {
  await upstreams.close();
});

async function prepare(request: Record<string, unknown>) {
  const parsed = videoRequestSchema.parse(request);
  return (await adapter.submit(adapter.validate(parsed, fixtures.model(parsed.model)), fixtures.target(parsed.model), ctx)).request;
}

async function submit(request: Record<string, unknown>): Promise<string> {
  const reply = await sendUpstream(await prepare(request));
  if (reply.status !== 200) throw adapter.parseError(reply.status, reply.headers, reply.text, taskTarget(), ctx);
  return adapter.parseSubmit(reply.status, reply.json, taskTarget()).upstreamTaskId;
}

async function poll(taskId: string): Promise<TaskState> {
  const reply = await sendUpstream(await adapter.poll(taskId, fixtures.target('alibaba/wan2.2-t2v-plus'), undefined, ctx));
  return adapter.parsePoll(reply.status, reply.json, taskTarget());
}

describe('Wan adapter against the DashScope mock', () => {
  it('runs a text-to-video task from PENDING to SUCCEEDED with its usage', async () => {
    const taskId = await submit({ model: 'alibaba/wan2.2-t2v-plus', prompt: 'A lantern festival', aspect_ratio: '1:1' });
    expect(control.find(taskId)?.body).toMatchObject({ parameters: { size: '1440*1440', duration: 5, watermark: false } });
    expect(await poll(taskId)).toEqual({ status: 'queued', upstreamStatus: 'PENDING' });
    control.advance(taskId, 'running');
    expect(await poll(taskId)).toEqual({ status: 'running', upstreamStatus: 'RUNNING' });
    control.advance(taskId, 'succeeded');
    const done = await poll(taskId);
    expect(done).toMatchObject({ status: 'succeeded', usage: { videoSeconds: 5 } });
    expect(done.status === 'succeeded' && done.videos[0]).toMatchObject({ durationSeconds: 5, resolution: '1080p' });
  });

  it('creates a first-and-last-frame task on the image2video endpoint', async () => {
    const taskId = await submit({
      model: 'alibaba/wan2.2-kf2v-flash',
      prompt: 'The flower blooms',
      content: [
        { type: 'image_url', image_url: { url: 'https://example.com/bud.png' } },
        { type: 'image_url', image_url: { url: 'https://example.com/bloom.png' }, role: 'last_frame' },
      ],
    });
    expect(control.find(taskId)).toMatchObject({ path: '/api/v1/services/aigc/image2video/video-synthesis', body: { parameters: { resolution: '720P' } } });
    control.advance(taskId, 'failed', { errorCode: 'DataInspectionFailed', errorMessage: 'Output data may contain inappropriate content.' });
    expect(await poll(taskId)).toMatchObject({ status: 'failed', error: { code: 'content_policy_violation', upstreamCode: 'DataInspectionFailed' } });
  });

  it('an expired task and an unknown id both read as UNKNOWN, a failure', async () => {
    const taskId = await submit({ model: 'alibaba/wan2.2-i2v-flash', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] });
    control.advance(taskId, 'expired');
    expect(await poll(taskId)).toMatchObject({ status: 'failed', upstreamStatus: 'UNKNOWN' });
    expect(await poll('no-such-task')).toMatchObject({ status: 'failed', upstreamStatus: 'UNKNOWN', error: { code: 'upstream_error' } });
  });

  it('refuses a create without X-DashScope-Async, as DashScope does', async () => {
    const request = await prepare({ model: 'alibaba/wan2.2-t2v-plus', prompt: 'x' });
    const { 'x-dashscope-async': _async, ...headers } = request.headers;
    const reply = await sendUpstream({ ...request, headers });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ code: 'AccessDenied' });
  });

  it('a wrong key is InvalidApiKey, our upstream_auth_failed', async () => {
    const request = await prepare({ model: 'alibaba/wan2.2-t2v-plus', prompt: 'x' });
    const reply = await sendUpstream({ ...request, headers: { ...request.headers, authorization: 'Bearer wrong' } });
    expect(reply.status).toBe(401);
    expect(adapter.parseError(reply.status, reply.headers, reply.text, taskTarget(), ctx).code).toBe('upstream_auth_failed');
  });

  it('refuses a size written with x instead of *', async () => {
    const request = await prepare({ model: 'alibaba/wan2.2-t2v-plus', prompt: 'x' });
    const body = JSON.parse(request.body ?? '{}') as { parameters: Record<string, unknown> };
    body.parameters.size = '1920x1080';
    const reply = await sendUpstream({ ...request, body: JSON.stringify(body) });
    expect(reply.status).toBe(400);
    expect(adapter.parseError(reply.status, reply.headers, reply.text, taskTarget(), ctx)).toMatchObject({ code: 'invalid_request', message: 'The size is invalid, should be like 1280*720' });
  });
});

/** The channel the replies came from; its key and address must never reach an error message. */
function taskTarget() {
  return fixtures.target('alibaba/wan2.2-t2v-plus');
}
