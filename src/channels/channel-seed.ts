/**
 * Channels from the environment: one `env:<provider>` channel per configured provider, brought in line with the
 * config on every start. Weight, priority and enabled stay as an admin left them; key, secret, base URL and the
 * model list follow the config and catalog. Later seeds for the same provider win (environment over config file).
 */
import type { Kysely } from 'kysely';
import { getProvider } from '../catalog/providers.js';
import type { SecretBox } from '../shared/crypto.js';
import type { Database } from '../store/schema.js';
import { checkChannelBaseUrl, type ChannelCreateInput, type ChannelUpdateInput } from './channel-input.js';

export interface ChannelSeed {
  provider: string;
  apiKey: string;
  secretKey?: string | undefined;
  baseUrl?: string | undefined;
}

export interface ChannelSeedReport {
  /** Provider ids whose channel was created, changed, left as it was, or skipped for having no catalog models. */
  created: string[];
  updated: string[];
  unchanged: string[];
  skipped: string[];
}

interface SeedDeps {
  db: Kysely<Database>;
  secretBox: SecretBox;
  /** The channel service's writes (channels.ts), which validate and seal what they store. */
  service: { create(input: ChannelCreateInput): Promise<unknown>; update(id: string, patch: ChannelUpdateInput): Promise<unknown> };
}

export function toSeedChannelName(provider: string): string {
  return `env:${provider}`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((x) => set.has(x));
}

async function diffSeed(deps: SeedDeps, channelId: string, seed: ChannelSeed, baseUrl: string, models: string[]): Promise<ChannelUpdateInput> {
  const row = await deps.db.selectFrom('channels').selectAll().where('id', '=', channelId).executeTakeFirstOrThrow();
  const current = await deps.db.selectFrom('channel_models').select('model_id').where('channel_id', '=', channelId).execute();
  const patch: ChannelUpdateInput = {};
  if (deps.secretBox.decrypt(row.api_key_enc) !== seed.apiKey) patch.apiKey = seed.apiKey;
  const secret = row.secret_enc === null ? undefined : deps.secretBox.decrypt(row.secret_enc);
  if (secret !== seed.secretKey) patch.secretKey = seed.secretKey ?? null;
  if (row.base_url !== baseUrl) patch.baseUrl = baseUrl;
  if (!sameSet(current.map((m) => m.model_id), models)) patch.models = models;
  return patch;
}

export async function seedChannelsFromConfig(
  deps: SeedDeps,
  seeds: readonly ChannelSeed[],
  modelsForProvider: (provider: string) => string[],
): Promise<ChannelSeedReport> {
  const report: ChannelSeedReport = { created: [], updated: [], unchanged: [], skipped: [] };
  const lastByProvider = new Map(seeds.map((seed) => [seed.provider, seed]));
  for (const seed of lastByProvider.values()) {
    const provider = getProvider(seed.provider);
    if (!provider) throw new Error(`Unknown provider "${seed.provider}" in the upstream configuration`);
    const models = modelsForProvider(provider.id);
    if (models.length === 0) {
      report.skipped.push(provider.id);
      continue;
    }
    const name = toSeedChannelName(provider.id);
    const baseUrl = checkChannelBaseUrl(seed.baseUrl ?? provider.defaultBaseUrl);
    const existing = await deps.db
      .selectFrom('channels')
      .select('id')
      .where('name', '=', name)
      .orderBy('created_at')
      .executeTakeFirst();
    if (!existing) {
      const { secretKey } = seed;
      await deps.service.create({ provider: provider.id, name, baseUrl, apiKey: seed.apiKey, models, ...(secretKey !== undefined ? { secretKey } : {}) });
      report.created.push(provider.id);
      continue;
    }
    const patch = await diffSeed(deps, existing.id, seed, baseUrl, models);
    if (Object.keys(patch).length === 0) {
      report.unchanged.push(provider.id);
      continue;
    }
    await deps.service.update(existing.id, patch);
    report.updated.push(provider.id);
  }
  return report;
}
