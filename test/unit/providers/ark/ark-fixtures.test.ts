import { describe, expect, it } from 'vitest';
import { arkImageAdapter } from '../../../../src/providers/ark/seedream-adapter.js';
import { arkVideoAdapter } from '../../../../src/providers/ark/seedance-adapter.js';
import { imageRequestSchema, videoRequestSchema } from '../../../../src/providers/task-types.js';
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

const fixtures = openMediaFixtures('ark', { provider: 'bytedance', baseUrl: 'https://ark.example.test', apiKey: 'test-ark-key' });
const ctx = { now: () => 0 };

runFixtureKinds([
  bySuffix(fixtures.folder, 'Seedream image requests', '.image-request.json', (name) => {
    const request = imageRequestSchema.parse(fixtures.read(`${name}.image-request.json`));
    const model = fixtures.model(request.model);
    const valid = expectRejectionOr(fixtures, name, () => arkImageAdapter.validate(request, model));
    if (valid === undefined) return;
    const { request: upstream, warnings } = arkImageAdapter.toUpstream(valid, fixtures.target(request.model));
    expect(upstream.headers.authorization).toBe('Bearer test-ark-key');
    expect(describeUpstreamRequest(upstream, warnings)).toEqual(fixtures.read(`${name}.upstream-request.json`));
  }),
  bySuffix(fixtures.folder, 'Seedream image responses', '.upstream-response.json', (name) => {
    const body = fixtures.read(`${name}.upstream-response.json`);
    const result = expectRejectionOr(fixtures, name, () => arkImageAdapter.fromUpstream(body, taskTarget()));
    if (result !== undefined) expect(result).toEqual(fixtures.read(`${name}.image-result.json`));
  }),
  bySuffix(fixtures.folder, 'Seedance task submission', '.video-request.json', async (name) => {
    const request = videoRequestSchema.parse(fixtures.read(`${name}.video-request.json`));
    const model = fixtures.model(request.model);
    const valid = expectRejectionOr(fixtures, name, () => arkVideoAdapter.validate(request, model));
    if (valid === undefined) return;
    const submission = await arkVideoAdapter.submit(valid, fixtures.target(request.model), { now: () => 0 });
    expect(submission.request.headers.authorization).toBe('Bearer test-ark-key');
    expect(describeUpstreamRequest(submission.request, submission.warnings, submission.pollPath)).toEqual(
      fixtures.read(`${name}.upstream-request.json`),
    );
  }),
  bySuffix(fixtures.folder, 'Seedance task polling', '.upstream-poll.json', (name) => {
    expect(arkVideoAdapter.parsePoll(200, fixtures.read(`${name}.upstream-poll.json`), taskTarget())).toEqual(fixtures.read(`${name}.state.json`));
  }),
  bySuffix(fixtures.folder, 'Ark errors', '.error.json', (name) => {
    const fixture = fixtures.read(`${name}.error.json`) as ErrorFixture;
    const error = arkImageAdapter.parseError(fixture.status, fixture.headers ?? {}, errorFixtureText(fixture), taskTarget(), ctx);
    expect(describeGatewayError(error)).toMatchObject(fixture.expected);
  }),
]);

describe('Seedance task ids and poll requests', () => {
  it('reads the task id from a create response', () => {
    expect(arkVideoAdapter.parseSubmit(200, { id: 'cgt-20250331175019-68d9t' }, taskTarget())).toEqual({ upstreamTaskId: 'cgt-20250331175019-68d9t' });
  });

  it('a create response without an id is an unreadable upstream response', () => {
    expect(catchGatewayError(() => arkVideoAdapter.parseSubmit(200, {}, taskTarget())).code).toBe('upstream_bad_response');
  });

  it('a create answered with an error status goes through the Ark error mapping', () => {
    const error = catchGatewayError(() =>
      arkVideoAdapter.parseSubmit(400, { error: { code: 'InputImageSensitiveContentDetected', message: 'The input image may contain sensitive information.' } }, taskTarget()),
    );
    expect(error.code).toBe('content_policy_violation');
  });

  it('polls the task under the tasks path with the channel key', async () => {
    const request = await arkVideoAdapter.poll('cgt-1/..', fixtures.target('bytedance/seedance-1.0-pro'), undefined, { now: () => 0 });
    expect(request).toEqual({
      method: 'GET',
      url: 'https://ark.example.test/api/v3/contents/generations/tasks/cgt-1%2F..',
      headers: { authorization: 'Bearer test-ark-key' },
    });
  });
});

/** The channel the replies came from; its key and address must never reach an error message. */
function taskTarget() {
  return fixtures.target('bytedance/seedance-1.0-pro');
}
