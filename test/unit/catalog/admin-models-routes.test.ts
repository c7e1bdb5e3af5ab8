import type { preHandlerHookHandler } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAdminModelRoutes, type AdminModelItem } from '../../../src/api/admin/models.js';
import { registerModelRoutes, type OpenAIModelItem } from '../../../src/api/openai/models.js';
import { readCatalogFile } from '../../../src/catalog/catalog-file.js';
import { GatewayError } from '../../../src/shared/errors.js';
import { buildRouteTestApp, type RouteTestApp } from '../../support/build-route-app.js';

const requireAdmin: preHandlerHookHandler = async (request) => {
  if (request.headers['x-test-admin'] !== 'yes') throw new GatewayError('forbidden');
};
const admin = { 'x-test-admin': 'yes' };

describe('admin model routes', () => {
  let t: RouteTestApp;
  beforeAll(async () => {
    t = await buildRouteTestApp((app, catalog) => {
      registerAdminModelRoutes(app, { catalog, requireAdmin });
      registerModelRoutes(app, { catalog, isServed: () => true });
    });
  });
  afterAll(() => t.close());

  it('refuses callers that are not admins on every route', async () => {
    const calls = [
      { method: 'GET', url: '/api/admin/models' },
      { method: 'GET', url: '/api/admin/models/openai/gpt-4.1' },
      { method: 'PATCH', url: '/api/admin/models/openai/gpt-4.1', payload: { enabled: false } },
      { method: 'DELETE', url: '/api/admin/models/openai/gpt-4.1/override' },
    ] as const;
    for (const call of calls) {
      const res = await t.app.inject(call);
      expect([call.method, res.statusCode]).toEqual([call.method, 403]);
    }
    expect(t.catalog.get('openai/gpt-4.1')?.enabled).toBe(true);
  });

  it('lists every catalog model with its override', async () => {
    await t.catalog.patch('z-ai/glm-4.6', { enabled: false });
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/models', headers: admin });
    const data = res.json<{ object: string; data: AdminModelItem[] }>().data;
    expect(data.map((m) => m.id).sort()).toEqual(readCatalogFile().map((m) => m.id).sort());
    expect(data.find((m) => m.id === 'z-ai/glm-4.6')).toMatchObject({ enabled: false, override: { enabled: false } });
    expect(data.find((m) => m.id === 'openai/gpt-4.1')?.override).toBeNull();
  });

  it('patches a price, which the public list shows at once', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/admin/models/openai/gpt-5.4',
      headers: admin,
      payload: { pricing: { inputPerMTok: '2.00' }, description: 'Discounted.' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<AdminModelItem>()).toMatchObject({ pricing: { inputPerMTok: '2.00', outputPerMTok: '15.00' }, description: 'Discounted.' });
    const pub = await t.app.inject({ method: 'GET', url: '/api/v1/models/openai/gpt-5.4' });
    expect(pub.json<OpenAIModelItem>().pricing.prompt).toBe('0.000002');
  });

  it('answers 400 with the offending field for a bad patch', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/admin/models/openai/gpt-5.4',
      headers: admin,
      payload: { pricing: { inputPerMTok: '-1' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request', param: 'pricing.inputPerMTok', type: 'invalid_request_error' } });
    const provider = await t.app.inject({ method: 'PATCH', url: '/api/admin/models/openai/gpt-5.4', headers: admin, payload: { provider: 'xai' } });
    expect(provider.json()).toMatchObject({ error: { code: 'invalid_request', param: 'provider' } });
  });

  it('answers 404 for a patch on an unknown model', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/admin/models/openai/gpt-404', headers: admin, payload: { enabled: false } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'model_not_found', param: 'model' } });
  });

  it('drops an override with DELETE …/override', async () => {
    await t.catalog.patch('kling/kling-v2.6', { pricing: { perSecond: [{ usd: '0.2' }] } });
    const res = await t.app.inject({ method: 'DELETE', url: '/api/admin/models/kling/kling-v2.6/override', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json<AdminModelItem>()).toMatchObject({ override: null, pricing: { perSecond: [{ mode: 'std', usd: '0.168' }, { mode: 'pro', usd: '0.224' }] } });
    const wrong = await t.app.inject({ method: 'DELETE', url: '/api/admin/models/kling/kling-v2.6', headers: admin });
    expect(wrong.statusCode).toBe(404);
  });
});
