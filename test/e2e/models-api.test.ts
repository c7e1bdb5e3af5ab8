import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerModelRoutes } from '../../src/api/openai/models.js';
import { readCatalogFile } from '../../src/catalog/catalog-file.js';
import { buildRouteTestApp, type RouteTestApp } from '../support/build-route-app.js';

/** The upstreams these routes serve: OpenAI's and Anthropic's models, whatever the catalog holds of them. */
const isServed = (id: string) => id.startsWith('openai/') || id.startsWith('anthropic/');
const servedIds = readCatalogFile()
  .filter((model) => model.enabled && isServed(model.id))
  .map((model) => model.id);

describe('models endpoints through the openai SDK', () => {
  let t: RouteTestApp;
  let client: OpenAI;
  beforeAll(async () => {
    t = await buildRouteTestApp((app, catalog) => registerModelRoutes(app, { catalog, isServed }));
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    client = new OpenAI({ baseURL: `${address}/api/v1`, apiKey: 'th-test', maxRetries: 0 });
  });
  afterAll(() => t.close());

  it('lists the served models with models.list()', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(servedIds.sort());
    expect(ids).toContain('anthropic/claude-sonnet-4-6');
  });

  it('retrieves a slash id, which the SDK sends percent-encoded', async () => {
    const model = await client.models.retrieve('openai/gpt-4.1');
    expect(model).toMatchObject({ id: 'openai/gpt-4.1', object: 'model', owned_by: 'openai' });
  });

  it('raises a 404 APIError with code model_not_found', async () => {
    const error = await client.models.retrieve('google/gemini-2.5-pro').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });
});
