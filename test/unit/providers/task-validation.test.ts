import { describe, expect, it } from 'vitest';
import { catalogModelSchema, type CatalogModel } from '../../../src/catalog/schema.js';
import {
  errorCodeForStatus,
  imageRequestSchema,
  validateImageRequest,
  validateVideoRequest,
  videoRequestSchema,
} from '../../../src/providers/task-types.js';
import { catchGatewayError } from '../../support/media-fixtures.js';

const common = {
  description: 'test model',
  created: 1_750_000_000,
  contextLength: 0,
  maxOutputTokens: 0,
  capabilities: {},
};

const videoModel: CatalogModel = catalogModelSchema.parse({
  ...common,
  id: 'test/video',
  name: 'Video',
  provider: 'bytedance',
  family: 'ark-video',
  upstreamModel: 'seedance-1-0-pro-250528',
  modality: 'video',
  pricing: { kind: 'video', perSecond: [{ usd: '0.05' }] },
  video: {
    durations: [5, 10],
    defaultDuration: 5,
    resolutions: ['720p', '1080p'],
    defaultResolution: '720p',
    aspectRatios: ['16:9', '9:16'],
    roles: ['first_frame', 'last_frame', 'reference_image', 'reference_audio'],
    modes: ['std', 'pro'],
    audio: false,
  },
});

const imageModel: CatalogModel = catalogModelSchema.parse({
  ...common,
  id: 'test/image',
  name: 'Image',
  provider: 'bytedance',
  family: 'ark-image',
  upstreamModel: 'seedream-4-0-250828',
  modality: 'image',
  pricing: { kind: 'image', perImage: '0.03' },
  image: { sizes: ['1K', '2K', '2048x2048'], defaultSize: '2K', maxN: 4 },
});

const frame = (role: string | undefined, url = 'https://example.com/a.png') => ({
  type: 'image_url' as const,
  image_url: { url },
  ...(role === undefined ? {} : { role }),
});

function videoError(request: Record<string, unknown>) {
  const error = catchGatewayError(() => validateVideoRequest(videoRequestSchema.parse({ model: 'test/video', ...request }), videoModel));
  return { code: error.code, status: error.status, param: error.param, message: error.message };
}

describe('validateVideoRequest', () => {
  it('fills the model defaults and sorts media by role', () => {
    const valid = validateVideoRequest(
      videoRequestSchema.parse({ model: 'test/video', prompt: 'a fox', content: [frame('first_frame'), frame('last_frame', 'https://example.com/b.png')] }),
      videoModel,
    );
    expect(valid).toMatchObject({ duration: 5, resolution: '720p' });
    expect(valid.media).toEqual({
      firstFrame: 'https://example.com/a.png',
      lastFrame: 'https://example.com/b.png',
      referenceImages: [],
      referenceVideos: [],
      referenceAudios: [],
    });
  });

  it('fills the catalog default mode when the request names none', () => {
    const withDefault = catalogModelSchema.parse({ ...videoModel, video: { ...videoModel.video, defaultMode: 'pro' } });
    expect(validateVideoRequest(videoRequestSchema.parse({ model: 'test/video', prompt: 'x' }), withDefault).mode).toBe('pro');
    expect(validateVideoRequest(videoRequestSchema.parse({ model: 'test/video', prompt: 'x', mode: 'std' }), withDefault).mode).toBe('std');
    expect(validateVideoRequest(videoRequestSchema.parse({ model: 'test/video', prompt: 'x' }), videoModel).mode).toBeUndefined();
  });

  it('an image without a role is the first frame', () => {
    const valid = validateVideoRequest(videoRequestSchema.parse({ model: 'test/video', content: [frame(undefined)] }), videoModel);
    expect(valid.media.firstFrame).toBe('https://example.com/a.png');
  });

  it('accepts a duration given as a numeric string', () => {
    expect(validateVideoRequest(videoRequestSchema.parse({ model: 'test/video', prompt: 'x', duration: '10' }), videoModel).duration).toBe(10);
  });

  it.each([
    ['an unsupported duration', { prompt: 'x', duration: 7 }, 'duration', 'duration must be one of 5, 10 for test/video.'],
    ['an unsupported resolution', { prompt: 'x', resolution: '480p' }, 'resolution', 'resolution must be one of 720p, 1080p for test/video.'],
    ['an unsupported aspect ratio', { prompt: 'x', aspect_ratio: '4:3' }, 'aspect_ratio', 'aspect_ratio must be one of 16:9, 9:16 for test/video.'],
    ['an unsupported mode', { prompt: 'x', mode: 'ultra' }, 'mode', 'mode must be one of std, pro for test/video.'],
    ['audio on a silent model', { prompt: 'x', generate_audio: true }, 'generate_audio', 'test/video does not generate audio.'],
    ['no prompt and no media', {}, 'prompt', 'prompt is required without input media.'],
    ['a blank prompt and no media', { prompt: '   ' }, 'prompt', 'prompt is required without input media.'],
  ])('rejects %s with param %s', (_name, request, param, message) => {
    expect(videoError(request)).toEqual({ code: 'invalid_request', status: 400, param, message });
  });

  it.each([
    ['two first frames', [frame('first_frame'), frame('first_frame')], 'content[1].role', 'At most one first_frame is allowed.'],
    ['two last frames', [frame('first_frame'), frame('last_frame'), frame('last_frame')], 'content[2].role', 'At most one last_frame is allowed.'],
    ['a last frame alone', [frame('last_frame')], 'content[0].role', 'A last_frame needs a first_frame.'],
    ['a role the model lacks', [{ type: 'video_url', video_url: { url: 'https://example.com/v.mp4' }, role: 'reference_video' }], 'content[0].role',
      'Role "reference_video" is not supported by this model. Allowed roles: first_frame, last_frame, reference_image, reference_audio.'],
    ['a role that does not fit the type', [{ type: 'audio_url', audio_url: { url: 'https://example.com/a.mp3' }, role: 'first_frame' }], 'content[0].role',
      'A content item of type audio_url takes role reference_audio, not "first_frame".'],
    ['an unknown role', [frame('middle_frame')], 'content[0].role', 'A content item of type image_url takes role first_frame or last_frame or reference_image, not "middle_frame".'],
    ['frames mixed with references', [frame('reference_image'), frame('first_frame')], 'content[1].role', 'Frames and reference_image inputs cannot be combined.'],
    ['references after a frame', [frame('first_frame'), frame('reference_image')], 'content[1].role', 'Frames and reference_image inputs cannot be combined.'],
    ['an item without its url', [{ type: 'image_url', role: 'first_frame' }], 'content[0].image_url.url', 'A content item of type image_url needs image_url.url.'],
    ['a file path', [frame('first_frame', '/etc/passwd')], 'content[0].image_url.url', 'Media must be an http(s) URL or a data: URI.'],
  ])('rejects %s', (_name, content, param, message) => {
    expect(videoError({ prompt: 'x', content })).toEqual({ code: 'invalid_request', status: 400, param, message });
  });

  it('rejects a model without video options', () => {
    const error = catchGatewayError(() => validateVideoRequest(videoRequestSchema.parse({ model: 'test/image', prompt: 'x' }), imageModel));
    expect(error.param).toBe('model');
  });

  it('keeps reference audio apart from images', () => {
    const valid = validateVideoRequest(
      videoRequestSchema.parse({
        model: 'test/video',
        prompt: 'x',
        content: [frame('reference_image'), { type: 'audio_url', audio_url: { url: 'https://example.com/a.mp3' } }],
      }),
      videoModel,
    );
    expect(valid.media.referenceImages).toEqual(['https://example.com/a.png']);
    expect(valid.media.referenceAudios).toEqual(['https://example.com/a.mp3']);
  });
});

function imageError(request: Record<string, unknown>, model: CatalogModel = imageModel) {
  const error = catchGatewayError(() => validateImageRequest(imageRequestSchema.parse({ model: model.id, prompt: 'p', ...request }), model));
  return { code: error.code, param: error.param, message: error.message };
}

describe('validateImageRequest', () => {
  it('fills n, size, response_format and the image list', () => {
    const valid = validateImageRequest(imageRequestSchema.parse({ model: 'test/image', prompt: 'p', image: 'https://example.com/a.png' }), imageModel);
    expect(valid).toMatchObject({ n: 1, size: '2K', response_format: 'url', images: ['https://example.com/a.png'] });
  });

  it('reads a lower-case resolution token as the catalog spells it', () => {
    expect(validateImageRequest(imageRequestSchema.parse({ model: 'test/image', prompt: 'p', size: '1k' }), imageModel).size).toBe('1K');
  });

  it('admits any WIDTHxHEIGHT only when the catalog lists WxH', () => {
    expect(imageError({ size: '1600x900' })).toEqual({ code: 'invalid_request', param: 'size', message: 'size must be one of 1K, 2K, 2048x2048 for test/image.' });
    const open = catalogModelSchema.parse({ ...imageModel, image: { sizes: ['2K', 'WxH'], defaultSize: '2K', maxN: 1 } });
    expect(validateImageRequest(imageRequestSchema.parse({ model: 'test/image', prompt: 'p', size: '1600x900' }), open).size).toBe('1600x900');
    expect(imageError({ size: 'big' }, open)).toEqual({ code: 'invalid_request', param: 'size', message: 'size must be one of 2K or WIDTHxHEIGHT for test/image.' });
  });

  it.each([
    ['n above the catalog maximum', { n: 5 }, { code: 'invalid_request', param: 'n', message: 'n must be at most 4 for test/image.' }],
    ['streaming', { stream: true }, { code: 'unsupported_parameter', param: 'stream', message: 'Image streaming is not supported.' }],
    ['a reference that is not a URL', { image: 'file:///tmp/a.png' }, { code: 'invalid_request', param: 'image', message: 'An image must be an http(s) URL or a data:image/...;base64, URI.' }],
    ['a bad entry in a reference list', { image: ['https://example.com/a.png', 'data:text/plain;base64,aGk='] }, { code: 'invalid_request', param: 'image[1]', message: 'An image must be an http(s) URL or a data:image/...;base64, URI.' }],
  ])('rejects %s', (_name, request, expected) => {
    expect(imageError(request)).toEqual(expected);
  });
});

describe('upstream error helpers', () => {
  it.each([
    [400, 'invalid_request'],
    [401, 'upstream_auth_failed'],
    [403, 'upstream_auth_failed'],
    [404, 'upstream_error'],
    [408, 'upstream_timeout'],
    [422, 'invalid_request'],
    [429, 'rate_limit_exceeded'],
    [500, 'upstream_error'],
    [502, 'upstream_error'],
    [503, 'upstream_unavailable'],
    [504, 'upstream_timeout'],
    [529, 'upstream_unavailable'],
  ])('HTTP %i without a known provider code maps to %s', (status, code) => {
    expect(errorCodeForStatus(status)).toBe(code);
  });
});
