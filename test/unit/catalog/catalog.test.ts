import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createCatalog } from '../../../src/catalog/catalog.js';
import { CatalogFileError, defaultCatalogFile, readCatalogFile } from '../../../src/catalog/catalog-file.js';
import { GatewayError } from '../../../src/shared/errors.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { randomHex } from '../../../src/shared/ids.js';
import { dropPostgresSchema, openStore, type Store } from '../../../src/store/db.js';
import { TEST_POSTGRES_URL } from '../../support/databases.js';

const databaseUrl = TEST_POSTGRES_URL;
const schema = `catalog_${randomHex(6)}`;
const tmp = mkdtempSync(path.join(tmpdir(), 'catalog-'));
/** How many models src/catalog/models.json holds; the data file's own test pins its content. */
const bundledModelCount = readCatalogFile().length;

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await dropPostgresSchema(databaseUrl, schema);
});

type RawModel = Record<string, unknown> & { id: string };
const rawModels = (JSON.parse(readFileSync(defaultCatalogFile, 'utf8')) as { models: RawModel[] }).models;

function writeCatalogFile(name: string, change: (models: RawModel[]) => RawModel[]): string {
  const file = path.join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify({ models: change(structuredClone(rawModels)) }));
  return file;
}

function editModel(id: string, edit: (model: RawModel) => void): (models: RawModel[]) => RawModel[] {
  return (models) => {
    const model = models.find((m) => m.id === id);
    if (!model) throw new Error(`no ${id} in the data file`);
    edit(model);
    return models;
  };
}

async function expectGatewayError(promise: Promise<unknown>, code: string, param: string | null): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  expect({ code: (error as GatewayError).code, param: (error as GatewayError).param }).toEqual({ code, param });
}

describe('catalog data file checks', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ sqliteFile: ':memory:' });
    return () => store.close();
  });

  it.each([
    ['duplicate ids', (ms: RawModel[]) => [...ms, ms[0]!], 'duplicate model id'],
    ['a chat model priced per image', editModel('openai/gpt-4.1', (m) => (m.pricing = { kind: 'image', perImage: '0.01' })), 'priced by "tokens"'],
    ['a video model without options', editModel('kling/kling-v2.6', (m) => delete m.video), 'video models need video options'],
    ['an image model without options', editModel('bytedance/doubao-seedream-4.0', (m) => delete m.image), 'image models need image options'],
    ['a default duration outside durations', editModel('kling/kling-v2.1', (m) => ((m.video as { defaultDuration: number }).defaultDuration = 7)), '7 is not in durations'],
    ['a resolution with no price', editModel('bytedance/doubao-seedance-2.0', (m) => (m.pricing = { kind: 'video', perSecond: [{ resolution: '480p', usd: '0.1' }] })), 'no price for 720p'],
    ['an unknown provider', editModel('x-ai/grok-4', (m) => (m.provider = 'grok-cloud')), 'unknown provider'],
    ['an Anthropic model without default max_tokens', editModel('anthropic/claude-haiku-4-5', (m) => delete m.defaultMaxTokens), 'requires max_tokens'],
    ['a malformed price', editModel('openai/gpt-5.4', (m) => ((m.pricing as { inputPerMTok: unknown }).inputPerMTok = 2.5)), 'openai/gpt-5.4 pricing.inputPerMTok'],
  ])('rejects %s', async (name, change, message) => {
    const catalog = createCatalog(store.db, { file: writeCatalogFile(name.replace(/\W+/g, '-'), change) });
    const error = await catalog.load().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CatalogFileError);
    expect((error as Error).message).toContain(message);
  });
});

describe.each(['sqlite', 'postgres'] as const)('catalog service on %s', (dialect) => {
  let store: Store;
  const clock = new ManualClock();

  beforeEach(async () => {
    store = await openStore(dialect === 'sqlite' ? { sqliteFile: ':memory:' } : { databaseUrl, schema });
    await store.db.deleteFrom('model_overrides').execute();
    return () => store.close();
  });

  it('loads every model of the data file and looks them up by id', async () => {
    const catalog = createCatalog(store.db, { clock });
    const report = await catalog.load();
    expect(report).toEqual({ models: bundledModelCount, overrides: 0, skipped: [] });
    expect(catalog.list()).toHaveLength(bundledModelCount);
    expect(catalog.get('openai/gpt-4.1')?.upstreamModel).toBe('gpt-4.1');
    expect(catalog.get('openai/gpt-404')).toBeUndefined();
  });

  it('applies a patch at once and keeps it across a reload from the store', async () => {
    const catalog = createCatalog(store.db, { clock });
    await catalog.load();
    const patched = await catalog.patch('openai/gpt-4.1', { pricing: { outputPerMTok: '9.00' }, description: 'Cheaper today.' });
    expect(patched.pricing).toMatchObject({ inputPerMTok: '2.00', outputPerMTok: '9.00' });
    expect(catalog.get('openai/gpt-4.1')?.description).toBe('Cheaper today.');
    expect(catalog.list().find((m) => m.id === 'openai/gpt-4.1')?.pricing).toMatchObject({ outputPerMTok: '9.00' });

    const row = await store.db.selectFrom('model_overrides').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ model_id: 'openai/gpt-4.1', updated_at: clock.now() });

    const restarted = createCatalog(store.db, { clock });
    expect(await restarted.load()).toEqual({ models: bundledModelCount, overrides: 1, skipped: [] });
    expect(restarted.get('openai/gpt-4.1')?.pricing).toMatchObject({ outputPerMTok: '9.00' });
    expect(restarted.overrideOf('openai/gpt-4.1')).toEqual({ pricing: { outputPerMTok: '9.00' }, description: 'Cheaper today.' });
  });

  it('merges successive patches and lets null remove an optional field', async () => {
    const catalog = createCatalog(store.db, { clock });
    await catalog.load();
    await catalog.patch('anthropic/claude-sonnet-4-6', { enabled: false });
    const model = await catalog.patch('anthropic/claude-sonnet-4-6', { pricing: { cachedInputPerMTok: null } });
    expect(model.enabled).toBe(false);
    expect(model.pricing).not.toHaveProperty('cachedInputPerMTok');
    expect(model.pricing).toMatchObject({ cacheWritePerMTok: '3.75' });
  });

  it('rejects bad patches without storing them', async () => {
    const catalog = createCatalog(store.db, { clock });
    await catalog.load();
    await expectGatewayError(catalog.patch('openai/gpt-4.1', { pricing: { outputPerMTok: 8 } }), 'invalid_request', 'pricing.outputPerMTok');
    await expectGatewayError(catalog.patch('openai/gpt-4.1', { id: 'openai/gpt-5' }), 'invalid_request', 'id');
    await expectGatewayError(catalog.patch('openai/gpt-4.1', { pricing: { kind: 'image', perImage: '1' } }), 'invalid_request', 'pricing.kind');
    await expectGatewayError(catalog.patch('kling/kling-v2.6', { video: { defaultDuration: 7 } }), 'invalid_request', 'video.defaultDuration');
    await expectGatewayError(catalog.patch('openai/gpt-4.1', {}), 'invalid_request', null);
    await expectGatewayError(catalog.patch('openai/gpt-404', { enabled: false }), 'model_not_found', 'model');
    expect(await store.db.selectFrom('model_overrides').selectAll().execute()).toEqual([]);
    expect(catalog.get('openai/gpt-4.1')?.pricing).toMatchObject({ outputPerMTok: '8.00' });
  });

  it('resets a patch back to the data file', async () => {
    const catalog = createCatalog(store.db, { clock });
    await catalog.load();
    await catalog.patch('google/gemini-2.5-pro', { name: 'Gemini Pro (old)' });
    const reset = await catalog.resetPatch('google/gemini-2.5-pro');
    expect(reset.name).toBe('Gemini 2.5 Pro');
    expect(catalog.overrideOf('google/gemini-2.5-pro')).toBeUndefined();
    expect(await store.db.selectFrom('model_overrides').selectAll().execute()).toEqual([]);
  });

  it('sees another instance’s patch after refresh()', async () => {
    const first = createCatalog(store.db, { clock });
    const second = createCatalog(store.db, { clock });
    await first.load();
    await second.load();
    await second.patch('deepseek/deepseek-chat', { enabled: false });
    expect(first.get('deepseek/deepseek-chat')?.enabled).toBe(true);
    await first.refresh();
    expect(first.get('deepseek/deepseek-chat')?.enabled).toBe(false);
    // The second patch composes with the stored row even though `first` holds an older copy.
    await first.patch('deepseek/deepseek-chat', { description: 'Paused.' });
    expect(first.overrideOf('deepseek/deepseek-chat')).toEqual({ enabled: false, description: 'Paused.' });
  });

  it('skips and reports stored overrides that no longer apply', async () => {
    const now = clock.now();
    await store.db
      .insertInto('model_overrides')
      .values([
        { model_id: 'openai/gpt-3', patch: '{"enabled":false}', updated_at: now },
        { model_id: 'openai/gpt-4.1', patch: 'not json', updated_at: now },
        { model_id: 'openai/gpt-5.4', patch: '{"maxOutputTokens":99999999}', updated_at: now },
        { model_id: 'x-ai/grok-4', patch: '{"enabled":false}', updated_at: now },
      ])
      .execute();
    const catalog = createCatalog(store.db, { clock });
    const report = await catalog.load();
    expect(report.overrides).toBe(1);
    expect(report.skipped.map((s) => s.modelId)).toEqual(['openai/gpt-3', 'openai/gpt-4.1', 'openai/gpt-5.4']);
    expect(report.skipped[2]?.reason).toContain('maxOutputTokens');
    expect(catalog.get('openai/gpt-5.4')?.maxOutputTokens).toBe(128000);
    expect(catalog.get('x-ai/grok-4')?.enabled).toBe(false);
  });

  it('hands out frozen models so callers cannot change the catalog by accident', async () => {
    const catalog = createCatalog(store.db, { clock });
    await catalog.load();
    const model = catalog.get('openai/gpt-4.1')!;
    expect(() => {
      (model.pricing as { kind: string }).kind = 'image';
    }).toThrow(TypeError);
  });
});
