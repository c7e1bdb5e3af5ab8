import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRouter } from '../../../src/channels/channel-pick.js';
import { createChannelService, type ChannelService } from '../../../src/channels/channels.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { SecretBox } from '../../../src/shared/crypto.js';
import { DIALECTS, openTestStore, type TestStore } from '../../support/store-fixture.js';

const catalogModels: Record<string, string[]> = {
  openai: ['openai/gpt-4.1', 'openai/gpt-4.1-mini'],
  kling: ['kling/kling-v2'],
  anthropic: ['anthropic/claude-sonnet-4.5'],
};
const modelsForProvider = (provider: string) => catalogModels[provider] ?? [];

/** A scripted random source: returns the queued values in order. */
function scriptedRandom(values: number[]): () => number {
  return () => {
    const next = values.shift();
    if (next === undefined) throw new Error('scripted random ran out');
    return next;
  };
}

describe.each(DIALECTS)('channels on %s', (dialect) => {
  let t: TestStore;
  let clock: ManualClock;
  let secretBox: SecretBox;
  let draws: number[];
  let channels: ChannelService;

  beforeAll(async () => {
    t = await openTestStore(dialect, 'channels');
    clock = new ManualClock();
    secretBox = new SecretBox(Buffer.alloc(32, 7));
    draws = [];
    channels = createChannelService(t.store.db, secretBox, clock, { random: scriptedRandom(draws), modelsForProvider });
    await channels.reload();
  });
  afterAll(() => t.close());

  const rowOf = (id: string) => t.store.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('encrypts keys at rest and only ever shows a hint', async () => {
    const apiKey = 'sk-proj-SECRETSECRETSECRET-abcd';
    const channel = await channels.create({ provider: 'openai', name: 'primary', apiKey, models: ['enc/model'] });
    const row = await rowOf(channel.id);
    expect(row.api_key_enc).not.toContain('SECRETSECRET');
    expect(row.api_key_enc).toMatch(/^v1\./);
    expect(secretBox.decrypt(row.api_key_enc)).toBe(apiKey);
    expect(channel.apiKeyHint).toBe('sk-…abcd');
    expect(JSON.stringify(await channels.list())).not.toContain('SECRETSECRET');
    expect(JSON.stringify(await channels.get(channel.id))).not.toContain('SECRETSECRET');
    expect(channels.pick('enc/model')).toMatchObject({ channelId: channel.id, apiKey, secretKey: undefined });
  });

  it('fills defaults: provider base URL, catalog models, weight 1, priority 0, enabled', async () => {
    const channel = await channels.create({ provider: 'anthropic', name: 'defaults', apiKey: 'sk-ant-0123456789abcdef' });
    expect(channel).toMatchObject({
      baseUrl: 'https://api.anthropic.com',
      models: ['anthropic/claude-sonnet-4.5'],
      weight: 1,
      priority: 0,
      enabled: true,
      secretKeyHint: null,
    });
  });

  it('picks the highest priority, then by weight with the injected random, then fails over', async () => {
    const model = 'route/model';
    const backup = await channels.create({ provider: 'openai', name: 'backup', apiKey: 'sk-backup-000000000', models: [model], priority: 0, weight: 50 });
    const a = await channels.create({ provider: 'openai', name: 'a', apiKey: 'sk-a-00000000000000', models: [model], priority: 10, weight: 1 });
    const b = await channels.create({ provider: 'openai', name: 'b', apiKey: 'sk-b-00000000000000', models: [model], priority: 10, weight: 3 });
    draws.push(0.1, 0.5, 0.9);
    expect([channels.pick(model), channels.pick(model), channels.pick(model)].map((p) => p?.channelId)).toEqual([a.id, b.id, b.id]);
    expect(channels.pick(model, new Set([a.id, b.id]))).toMatchObject({ channelId: backup.id, apiKey: 'sk-backup-000000000' });
    expect(channels.pick(model, new Set([a.id, b.id, backup.id]))).toBeUndefined();
    expect(draws).toEqual([]);
  });

  it('reflects admin changes at once: disable, key rotation, model list, delete', async () => {
    const model = 'change/model';
    const channel = await channels.create({ provider: 'openai', name: 'changing', apiKey: 'sk-old-000000000000', models: [model] });
    expect(channels.pick(model)?.apiKey).toBe('sk-old-000000000000');

    const rotated = await channels.update(channel.id, { apiKey: 'sk-new-000000000000', name: 'renamed' });
    expect(rotated).toMatchObject({ name: 'renamed', apiKeyHint: 'sk-…0000' });
    expect(channels.pick(model)?.apiKey).toBe('sk-new-000000000000');

    await channels.update(channel.id, { enabled: false });
    expect(channels.isServed(model)).toBe(false);
    expect(channels.pick(model)).toBeUndefined();
    await channels.update(channel.id, { enabled: true, models: ['other/model'] });
    expect([channels.isServed(model), channels.isServed('other/model')]).toEqual([false, true]);

    expect(await channels.delete(channel.id)).toBe(true);
    expect(channels.isServed('other/model')).toBe(false);
    expect(await channels.get(channel.id)).toBeUndefined();
    expect(await channels.delete(channel.id)).toBe(false);
    expect(await channels.update(channel.id, { weight: 2 })).toBeUndefined();
  });

  it('requires a secret key for Kling and keeps it encrypted', async () => {
    await expect(channels.create({ provider: 'kling', name: 'no secret', apiKey: 'ak-000000000000' })).rejects.toMatchObject({ param: 'secret_key' });
    const channel = await channels.create({ provider: 'kling', name: 'kling', apiKey: 'ak-access-0000001', secretKey: 'sk-kling-secret-9999' });
    const row = await rowOf(channel.id);
    expect(row.secret_enc).not.toContain('kling-secret');
    expect(channel.secretKeyHint).toBe('sk-…9999');
    expect(channels.pick('kling/kling-v2')).toMatchObject({ apiKey: 'ak-access-0000001', secretKey: 'sk-kling-secret-9999' });
    await expect(channels.update(channel.id, { secretKey: null })).rejects.toMatchObject({ param: 'secret_key' });
  });

  it('validates input with the API field names', async () => {
    const base = { provider: 'openai', name: 'bad', apiKey: 'sk-000000000000', models: ['x/y'] };
    await expect(channels.create({ ...base, provider: 'nope' })).rejects.toMatchObject({ code: 'invalid_request', param: 'provider' });
    await expect(channels.create({ ...base, baseUrl: 'ftp://x' })).rejects.toMatchObject({ param: 'base_url' });
    await expect(channels.create({ ...base, baseUrl: 'not a url' })).rejects.toMatchObject({ param: 'base_url' });
    await expect(channels.create({ ...base, weight: 0 })).rejects.toMatchObject({ param: 'weight' });
    await expect(channels.create({ ...base, priority: 1.5 })).rejects.toMatchObject({ param: 'priority' });
    await expect(channels.create({ ...base, models: [] })).rejects.toMatchObject({ param: 'models' });
    await expect(channels.create({ ...base, models: undefined, provider: 'xai' })).rejects.toMatchObject({ param: 'models' });
    await expect(channels.create({ ...base, apiKey: ' ' })).rejects.toMatchObject({ param: 'api_key' });
    expect((await channels.list()).some((c) => c.name === 'bad')).toBe(false);
  });

  it('stores base URLs without a trailing slash', async () => {
    const channel = await channels.create({ provider: 'openai', name: 'slash', apiKey: 'sk-000000000000', baseUrl: 'http://127.0.0.1:9/openai/', models: ['s/m'] });
    expect(channel.baseUrl).toBe('http://127.0.0.1:9/openai');
  });
});

describe.each(DIALECTS)('channel seeding from config on %s', (dialect) => {
  let t: TestStore;
  const secretBox = new SecretBox(Buffer.alloc(32, 9));
  beforeAll(async () => {
    t = await openTestStore(dialect, 'seed');
  });
  afterAll(() => t.close());

  const envRows = () => t.store.db.selectFrom('channels').selectAll().where('name', 'like', 'env:%').orderBy('name').execute();

  it('creates one env:<provider> channel per seed and is idempotent across restarts', async () => {
    const seeds = [
      { provider: 'openai', apiKey: 'sk-openai-111111111' },
      { provider: 'kling', apiKey: 'ak-kling-1111111', secretKey: 'sk-kling-1111111' },
    ];
    const first = createChannelService(t.store.db, secretBox, new ManualClock());
    expect(await first.seedFromConfig(seeds, modelsForProvider)).toEqual({ created: ['openai', 'kling'], updated: [], unchanged: [], skipped: [] });
    const before = await envRows();
    expect(before.map((r) => [r.name, r.base_url])).toEqual([
      ['env:kling', 'https://api-singapore.klingai.com'],
      ['env:openai', 'https://api.openai.com/v1'],
    ]);
    expect(first.pick('openai/gpt-4.1-mini')?.apiKey).toBe('sk-openai-111111111');

    const restarted = createChannelService(t.store.db, secretBox, new ManualClock(Date.UTC(2026, 5, 1)));
    expect(await restarted.seedFromConfig(seeds, modelsForProvider)).toEqual({ created: [], updated: [], unchanged: ['openai', 'kling'], skipped: [] });
    expect(await envRows()).toEqual(before);
    expect(restarted.isServed('kling/kling-v2')).toBe(true);
  });

  it('re-encrypts a changed key, follows the base URL and catalog, and keeps admin weight and priority', async () => {
    const service = createChannelService(t.store.db, secretBox, new ManualClock());
    const [openaiRow] = (await envRows()).filter((r) => r.name === 'env:openai');
    await service.update(openaiRow?.id ?? '', { weight: 7, priority: 3 });
    const grown = (p: string) => (p === 'openai' ? [...modelsForProvider(p), 'openai/o3'] : modelsForProvider(p));
    const report = await service.seedFromConfig(
      [
        { provider: 'openai', apiKey: 'sk-openai-222222222', baseUrl: 'http://127.0.0.1:9/openai/' },
        { provider: 'kling', apiKey: 'ak-kling-1111111', secretKey: 'sk-kling-1111111' },
        { provider: 'xai', apiKey: 'xai-0000000000000' },
      ],
      grown,
    );
    expect(report).toEqual({ created: [], updated: ['openai'], unchanged: ['kling'], skipped: ['xai'] });
    const after = await t.store.db.selectFrom('channels').selectAll().where('name', '=', 'env:openai').executeTakeFirstOrThrow();
    expect(after.id).toBe(openaiRow?.id);
    expect(after.api_key_enc).not.toBe(openaiRow?.api_key_enc);
    expect(secretBox.decrypt(after.api_key_enc)).toBe('sk-openai-222222222');
    expect([after.base_url, after.weight, after.priority]).toEqual(['http://127.0.0.1:9/openai', 7, 3]);
    expect(service.pick('openai/o3')).toMatchObject({ apiKey: 'sk-openai-222222222', baseUrl: 'http://127.0.0.1:9/openai' });
  });

  it('lets the last seed for a provider win and rejects unknown providers', async () => {
    const service = createChannelService(t.store.db, secretBox, new ManualClock());
    await service.seedFromConfig(
      [
        { provider: 'anthropic', apiKey: 'from-config-file-000' },
        { provider: 'anthropic', apiKey: 'from-environment-000' },
      ],
      modelsForProvider,
    );
    expect(service.pick('anthropic/claude-sonnet-4.5')?.apiKey).toBe('from-environment-000');
    expect((await envRows()).filter((r) => r.name === 'env:anthropic')).toHaveLength(1);
    await expect(service.seedFromConfig([{ provider: 'acme', apiKey: 'k' }], modelsForProvider)).rejects.toThrow(/Unknown provider "acme"/);
  });
});

describe('channel service routing contract', () => {
  it('refuses to route before the snapshot is loaded, and serves as the pipeline ChannelRouter', async () => {
    const t = await openTestStore('sqlite', 'router');
    try {
      const service = createChannelService(t.store.db, new SecretBox(Buffer.alloc(32, 1)), new ManualClock());
      const router: ChannelRouter = service;
      expect(() => router.pick('x/y')).toThrow(/reload/);
      await service.reload();
      expect(router.pick('x/y')).toBeUndefined();
      expect(router.isServed('x/y')).toBe(false);
    } finally {
      await t.close();
    }
  });
});
