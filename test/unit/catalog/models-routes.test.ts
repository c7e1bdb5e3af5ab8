import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerModelRoutes, toUsdPerToken, type OpenAIModelItem, type OpenAIModelList } from '../../../src/api/openai/models.js';
import { readCatalogFile } from '../../../src/catalog/catalog-file.js';
import { buildRouteTestApp, type RouteTestApp } from '../../support/build-route-app.js';

const served = new Set(['openai/gpt-4.1', 'anthropic/claude-sonnet-4-6', 'bytedance/doubao-seedance-2.0', 'deepseek/deepseek-coder']);

describe('GET /api/v1/models', () => {
  let t: RouteTestApp;
  beforeAll(async () => {
    t = await buildRouteTestApp((app, catalog) => registerModelRoutes(app, { catalog, isServed: (id) => served.has(id) }));
  });
  afterAll(() => t.close());

  it('lists only enabled models that an upstream serves', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/models' });
    expect(res.statusCode).toBe(200);
    const body = res.json<OpenAIModelList>();
    expect(body.object).toBe('list');
    // deepseek-coder is served but disabled in the data file, so it stays out.
    expect(body.data.map((m) => m.id)).toEqual(['openai/gpt-4.1', 'anthropic/claude-sonnet-4-6', 'bytedance/doubao-seedance-2.0']);
  });

  it('lists every catalog model with ?all=1', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/models?all=1' });
    expect(res.json<OpenAIModelList>().data.map((m) => m.id).sort()).toEqual(readCatalogFile().map((m) => m.id).sort());
  });

  it('rejects an unknown value for all', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/models?all=yes' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request', param: 'all' } });
  });

  it('returns one model by its slash id, in OpenAI and OpenRouter shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/models/openai/gpt-4.1' });
    expect(res.statusCode).toBe(200);
    const item = res.json<OpenAIModelItem>();
    expect(item).toMatchObject({
      id: 'openai/gpt-4.1',
      object: 'model',
      created: 1744588800,
      owned_by: 'openai',
      name: 'GPT-4.1',
      context_length: 1047576,
      pricing: { prompt: '0.000002', completion: '0.000008', input_cache_read: '0.0000005', request: '0', image: '0' },
      pricing_detail: { kind: 'tokens', inputPerMTok: '2.00' },
      architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'], modality: 'text+image->text' },
      top_provider: { context_length: 1047576, max_completion_tokens: 32768 },
    });
    expect(item.supported_parameters).toEqual(expect.arrayContaining(['tools', 'tool_choice', 'response_format', 'stream']));
    expect(item.supported_parameters).not.toContain('reasoning');
  });

  it('accepts the slash percent-encoded, as SDKs send it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/models/openai%2Fgpt-4.1' });
    expect(res.json<OpenAIModelItem>().id).toBe('openai/gpt-4.1');
  });

  it('describes video models by their inputs, outputs and options', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/models/bytedance/doubao-seedance-2.0' });
    const item = res.json<OpenAIModelItem>();
    expect(item.architecture.modality).toBe('text+image+video+audio->video+audio');
    expect(item.context_length).toBeNull();
    expect(item.video_options?.durations).toContain(15);
    expect(item.pricing_detail).toMatchObject({ kind: 'video' });
  });

  it('answers 404 model_not_found for unknown and unserved models', async () => {
    for (const url of ['/api/v1/models/openai/gpt-404', '/api/v1/models/x-ai/grok-4']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({
        error: { message: expect.stringContaining('does not exist'), type: 'not_found_error', code: 'model_not_found', param: 'model' },
      });
    }
    const withAll = await t.app.inject({ method: 'GET', url: '/api/v1/models/x-ai/grok-4?all=1' });
    expect(withAll.json<OpenAIModelItem>().id).toBe('x-ai/grok-4');
  });

  it('shows admin price changes without a restart', async () => {
    await t.catalog.patch('anthropic/claude-sonnet-4-6', { pricing: { outputPerMTok: '12.50' } });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/models/anthropic/claude-sonnet-4-6' });
    expect(res.json<OpenAIModelItem>().pricing).toMatchObject({ completion: '0.0000125', input_cache_write: '0.00000375' });
  });
});

describe('toUsdPerToken', () => {
  it.each([
    ['2.50', '0.0000025'],
    ['15.00', '0.000015'],
    ['0.028', '0.000000028'],
    ['0', '0'],
    ['1000', '0.001'],
    ['0.000000001', '0.000000000000001'],
  ])('%s per 1M tokens is %s per token', (perMTok, perToken) => {
    expect(toUsdPerToken(perMTok)).toBe(perToken);
  });
});
