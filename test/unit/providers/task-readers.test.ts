import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CatalogModel } from '../../../src/catalog/schema.js';
import { taskFailureMessage } from '../../../src/providers/task-error-structure.js';
import {
  hasReferenceMedia,
  invalidParam,
  parseUpstreamBody,
  readSubmittedTaskId,
  succeededWithoutVideo,
  type TaskTarget,
} from '../../../src/providers/task-types.js';
import { GatewayError } from '../../../src/shared/errors.js';
import { catchGatewayError } from '../../support/media-fixtures.js';

const target: TaskTarget = {
  provider: 'test',
  baseUrl: 'http://127.0.0.1:9100/api',
  apiKey: 'channel-access-key-1',
  upstreamModel: 'm',
  model: {} as CatalogModel,
};

const createSchema = z.looseObject({ output: z.looseObject({ task_id: z.string().min(1) }) });

describe('shared video task readers', () => {
  it('readSubmittedTaskId returns the id a create answer carries', () => {
    expect(readSubmittedTaskId(createSchema, { output: { task_id: 't-1' } }, (created) => created.output.task_id)).toEqual({ upstreamTaskId: 't-1' });
  });

  it('readSubmittedTaskId refuses a create answer without a task id as a bad upstream response', () => {
    const error = catchGatewayError(() => readSubmittedTaskId(createSchema, { output: {} }, (created) => created.output.task_id));
    expect(error.code).toBe('upstream_bad_response');
    expect(error.message).toBe('The upstream accepted the task without a task id.');
  });

  it('parseUpstreamBody returns the parsed body and refuses another shape with the schema issue as cause', () => {
    expect(parseUpstreamBody(createSchema, { output: { task_id: 'x' }, extra: 1 })).toEqual({ output: { task_id: 'x' }, extra: 1 });
    const error = catchGatewayError(() => parseUpstreamBody(createSchema, { status: 'RUNNING' }));
    expect(error.code).toBe('upstream_bad_response');
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });

  it('succeededWithoutVideo is a failed state that keeps the upstream status word', () => {
    expect(succeededWithoutVideo('succeed')).toEqual({
      status: 'failed',
      upstreamStatus: 'succeed',
      error: { code: 'upstream_bad_response', message: 'The upstream task succeeded without a video URL.' },
    });
  });

  it('taskFailureMessage sanitizes the upstream words and falls back to a generic line', () => {
    expect(taskFailureMessage(undefined, target)).toBe('Video generation failed.');
    expect(taskFailureMessage(null, target)).toBe('Video generation failed.');
    expect(taskFailureMessage('', target)).toBe('Video generation failed.');
    const message = taskFailureMessage('key channel-access-key-1 at http://127.0.0.1:9100/api was refused', target);
    expect(message).not.toContain('channel-access-key-1');
    expect(message).not.toContain('127.0.0.1:9100');
  });

  it('invalidParam is a 400 naming the parameter', () => {
    const error = invalidParam('seed', 'seed must be between 0 and 2147483647 for Wan.');
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBe('seed');
    expect(error.message).toBe('seed must be between 0 and 2147483647 for Wan.');
  });

  it.each([
    [{ referenceImages: [], referenceVideos: [], referenceAudios: [] }, false],
    [{ firstFrame: 'https://x/a.png', lastFrame: 'https://x/b.png', referenceImages: [], referenceVideos: [], referenceAudios: [] }, false],
    [{ referenceImages: ['https://x/a.png'], referenceVideos: [], referenceAudios: [] }, true],
    [{ referenceImages: [], referenceVideos: ['https://x/a.mp4'], referenceAudios: [] }, true],
    [{ referenceImages: [], referenceVideos: [], referenceAudios: ['https://x/a.mp3'] }, true],
  ])('hasReferenceMedia(%j) is %s', (media, expected) => {
    expect(hasReferenceMedia(media)).toBe(expected);
  });
});
