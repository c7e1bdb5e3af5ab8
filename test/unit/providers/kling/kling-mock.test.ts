import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKlingMock } from '../../../../src/mock-upstreams/kling.js';
import { createMockTaskControl, type MockTaskControl } from '../../../../src/mock-upstreams/mock-task-control.js';
import { startMockUpstreams, type MockUpstreams } from '../../../../src/mock-upstreams/server.js';
import { signKlingJwt } from '../../../../src/providers/kling/jwt.js';
import { createKlingVideoAdapter } from '../../../../src/providers/kling/kling-adapter.js';
import { videoRequestSchema, type TaskState, type VideoTaskAdapter } from '../../../../src/providers/task-types.js';
import { ManualClock } from '../../../../src/shared/clock.js';
import { openMediaFixtures, type MediaFixtures } from '../../../support/media-fixtures.js';
import { sendUpstream } from '../../../support/send-upstream.js';

const accessKey = 'test-kling-access';
const secretKey = 'test-kling-secret';
/** The gateway's clock; the mock has its own so tests can skew them. */
const gatewayClock = new ManualClock();
const mockClock = new ManualClock();
const ctx = { now: () => gatewayClock.now() };
let control: MockTaskControl;
let upstreams: MockUpstreams;
let fixtures: MediaFixtures;
let adapter: VideoTaskAdapter;

beforeAll(async () => {
  control = createMockTaskControl({ now: () => mockClock.now() });
  upstreams = await startMockUpstreams({ providers: { kling: createKlingMock(control, { accessKey, secretKey }) } });
  fixtures = openMediaFixtures('kling', { provider: 'kling', baseUrl: upstreams.baseUrlFor('kling'), apiKey: accessKey });
  adapter = createKlingVideoAdapter();
});

afterAll(async () => {
  await upstreams.close();
});

function prepare(request: Record<string, unknown>) {
  const parsed = videoRequestSchema.parse(request);
  const valid = adapter.validate(parsed, fixtures.model(parsed.model));
  return adapter.submit(valid, fixtures.target(parsed.model, { secretKey }), ctx);
}

async function submit(request: Record<string, unknown>): Promise<{ taskId: string; pollPath: string | undefined }> {
  const submission = await prepare(request);
  const reply = await sendUpstream(submission.request);
  return { taskId: adapter.parseSubmit(reply.status, reply.json, taskTarget()).upstreamTaskId, pollPath: submission.pollPath };
}

async function poll(taskId: string, pollPath: string | undefined): Promise<TaskState> {
  const reply = await sendUpstream(await adapter.poll(taskId, fixtures.target('kling/kling-v1-6', { secretKey }), pollPath, ctx));
  if (reply.status !== 200) throw adapter.parseError(reply.status, reply.headers, reply.text, taskTarget(), ctx);
  return adapter.parsePoll(reply.status, reply.json, taskTarget());
}

describe('Kling adapter against the Kling mock', () => {
  it('runs a text2video task from submitted to succeed', async () => {
    const { taskId, pollPath } = await submit({ model: 'kling/kling-v1-6', prompt: 'A red fox in snow', duration: 10 });
    expect(pollPath).toBe('/v1/videos/text2video');
    expect(control.find(taskId)?.body).toMatchObject({ model_name: 'kling-v1-6', duration: '10', mode: 'std' });
    expect(await poll(taskId, pollPath)).toEqual({ status: 'queued', upstreamStatus: 'submitted' });
    control.advance(taskId, 'running');
    expect(await poll(taskId, pollPath)).toEqual({ status: 'running', upstreamStatus: 'processing' });
    control.advance(taskId, 'succeeded', { durationSeconds: 10.1 });
    const done = await poll(taskId, pollPath);
    expect(done).toMatchObject({ status: 'succeeded', upstreamStatus: 'succeed', usage: { videoSeconds: 10.1 } });
    expect(done.status === 'succeeded' && done.videos[0]?.url).toContain('/kling/mock-assets/');
  });

  it('sends an image2video first frame as bare base64 and polls under image2video', async () => {
    const { taskId, pollPath } = await submit({
      model: 'kling/kling-v2-6',
      prompt: 'The astronaut stands up',
      mode: 'pro',
      content: [
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' }, role: 'first_frame' },
        { type: 'image_url', image_url: { url: 'https://example.com/last.jpg' }, role: 'last_frame' },
      ],
    });
    expect(pollPath).toBe('/v1/videos/image2video');
    expect(control.find(taskId)?.body).toMatchObject({ image: 'iVBORw0KGgo=', image_tail: 'https://example.com/last.jpg', mode: 'pro' });
    control.advance(taskId, 'failed', { errorMessage: 'Failure to pass the risk control system' });
    expect(await poll(taskId, pollPath)).toEqual({
      status: 'failed',
      upstreamStatus: 'failed',
      error: { code: 'upstream_error', message: 'Failure to pass the risk control system' },
    });
  });

  it('a task polled under the other path is not found', async () => {
    const { taskId } = await submit({ model: 'kling/kling-v1-6', prompt: 'A fox' });
    const error = await poll(taskId, '/v1/videos/image2video').catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'upstream_error', upstreamStatus: 404 });
  });
});

describe('the Kling mock checks the JWT it receives', () => {
  async function authFailure(headers: Record<string, string>) {
    const reply = await sendUpstream({ method: 'GET', url: `${upstreams.baseUrlFor('kling')}/v1/videos/text2video/1`, headers });
    return { status: reply.status, code: (reply.json as { code: number }).code, mapped: adapter.parseError(reply.status, reply.headers, reply.text, taskTarget(), ctx).code };
  }

  it('no token: 401 with code 1001', async () => {
    expect(await authFailure({})).toEqual({ status: 401, code: 1001, mapped: 'upstream_auth_failed' });
  });

  it('a token signed with another secret: 401 with code 1002', async () => {
    const token = await signKlingJwt(accessKey, 'other-secret', Math.floor(mockClock.now() / 1000));
    expect(await authFailure({ authorization: `Bearer ${token}` })).toEqual({ status: 401, code: 1002, mapped: 'upstream_auth_failed' });
  });

  it('a token from another access key: 401 with code 1002', async () => {
    const token = await signKlingJwt('other-access', secretKey, Math.floor(mockClock.now() / 1000));
    expect(await authFailure({ authorization: `Bearer ${token}` })).toEqual({ status: 401, code: 1002, mapped: 'upstream_auth_failed' });
  });

  it('a request signed 31 minutes before it arrives: 401 with code 1004', async () => {
    const submission = await prepare({ model: 'kling/kling-v1-6', prompt: 'late' });
    mockClock.advance(31 * 60 * 1000);
    try {
      const reply = await sendUpstream(submission.request);
      expect(reply.status).toBe(401);
      expect(reply.json).toMatchObject({ code: 1004, message: 'Authorization has expired' });
    } finally {
      mockClock.advance(-31 * 60 * 1000);
    }
  });

  it('a gateway clock running 10 s ahead of Kling: 401 with code 1003', async () => {
    const token = await signKlingJwt(accessKey, secretKey, Math.floor(mockClock.now() / 1000) + 10);
    expect(await authFailure({ authorization: `Bearer ${token}` })).toEqual({ status: 401, code: 1003, mapped: 'upstream_auth_failed' });
  });

  it('refuses a duration sent as a number, as Kling validates types', async () => {
    const token = await signKlingJwt(accessKey, secretKey, Math.floor(mockClock.now() / 1000));
    const reply = await sendUpstream({
      method: 'POST',
      url: `${upstreams.baseUrlFor('kling')}/v1/videos/text2video`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model_name: 'kling-v1-6', prompt: 'x', duration: 5 }),
    });
    expect(reply.status).toBe(400);
    expect(adapter.parseError(reply.status, reply.headers, reply.text, taskTarget(), ctx)).toMatchObject({ code: 'invalid_request', message: 'duration must be a string such as "5"' });
  });
});

/** The channel the replies came from; its keys and address must never reach an error message. */
function taskTarget() {
  return fixtures.target('kling/kling-v1-6', { secretKey });
}
