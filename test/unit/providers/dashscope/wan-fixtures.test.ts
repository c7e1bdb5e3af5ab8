import { describe, expect, it } from 'vitest';
import { dashscopeVideoAdapter } from '../../../../src/providers/dashscope/wan-adapter.js';
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

const fixtures = openMediaFixtures('dashscope', { provider: 'alibaba', baseUrl: 'https://dashscope.example.test', apiKey: 'test-dashscope-key' });
const ctx = { now: () => 0 };

runFixtureKinds([
  bySuffix(fixtures.folder, 'Wan task submission', '.video-request.json', async (name) => {
    const request = videoRequestSchema.parse(fixtures.read(`${name}.video-request.json`));
    const model = fixtures.model(request.model);
    const valid = expectRejectionOr(fixtures, name, () => dashscopeVideoAdapter.validate(request, model));
    if (valid === undefined) return;
    const submission = await dashscopeVideoAdapter.submit(valid, fixtures.target(request.model), ctx);
    expect(submission.request.headers.authorization).toBe('Bearer test-dashscope-key');
    expect(describeUpstreamRequest(submission.request, submission.warnings, submission.pollPath)).toEqual(
      fixtures.read(`${name}.upstream-request.json`),
    );
  }),
  bySuffix(fixtures.folder, 'Wan task polling', '.upstream-poll.json', (name) => {
    expect(dashscopeVideoAdapter.parsePoll(200, fixtures.read(`${name}.upstream-poll.json`), taskTarget())).toEqual(fixtures.read(`${name}.state.json`));
  }),
  bySuffix(fixtures.folder, 'DashScope errors', '.error.json', (name) => {
    const fixture = fixtures.read(`${name}.error.json`) as ErrorFixture;
    const error = dashscopeVideoAdapter.parseError(fixture.status, fixture.headers ?? {}, errorFixtureText(fixture), taskTarget(), ctx);
    expect(describeGatewayError(error)).toMatchObject(fixture.expected);
  }),
]);

describe('Wan task polling', () => {
  it('polls the task endpoint with the key only', async () => {
    expect(await dashscopeVideoAdapter.poll('0385dc79', fixtures.target('alibaba/wan2.2-t2v-plus'), undefined, ctx)).toEqual({
      method: 'GET',
      url: 'https://dashscope.example.test/api/v1/tasks/0385dc79',
      headers: { authorization: 'Bearer test-dashscope-key' },
    });
  });
});

describe('Wan task ids', () => {
  it('reads output.task_id from a create response', () => {
    const body = { output: { task_status: 'PENDING', task_id: '0385dc79-5ff8' }, request_id: 'r' };
    expect(dashscopeVideoAdapter.parseSubmit(200, body, taskTarget())).toEqual({ upstreamTaskId: '0385dc79-5ff8' });
  });

  it('a create answered 200 with a code is an error all the same', () => {
    const body = { code: 'InvalidParameter', message: 'The size is invalid', request_id: 'r' };
    expect(describeGatewayError(catchGatewayError(() => dashscopeVideoAdapter.parseSubmit(200, body, taskTarget())))).toMatchObject({
      code: 'invalid_request',
      message: 'The size is invalid',
    });
  });

  it('a create without a task id is an unreadable upstream response', () => {
    expect(catchGatewayError(() => dashscopeVideoAdapter.parseSubmit(200, { request_id: 'r' }, taskTarget())).code).toBe('upstream_bad_response');
  });
});

/** The channel the replies came from; its key and address must never reach an error message. */
function taskTarget() {
  return fixtures.target('alibaba/wan2.2-t2v-plus');
}
