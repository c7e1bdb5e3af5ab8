import { describe, expect, it } from 'vitest';
import { formatDay, formatMs, formatUsd, isUsdAmount } from '../../../web/src/lib/format.js';
import { detectLanguage } from '../../../web/src/i18n/detect-language.js';
import { buildCodeExample, exampleLanguagesFor } from '../../../web/src/lib/code-examples.js';
import { toVideoTaskView } from '../../../web/src/lib/video-task.js';

describe('dashboard display formatting', () => {
  it.each([
    ['12.5', 'balance', '$12.50'],
    ['0.000123', 'cost', '$0.000123'],
    ['0.0000001', 'cost', '$0.00'],
    ['1234.5', 'cost', '$1,234.50'],
    ['0.075', 'price', '$0.075'],
    ['0.00000125', 'price', '$0.00000125'],
    ['-2.5', 'balance', '-$2.50'],
  ] as const)('shows %s as a %s in US English as %s', (amount, style, expected) => {
    expect(formatUsd(amount, 'en-US', style)).toBe(expected);
  });

  it('uses the Vietnamese number format for Vietnamese readers', () => {
    expect(formatUsd('1234.5', 'vi-VN')).toMatch(/^1\.234,50\s?US\$$/);
  });

  it('shows a missing amount as a dash', () => {
    expect(formatUsd(null, 'en-US')).toBe('—');
  });

  it('shows a calendar day without shifting it through the time zone', () => {
    expect(formatDay('2026-03-01', 'en-US')).toBe('Mar 1');
    expect(formatDay('2026-03-01', 'vi-VN', 'medium')).toContain('2026');
  });

  it('shows latencies in ms below a second and in seconds above', () => {
    expect(formatMs(250, 'en-US')).toBe('250 ms');
    expect(formatMs(1500, 'en-US')).toBe('1.5 s');
  });

  it.each([
    ['25', true],
    ['2.50', true],
    [' 3 ', true],
    ['1.0000000001', false],
    ['-1', false],
    ['1e3', false],
    ['', false],
  ])('accepts %j as a USD amount: %s', (text, ok) => {
    expect(isUsdAmount(text)).toBe(ok);
  });
});

describe('dashboard language detection', () => {
  it('prefers the remembered choice, then the browser languages, then English', () => {
    expect(detectLanguage('vi', ['en-US'])).toBe('vi');
    expect(detectLanguage(null, ['fr-FR', 'vi-VN', 'en'])).toBe('vi');
    expect(detectLanguage('de', ['ja'])).toBe('en');
  });
});

describe('model page code examples', () => {
  const base = 'https://ai.example.com/api/v1/';

  it('fill cURL, Python and JavaScript chat examples with the real base URL and model, never a key', () => {
    const model = { id: 'openai/gpt-4.1', modality: 'chat' as const };
    const curl = buildCodeExample('curl', base, model);
    expect(curl).toContain('curl https://ai.example.com/api/v1/chat/completions');
    expect(curl).toContain('"model": "openai/gpt-4.1"');
    expect(curl).toContain('$TOKENHUB_API_KEY');
    expect(buildCodeExample('python', base, model)).toContain('OpenAI(base_url="https://ai.example.com/api/v1", api_key=os.environ["TOKENHUB_API_KEY"])');
    expect(buildCodeExample('javascript', base, model)).toContain("new OpenAI({ baseURL: 'https://ai.example.com/api/v1', apiKey: process.env.TOKENHUB_API_KEY })");
  });

  it('set up Claude Code and Codex for chat models, against the Messages and Responses front doors', () => {
    const model = { id: 'anthropic/claude-sonnet-4-6', modality: 'chat' as const };
    const claude = buildCodeExample('claude-code', base, model);
    expect(claude).toContain('export ANTHROPIC_BASE_URL="https://ai.example.com/api"');
    expect(claude).toContain('export ANTHROPIC_AUTH_TOKEN="$TOKENHUB_API_KEY"');
    expect(claude).toContain('export ANTHROPIC_MODEL="anthropic/claude-sonnet-4-6"');
    const codex = buildCodeExample('codex', base, model);
    expect(codex).toContain('base_url = "https://ai.example.com/api/v1"');
    expect(codex).toContain('wire_api = "responses"');
    expect(codex).toContain('model = "anthropic/claude-sonnet-4-6"');
    expect(exampleLanguagesFor('chat')).toEqual(['curl', 'python', 'javascript', 'claude-code', 'codex']);
    expect(exampleLanguagesFor('image')).toEqual(['curl', 'python', 'javascript']);
    expect(buildCodeExample('codex', base, { id: 'bytedance/seedream', modality: 'image' })).toContain('curl https://ai.example.com/api/v1/images/generations');
  });

  it('use the images and video task endpoints for media models', () => {
    expect(buildCodeExample('python', base, { id: 'bytedance/seedream', modality: 'image', imageSize: '2K' })).toContain('client.images.generate(model="bytedance/seedream"');
    const video = buildCodeExample('curl', base, { id: 'kling/kling-v2.6', modality: 'video', videoDuration: 10, videoResolution: '1080p' });
    expect(video).toContain('/videos/generations');
    expect(video).toContain('"duration": 10, "resolution": "1080p"');
  });
});

describe('video task view', () => {
  it('reads OpenAI-style and provider-style task shapes alike', () => {
    expect(toVideoTaskView({ id: 'job_1', status: 'in_progress', model: 'kling/kling-v2.6', created_at: 1_770_000_000 })).toMatchObject({
      id: 'job_1',
      status: 'running',
      createdAt: 1_770_000_000_000,
      videoUrl: null,
    });
    expect(toVideoTaskView({ id: 'job_2', status: 'succeeded', output: { video_url: 'https://cdn/v.mp4' }, cost_usd: '0.50' })).toMatchObject({
      status: 'succeeded',
      videoUrl: 'https://cdn/v.mp4',
      costUsd: '0.50',
    });
    expect(toVideoTaskView({ id: 'job_5', object: 'video.generation.task', status: 'succeeded', data: [{ video_url: 'https://gw/api/v1/videos/files/a.mp4' }], cost: 0.4 })).toMatchObject({
      videoUrl: 'https://gw/api/v1/videos/files/a.mp4',
      costUsd: '0.4',
    });
    expect(toVideoTaskView({ id: 'job_3', status: 'failed', error: { message: 'blocked' } })).toMatchObject({ status: 'failed', error: 'blocked' });
    expect(toVideoTaskView({ id: 'job_4', status: 'mystery' }).status).toBe('unknown');
  });
});
