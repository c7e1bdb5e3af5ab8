import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createArkMock, type ArkMockOptions } from '../../../../src/mock-upstreams/ark.js';
import { createMockTaskControl, type MockTaskControl } from '../../../../src/mock-upstreams/mock-task-control.js';
import { startMockUpstreams, type MockUpstreams } from '../../../../src/mock-upstreams/server.js';
import { arkImageAdapter } from '../../../../src/providers/ark/seedream-adapter.js';
import { arkVideoAdapter } from '../../../../src/providers/ark/seedance-adapter.js';
import { imageRequestSchema, videoRequestSchema, type TaskState } from '../../../../src/providers/task-types.js';
import { ManualClock } from '../../../../src/shared/clock.js';
import { openMediaFixtures, type MediaFixtures } from '../../../support/media-fixtures.js';
import { sendUpstream } from '../../../support/send-upstream.js';

const clock = new ManualClock();
const ctx = { now: () => clock.now() };
const mockOptions: ArkMockOptions = { apiKey: 'test-ark-key' };
let control: MockTaskControl;
let upstreams: MockUpstreams;
let fixtures: MediaFixtures;

beforeAll(async () => {
  control = createMockTaskControl({ now: () => clock.now() });
  const ark = createArkMock(control, mockOptions);
  upstreams = await startMockUpstreams({ providers: { bytedance: ark } });
  fixtures = openMediaFixtures('ark', { provider: 'bytedance', baseUrl: upstreams.baseUrlFor('bytedance'), apiKey: 'test-ark-key' });
});

afterAll(async () => {
  await upstreams.close();
});

beforeEach(() => {
  mockOptions.failImages = undefined;
  control.autoAdvance = false;
});

async function generateImages(request: Record<string, unknown>) {
  const parsed = imageRequestSchema.parse(request);
  const valid = arkImageAdapter.validate(parsed, fixtures.model(parsed.model));
  const reply = await sendUpstream(arkImageAdapter.toUpstream(valid, fixtures.target(parsed.model)).request);
  expect(reply.status).toBe(200);
  return arkImageAdapter.fromUpstream(reply.json, taskTarget());
}

describe('Seedream against the Ark mock', () => {
  it('returns one image URL that the mock serves as a PNG', async () => {
    const result = await generateImages({ model: 'bytedance/seedream-4.5', prompt: 'A lighthouse' });
    expect(result).toMatchObject({ usage: { images: 1 }, failedImages: 0 });
    const url = result.data[0]?.url ?? '';
    expect(url.startsWith(`${upstreams.origin}/bytedance/mock-assets/`)).toBe(true);
    const asset = await sendUpstream({ method: 'GET', url, headers: {} });
    expect(asset).toMatchObject({ status: 200, headers: { 'content-type': 'image/png' } });
  });

  it('a batch with one filtered image delivers and counts the others only', async () => {
    mockOptions.failImages = [1];
    const result = await generateImages({ model: 'bytedance/seedream-4.5', prompt: 'Three poses', n: 3, response_format: 'b64_json' });
    expect(result.usage).toEqual({ images: 2 });
    expect(result.failedImages).toBe(1);
    expect(result.data.every((image) => typeof image.b64_json === 'string')).toBe(true);
    const call = upstreams.callsFor('bytedance').at(-1);
    expect(call?.body).toMatchObject({ sequential_image_generation: 'auto', sequential_image_generation_options: { max_images: 3 }, watermark: false });
  });

  it('a wrong key comes back as upstream_auth_failed', async () => {
    const valid = arkImageAdapter.validate(imageRequestSchema.parse({ model: 'bytedance/seedream-4.5', prompt: 'x' }), fixtures.model('bytedance/seedream-4.5'));
    const { request } = arkImageAdapter.toUpstream(valid, fixtures.target('bytedance/seedream-4.5', { apiKey: 'wrong-key' }));
    const reply = await sendUpstream(request);
    expect(reply.status).toBe(401);
    expect(arkImageAdapter.parseError(reply.status, reply.headers, reply.text, taskTarget(), ctx).code).toBe('upstream_auth_failed');
  });
});

async function submitVideo(request: Record<string, unknown>): Promise<string> {
  const parsed = videoRequestSchema.parse(request);
  const valid = arkVideoAdapter.validate(parsed, fixtures.model(parsed.model));
  const reply = await sendUpstream((await arkVideoAdapter.submit(valid, fixtures.target(parsed.model), ctx)).request);
  return arkVideoAdapter.parseSubmit(reply.status, reply.json, taskTarget()).upstreamTaskId;
}

async function pollVideo(taskId: string): Promise<TaskState> {
  const reply = await sendUpstream(await arkVideoAdapter.poll(taskId, fixtures.target('bytedance/seedance-1.0-pro'), undefined, ctx));
  if (reply.status !== 200) throw arkVideoAdapter.parseError(reply.status, reply.headers, reply.text, taskTarget(), ctx);
  return arkVideoAdapter.parsePoll(reply.status, reply.json, taskTarget());
}

describe('Seedance against the Ark mock', () => {
  it('a task moves only when the test advances it', async () => {
    const taskId = await submitVideo({ model: 'bytedance/seedance-1.0-pro', prompt: 'A kitten yawns', duration: 10, resolution: '720p' });
    expect(taskId).toMatch(/^cgt-\d{14}-/);
    expect(control.find(taskId)?.body).toMatchObject({ model: 'seedance-1-0-pro-250528', duration: 10, resolution: '720p', watermark: false });
    expect(await pollVideo(taskId)).toEqual({ status: 'queued', upstreamStatus: 'queued' });
    expect(await pollVideo(taskId)).toEqual({ status: 'queued', upstreamStatus: 'queued' });
    control.advance(taskId, 'running');
    expect(await pollVideo(taskId)).toEqual({ status: 'running', upstreamStatus: 'running' });
    control.advance(taskId, 'succeeded');
    const done = await pollVideo(taskId);
    expect(done).toMatchObject({ status: 'succeeded', usage: { videoSeconds: 10, tokens: 216000 } });
    expect(done.status === 'succeeded' && done.videos[0]?.resolution).toBe('720p');
    expect(() => control.advance(taskId, 'failed')).toThrow(/already finished/);
  });

  it('a text-command model gets its parameters from the prompt', async () => {
    const taskId = await submitVideo({ model: 'bytedance/seaweed', prompt: 'A paper boat', duration: 10, resolution: '480p' });
    control.advance(taskId, 'succeeded');
    const done = await pollVideo(taskId);
    expect(done).toMatchObject({ status: 'succeeded', usage: { videoSeconds: 10 } });
    expect(done.status === 'succeeded' && done.videos[0]?.resolution).toBe('480p');
  });

  it('a failed task carries the mapped failure', async () => {
    const taskId = await submitVideo({ model: 'bytedance/seedance-1.0-pro', prompt: 'x' });
    control.advance(taskId, 'failed', { errorCode: 'OutputVideoSensitiveContentDetected', errorMessage: 'The output video may contain sensitive information.' });
    expect(await pollVideo(taskId)).toEqual({
      status: 'failed',
      upstreamStatus: 'failed',
      error: { code: 'content_policy_violation', message: 'The output video may contain sensitive information.', upstreamCode: 'OutputVideoSensitiveContentDetected' },
    });
  });

  it("advance('all') moves every unfinished task and leaves finished ones", async () => {
    const first = await submitVideo({ model: 'bytedance/seedance-1.0-pro', prompt: 'one' });
    const second = await submitVideo({ model: 'bytedance/seedance-1.0-pro', prompt: 'two' });
    control.advance(first, 'expired');
    control.advance('all', 'running');
    expect(control.find(first)?.status).toBe('expired');
    expect(control.find(second)?.status).toBe('running');
    expect(await pollVideo(first)).toMatchObject({ status: 'failed', error: { code: 'upstream_timeout' } });
  });

  it('in auto mode a task runs on its first poll and succeeds on its second', async () => {
    control.autoAdvance = true;
    const taskId = await submitVideo({ model: 'bytedance/seedance-1.0-pro', prompt: 'demo' });
    expect((await pollVideo(taskId)).status).toBe('running');
    expect((await pollVideo(taskId)).status).toBe('succeeded');
    expect(control.find(taskId)?.polls).toBe(2);
  });

  it('an unknown task id is a 404 with an Ark error body', async () => {
    const reply = await sendUpstream(await arkVideoAdapter.poll('cgt-missing', fixtures.target('bytedance/seedance-1.0-pro'), undefined, ctx));
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ error: { code: 'ResourceNotFound' } });
    expect(arkVideoAdapter.parseError(reply.status, reply.headers, reply.text, taskTarget(), ctx).code).toBe('upstream_error');
  });

  it('an empty content array is refused as Ark does', async () => {
    const reply = await sendUpstream({
      method: 'POST',
      url: `${upstreams.baseUrlFor('bytedance')}/api/v3/contents/generations/tasks`,
      headers: { authorization: 'Bearer test-ark-key', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'seedance-1-0-pro-250528', content: [] }),
    });
    expect(reply.status).toBe(400);
    expect(arkVideoAdapter.parseError(reply.status, reply.headers, reply.text, taskTarget(), ctx).code).toBe('invalid_request');
  });
});

/** The channel the replies came from; its key and address must never reach an error message. */
function taskTarget() {
  return fixtures.target('bytedance/seedance-1.0-pro');
}
