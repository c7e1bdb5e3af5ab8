import { describe, expect, it } from 'vitest';
import { verifyKlingJwt } from '../../../../src/providers/kling/jwt.js';
import { createKlingVideoAdapter } from '../../../../src/providers/kling/kling-adapter.js';
import { videoRequestSchema } from '../../../../src/providers/task-types.js';
import {
  catchGatewayError,
  expectRejectionOr,
  describeGatewayError,
  describeUpstreamRequest,
  errorFixtureText,
  openMediaFixtures,
  type ErrorFixture,
} from '../../../support/media-fixtures.js';
import { bySuffix, runFixtureKinds } from '../../../support/fixture-runner.js';

const channel = { provider: 'kling', baseUrl: 'https://kling.example.test', apiKey: 'test-kling-access' };
const fixtures = openMediaFixtures('kling', channel);
const secretKey = 'test-kling-secret';
const nowMs = Date.UTC(2026, 0, 1);
const ctx = { now: () => nowMs };

/** The fixture kinds share one adapter; each group of hand-written cases below makes its own. */
const fixtureAdapter = createKlingVideoAdapter();

runFixtureKinds([
  bySuffix(fixtures.folder, 'Kling task submission', '.video-request.json', async (name) => {
    const request = videoRequestSchema.parse(fixtures.read(`${name}.video-request.json`));
    const model = fixtures.model(request.model);
    const valid = expectRejectionOr(fixtures, name, () => fixtureAdapter.validate(request, model));
    if (valid === undefined) return;
    const submission = await fixtureAdapter.submit(valid, fixtures.target(request.model, { secretKey }), ctx);
    const token = submission.request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    expect(await verifyKlingJwt(token, channel.apiKey, secretKey, nowMs / 1000)).toMatchObject({ ok: true });
    expect(describeUpstreamRequest(submission.request, submission.warnings, submission.pollPath)).toEqual(
      fixtures.read(`${name}.upstream-request.json`),
    );
  }),
  bySuffix(fixtures.folder, 'Kling task polling', '.upstream-poll.json', (name) => {
    expect(fixtureAdapter.parsePoll(200, fixtures.read(`${name}.upstream-poll.json`), taskTarget())).toEqual(fixtures.read(`${name}.state.json`));
  }),
  bySuffix(fixtures.folder, 'Kling errors', '.error.json', (name) => {
    const fixture = fixtures.read(`${name}.error.json`) as ErrorFixture;
    const error = fixtureAdapter.parseError(fixture.status, fixture.headers ?? {}, errorFixtureText(fixture), taskTarget(), ctx);
    expect(describeGatewayError(error)).toMatchObject(fixture.expected);
  }),
]);

describe('Kling mode and resolution', () => {
  const adapter = createKlingVideoAdapter();
  const validate = (request: Record<string, unknown>) => {
    const parsed = videoRequestSchema.parse(request);
    const valid = adapter.validate(parsed, fixtures.model(parsed.model));
    return { mode: valid.mode, resolution: valid.resolution };
  };

  it('the validated request carries the mode and the resolution it renders, for pricing', () => {
    expect(validate({ model: 'kling/kling-v2-1', prompt: 'x' })).toEqual({ mode: 'pro', resolution: '1080p' });
    expect(validate({ model: 'kling/kling-v1-6', prompt: 'x' })).toEqual({ mode: 'std', resolution: '720p' });
    expect(validate({ model: 'kling/kling-v1-6', prompt: 'x', mode: 'pro' })).toEqual({ mode: 'pro', resolution: '1080p' });
    expect(validate({ model: 'kling/kling-v2-1', prompt: 'x', resolution: '720p' })).toEqual({ mode: 'std', resolution: '720p' });
    expect(validate({ model: 'kling/kling-v2-master', prompt: 'x' })).toEqual({ mode: undefined, resolution: '1080p' });
  });
});

describe('Kling task polling', () => {
  const adapter = createKlingVideoAdapter();

  it('a 200 whose envelope code is not 0 is an error, mapped by its code', async () => {
    const error = catchGatewayError(() => adapter.parsePoll(200, { code: 1302, message: 'Too many requests', request_id: 'r' }, taskTarget()));
    expect(error.code).toBe('rate_limit_exceeded');
  });

  it('polls under the path the task was created on, signing a fresh token', async () => {
    const request = await adapter.poll('8626531243', fixtures.target('kling/kling-v1-6', { secretKey }), '/v1/videos/image2video', ctx);
    expect(request.method).toBe('GET');
    expect(request.url).toBe('https://kling.example.test/v1/videos/image2video/8626531243');
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    expect((await verifyKlingJwt(token, channel.apiKey, secretKey, nowMs / 1000)).ok).toBe(true);
  });

  it('refuses to poll without a known creation path', async () => {
    await expect(adapter.poll('1', fixtures.target('kling/kling-v1-6', { secretKey }), undefined, ctx)).rejects.toThrow(/creation path/);
    await expect(adapter.poll('1', fixtures.target('kling/kling-v1-6', { secretKey }), '/v1/other', ctx)).rejects.toThrow(/creation path/);
  });

  it('a channel without a secret key sends its API key as the bearer token', async () => {
    const request = await adapter.poll('1', fixtures.target('kling/kling-v1-6'), '/v1/videos/text2video', ctx);
    expect(request.headers.authorization).toBe('Bearer test-kling-access');
  });
});

describe('Kling task ids', () => {
  const adapter = createKlingVideoAdapter();

  it('reads data.task_id, also when Kling sends it as a number', () => {
    const body = { code: 0, message: 'SUCCEED', request_id: 'r', data: { task_id: 8626531243, task_status: 'submitted' } };
    expect(adapter.parseSubmit(200, body, taskTarget())).toEqual({ upstreamTaskId: '8626531243' });
  });

  it('a create with a non-zero envelope code is an error even on HTTP 200', () => {
    const error = catchGatewayError(() => adapter.parseSubmit(200, { code: 1201, message: 'prompt is required', request_id: 'r' }, taskTarget()));
    expect(describeGatewayError(error)).toMatchObject({ code: 'invalid_request', status: 400, message: 'prompt is required' });
  });

  it('a create without a task id is an unreadable upstream response', () => {
    expect(catchGatewayError(() => adapter.parseSubmit(200, { code: 0, message: 'SUCCEED', data: {} }, taskTarget())).code).toBe('upstream_bad_response');
  });
});

/** The channel the replies came from; its keys and address must never reach an error message. */
function taskTarget() {
  return fixtures.target('kling/kling-v1-6', { secretKey });
}
