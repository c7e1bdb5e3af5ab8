/**
 * Upstream channels: an upstream account (provider, base URL, encrypted key) and the models it serves. Admins
 * manage them; the gateway picks one per request from an in-memory snapshot with decrypted keys, rebuilt after
 * every change, so the request path never reads the store.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ProviderInfo } from '../catalog/providers.js';
import { GatewayError } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import type { SecretBox } from '../shared/crypto.js';
import { newId } from '../shared/ids.js';
import type { ChannelsTable, Database } from '../store/schema.js';
import { seedChannelsFromConfig, type ChannelSeed, type ChannelSeedReport } from './channel-seed.js';
import {
  checkChannelBaseUrl,
  checkChannelModels,
  checkChannelName,
  checkChannelPriority,
  checkChannelProvider,
  checkChannelSecret,
  checkChannelWeight,
  type ChannelCreateInput,
  type ChannelUpdateInput,
} from './channel-input.js';
import type { Channel } from './channel.js';
import { maskSecret } from './mask-secret.js';
import { indexChannelsByModel, pickChannel, type ChannelCandidate } from './pick-channel.js';

export type { ChannelCreateInput, ChannelUpdateInput } from './channel-input.js';
export type { ChannelSeed, ChannelSeedReport } from './channel-seed.js';

/** What admins see: never a key, only a hint. */
export type { Channel };

export interface ChannelServiceOptions {
  /** [0, 1) source for the weighted draw; tests inject a fixed sequence. */
  random?: () => number;
  /** Catalog model ids of a provider, used when a channel is created without `models`. */
  modelsForProvider?: (provider: string) => string[];
}

export interface ChannelService {
  create(input: ChannelCreateInput): Promise<Channel>;
  update(id: string, patch: ChannelUpdateInput): Promise<Channel | undefined>;
  get(id: string): Promise<Channel | undefined>;
  /** A channel with its decrypted credentials by id, disabled ones included: a video task is polled on the
   * channel that created it, whatever routing would pick today. */
  credentials(id: string): Promise<ChannelCandidate | undefined>;
  list(): Promise<Channel[]>;
  delete(id: string): Promise<boolean>;
  /** Channel `env:<provider>` per seed, created or brought in line with the config; safe on every start. */
  seedFromConfig(seeds: readonly ChannelSeed[], modelsForProvider: (provider: string) => string[]): Promise<ChannelSeedReport>;
  /** Rebuilds the routing snapshot from the store. Call once at boot; admin changes here call it themselves. */
  reload(): Promise<void>;
  /** Enabled channel for the model, skipping `exclude` (channel ids already tried); undefined when none is left. */
  pick(modelId: string, exclude?: ReadonlySet<string>): ChannelCandidate | undefined;
  isServed(modelId: string): boolean;
  /** Fired after this instance changes channels, so a broadcaster can ask other instances to reload(). */
  onChange(listener: () => void): () => void;
}

async function loadChannelModels(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string[]>> {
  const byChannel = new Map<string, string[]>();
  if (ids.length === 0) return byChannel;
  const rows = await db.selectFrom('channel_models').selectAll().where('channel_id', 'in', ids).execute();
  for (const row of rows) byChannel.set(row.channel_id, [...(byChannel.get(row.channel_id) ?? []), row.model_id]);
  return byChannel;
}

function toChannelCandidate(secretBox: SecretBox, row: Selectable<ChannelsTable>, models: string[]): ChannelCandidate {
  const apiKey = secretBox.decrypt(row.api_key_enc);
  const secretKey = row.secret_enc === null ? undefined : secretBox.decrypt(row.secret_enc);
  const channel: Channel = {
    id: row.id,
    provider: row.provider,
    name: row.name,
    baseUrl: row.base_url,
    apiKeyHint: maskSecret(apiKey),
    secretKeyHint: secretKey === undefined ? null : maskSecret(secretKey),
    models: [...models].sort(),
    weight: row.weight,
    priority: row.priority,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  return { channelId: row.id, channel, provider: row.provider, baseUrl: row.base_url, apiKey, secretKey };
}

async function loadChannelCandidates(db: Kysely<Database>, secretBox: SecretBox, rows: Selectable<ChannelsTable>[]): Promise<ChannelCandidate[]> {
  const models = await loadChannelModels(db, rows.map((r) => r.id));
  return rows.map((row) => toChannelCandidate(secretBox, row, models.get(row.id) ?? []));
}

async function replaceChannelModels(trx: Kysely<Database>, channelId: string, models: readonly string[]): Promise<void> {
  await trx.deleteFrom('channel_models').where('channel_id', '=', channelId).execute();
  if (models.length > 0) {
    await trx
      .insertInto('channel_models')
      .values(models.map((model_id) => ({ channel_id: channelId, model_id })))
      .execute();
  }
}

function toNewChannelRow(secretBox: SecretBox, provider: ProviderInfo, input: ChannelCreateInput, now: number): Selectable<ChannelsTable> {
  return {
    id: newId('chn'),
    provider: provider.id,
    name: checkChannelName(input.name),
    base_url: checkChannelBaseUrl(input.baseUrl ?? provider.defaultBaseUrl),
    api_key_enc: secretBox.encrypt(checkChannelSecret(input.apiKey, 'api_key')),
    secret_enc: input.secretKey === undefined ? null : secretBox.encrypt(checkChannelSecret(input.secretKey, 'secret_key')),
    weight: checkChannelWeight(input.weight ?? 1),
    priority: checkChannelPriority(input.priority ?? 0),
    enabled: input.enabled === false ? 0 : 1,
    created_at: now,
    updated_at: now,
  };
}

function toChannelChanges(secretBox: SecretBox, patch: ChannelUpdateInput, now: number): Partial<ChannelsTable> {
  const values: Partial<ChannelsTable> = { updated_at: now };
  if (patch.name !== undefined) values.name = checkChannelName(patch.name);
  if (patch.baseUrl !== undefined) values.base_url = checkChannelBaseUrl(patch.baseUrl);
  if (patch.apiKey !== undefined) values.api_key_enc = secretBox.encrypt(checkChannelSecret(patch.apiKey, 'api_key'));
  if (patch.secretKey !== undefined) {
    values.secret_enc = patch.secretKey === null ? null : secretBox.encrypt(checkChannelSecret(patch.secretKey, 'secret_key'));
  }
  if (patch.weight !== undefined) values.weight = checkChannelWeight(patch.weight);
  if (patch.priority !== undefined) values.priority = checkChannelPriority(patch.priority);
  if (patch.enabled !== undefined) values.enabled = patch.enabled ? 1 : 0;
  return values;
}

export function createChannelService(
  db: Kysely<Database>,
  secretBox: SecretBox,
  clock: Clock,
  options: ChannelServiceOptions = {},
): ChannelService {
  const random = options.random ?? Math.random;
  const listeners = new Set<() => void>();
  let snapshot: Map<string, ChannelCandidate[]> | undefined;
  let reloadSequence = 0;

  async function afterChange(): Promise<void> {
    await service.reload();
    for (const listener of listeners) listener();
  }

  function defaultModels(provider: string): string[] {
    const models = options.modelsForProvider?.(provider) ?? [];
    if (models.length === 0) {
      throw new GatewayError('invalid_request', { param: 'models', message: 'models is required: no catalog models are known for this provider.' });
    }
    return models;
  }

  const service: ChannelService = {
    async create(input) {
      const provider = checkChannelProvider(input.provider);
      if (provider.credentials === 'access-secret' && input.secretKey === undefined) {
        throw new GatewayError('invalid_request', { param: 'secret_key', message: `${provider.name} channels need secret_key.` });
      }
      const row = toNewChannelRow(secretBox, provider, input, clock.now());
      const models = checkChannelModels(input.models ?? defaultModels(provider.id));
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('channels').values(row).execute();
        await replaceChannelModels(trx, row.id, models);
      });
      await afterChange();
      return toChannelCandidate(secretBox, row, models).channel;
    },

    async update(id, patch) {
      const existing = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
      if (!existing) return undefined;
      if (patch.secretKey === null && checkChannelProvider(existing.provider).credentials === 'access-secret') {
        throw new GatewayError('invalid_request', { param: 'secret_key', message: 'This provider needs secret_key.' });
      }
      const values = toChannelChanges(secretBox, patch, clock.now());
      const models = patch.models === undefined ? undefined : checkChannelModels(patch.models);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('channels').set(values).where('id', '=', id).execute();
        if (models) await replaceChannelModels(trx, id, models);
      });
      await afterChange();
      return service.get(id);
    },

    async get(id) {
      return (await service.credentials(id))?.channel;
    },

    async credentials(id) {
      const row = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const [pick] = await loadChannelCandidates(db, secretBox, [row]);
      return pick;
    },

    async list() {
      const rows = await db.selectFrom('channels').selectAll().orderBy('provider').orderBy('priority', 'desc').orderBy('name').execute();
      return (await loadChannelCandidates(db, secretBox, rows)).map((p) => p.channel);
    },

    async delete(id) {
      const deleted = await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('channel_models').where('channel_id', '=', id).execute();
        const result = await trx.deleteFrom('channels').where('id', '=', id).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
      if (deleted) await afterChange();
      return deleted;
    },

    async seedFromConfig(seeds, modelsForProvider) {
      const report = await seedChannelsFromConfig({ db, secretBox, service }, seeds, modelsForProvider);
      await service.reload();
      return report;
    },

    async reload() {
      const sequence = ++reloadSequence;
      const rows = await db.selectFrom('channels').selectAll().where('enabled', '=', 1).orderBy('created_at').orderBy('id').execute();
      const next = indexChannelsByModel(await loadChannelCandidates(db, secretBox, rows));
      // A slower, older reload must not overwrite a newer one.
      if (sequence === reloadSequence) snapshot = next;
    },

    pick(modelId, exclude) {
      if (!snapshot) throw new Error('Channel snapshot not loaded: call reload() at startup');
      return pickChannel(snapshot.get(modelId) ?? [], exclude, random);
    },

    isServed(modelId) {
      if (!snapshot) throw new Error('Channel snapshot not loaded: call reload() at startup');
      return (snapshot.get(modelId)?.length ?? 0) > 0;
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return service;
}
