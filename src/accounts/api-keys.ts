/**
 * API keys: `th-…` secrets shown once, stored as SHA-256, checked on every gateway request. The hot path reads an
 * in-memory cache; revocation and user changes drop entries at once here, and `onInvalidate` lets a pub/sub
 * broadcaster repeat them on other instances (which call `invalidate(…, { fromRemote: true })`).
 */
import type { Kysely, Selectable } from 'kysely';
import { GatewayError } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import type { ApiKeysTable, Database } from '../store/schema.js';
import { ApiKeyCache, type CachedApiKey } from './api-key-cache.js';
import { generateApiKey, hashApiKey, isApiKeyShaped, toApiKeyPrefix } from './api-key-format.js';
import { checkApiKeyInput, type CreateApiKeyInput } from './api-key-input.js';
import type { AuthContext } from './auth-context.js';
import { compileIpAllowlist } from './ip-allowlist.js';

export type { CreateApiKeyInput };
import { LastUsedTracker } from './last-used-tracker.js';
import type { UserService } from './users.js';

export interface ApiKeyInfo {
  id: string;
  userId: string;
  name: string;
  /** `th-Ab12Cd…wxyz`, safe to display. */
  prefix: string;
  status: 'active' | 'revoked';
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  expiresAt: number | null;
  /** Model ids (or `vendor/*` patterns) this key may call; null for all. */
  allowedModels: string[] | null;
  /** IPs and CIDR ranges this key may be used from; null for any. */
  allowedIps: string[] | null;
  /** Created by an admin for the admin API; every other key is for inference only. */
  adminScope: boolean;
}


export interface CreatedApiKey {
  key: ApiKeyInfo;
  /** The only time the secret exists outside the caller's hands. */
  plaintext: string;
}

export type ApiKeyInvalidation = { kind: 'key'; keyHash: string } | { kind: 'user'; userId: string };

export interface InvalidateOptions {
  /** Set by a broadcaster replaying another instance's event, so it is not broadcast again. */
  fromRemote?: boolean;
}

export interface ApiKeyServiceOptions {
  /** How long a looked-up key is trusted without reading the store again. Default DEFAULT_KEY_CACHE_TTL_MS. */
  cacheTtlMs?: number;
  maxCacheEntries?: number;
  /** When given, status/role/group changes drop that user's cached keys. */
  users?: Pick<UserService, 'onChange'>;
}

export interface ApiKeyService {
  create(userId: string, input: CreateApiKeyInput): Promise<CreatedApiKey>;
  /** Newest first, revoked keys included. */
  list(userId: string): Promise<ApiKeyInfo[]>;
  /** Undefined when the key does not exist or belongs to someone else. */
  get(userId: string, keyId: string): Promise<ApiKeyInfo | undefined>;
  /** Admin lookup without an owner check. */
  findById(keyId: string): Promise<ApiKeyInfo | undefined>;
  /** Idempotent; undefined when the key does not exist or belongs to someone else. */
  revoke(userId: string, keyId: string): Promise<ApiKeyInfo | undefined>;
  /** Throws GatewayError invalid_api_key | key_disabled | user_disabled | ip_not_allowed. */
  authenticate(plaintext: string, clientIp?: string): Promise<AuthContext>;
  invalidate(keyHash: string, options?: InvalidateOptions): void;
  invalidateUser(userId: string, options?: InvalidateOptions): void;
  onInvalidate(listener: (event: ApiKeyInvalidation) => void): () => void;
  /** Writes batched `last_used_at` marks; call on a timer and at shutdown. Returns keys written. */
  flushLastUsed(): Promise<number>;
}

/**
 * How long a cached key lookup is trusted. Local changes drop entries at once (and over Redis on every
 * instance); a change this instance never hears of — the CLI, another instance without Redis — waits at most
 * this long.
 */
export const DEFAULT_KEY_CACHE_TTL_MS = 10_000;
const DEFAULT_MAX_CACHE_ENTRIES = 50_000;

function parseStringList(json: string | null): string[] | null {
  if (json === null) return null;
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error('Stored API key list is not an array of strings');
  }
  return value;
}

function toApiKeyInfo(row: Selectable<ApiKeysTable>, pendingLastUsed: number | undefined): ApiKeyInfo {
  const lastUsedAt = Math.max(row.last_used_at ?? 0, pendingLastUsed ?? 0);
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    status: row.status,
    createdAt: row.created_at,
    lastUsedAt: lastUsedAt === 0 ? null : lastUsedAt,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
    allowedModels: parseStringList(row.allowed_models),
    allowedIps: parseStringList(row.allowed_ips),
    adminScope: row.admin_scope === 1,
  };
}

/** Whether the key behind `auth` may call `modelId`. Entries ending in `*` match by prefix (`openai/*`). */
export function isModelAllowed(auth: AuthContext, modelId: string): boolean {
  const allowed = auth.key?.allowedModels;
  if (!allowed) return true;
  return allowed.some((entry) => (entry.endsWith('*') ? modelId.startsWith(entry.slice(0, -1)) : entry === modelId));
}

function toAuthContext(entry: CachedApiKey): AuthContext {
  return {
    userId: entry.userId,
    role: entry.role,
    groupId: entry.groupId,
    via: 'api_key',
    key: {
      id: entry.keyId,
      allowedModels: entry.allowedModels ? [...entry.allowedModels] : null,
      allowedIps: entry.allowedIps ? [...entry.allowedIps] : null,
      adminScope: entry.adminScope,
    },
  };
}

async function loadApiKeyByHash(db: Kysely<Database>, keyHash: string): Promise<CachedApiKey | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select([
      'api_keys.id as key_id',
      'api_keys.user_id',
      'api_keys.status as key_status',
      'api_keys.expires_at',
      'api_keys.allowed_models',
      'api_keys.allowed_ips',
      'api_keys.admin_scope',
      'users.role',
      'users.status as user_status',
      'users.group_id',
    ])
    .where('api_keys.key_hash', '=', keyHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const allowedIps = parseStringList(row.allowed_ips);
  return {
    keyId: row.key_id,
    keyHash,
    userId: row.user_id,
    keyStatus: row.key_status,
    expiresAt: row.expires_at,
    allowedModels: parseStringList(row.allowed_models),
    allowedIps,
    ipAllowlist: allowedIps ? compileIpAllowlist(allowedIps) : null,
    adminScope: row.admin_scope === 1,
    role: row.role,
    userStatus: row.user_status,
    groupId: row.group_id,
  };
}

export function createApiKeyService(db: Kysely<Database>, clock: Clock, options: ApiKeyServiceOptions = {}): ApiKeyService {
  const cache = new ApiKeyCache(options.cacheTtlMs ?? DEFAULT_KEY_CACHE_TTL_MS, options.maxCacheEntries ?? DEFAULT_MAX_CACHE_ENTRIES);
  const lastUsed = new LastUsedTracker(db);
  const listeners = new Set<(event: ApiKeyInvalidation) => void>();

  const emit = (event: ApiKeyInvalidation, invalidateOptions: InvalidateOptions | undefined) => {
    if (invalidateOptions?.fromRemote) return;
    for (const listener of listeners) listener(event);
  };
  const toInfo = (row: Selectable<ApiKeysTable>) => toApiKeyInfo(row, lastUsed.peek(row.id));
  const ownedRow = (userId: string, keyId: string) =>
    db.selectFrom('api_keys').selectAll().where('id', '=', keyId).where('user_id', '=', userId).executeTakeFirst();

  const service: ApiKeyService = {
    async create(userId, input) {
      const now = clock.now();
      const checked = checkApiKeyInput(input, now);
      const owner = await db.selectFrom('users').select(['id', 'role']).where('id', '=', userId).executeTakeFirst();
      if (!owner) throw new GatewayError('not_found', { message: 'The user does not exist.' });
      const adminScope = input.adminScope === true;
      if (adminScope && owner.role !== 'admin') {
        throw new GatewayError('invalid_request', { param: 'admin_scope', message: 'Only an admin user can hold a key with the admin scope.' });
      }
      const plaintext = generateApiKey();
      const row: Selectable<ApiKeysTable> = {
        id: newId('key'),
        user_id: userId,
        name: checked.name,
        prefix: toApiKeyPrefix(plaintext),
        key_hash: hashApiKey(plaintext),
        status: 'active',
        created_at: now,
        last_used_at: null,
        revoked_at: null,
        expires_at: checked.expiresAt,
        allowed_models: checked.allowedModels && JSON.stringify(checked.allowedModels),
        allowed_ips: checked.allowedIps && JSON.stringify(checked.allowedIps),
        admin_scope: adminScope ? 1 : 0,
      };
      await db.insertInto('api_keys').values(row).execute();
      return { key: toInfo(row), plaintext };
    },

    async list(userId) {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toInfo);
    },

    async get(userId, keyId) {
      const row = await ownedRow(userId, keyId);
      return row && toInfo(row);
    },

    async findById(keyId) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
      return row && toInfo(row);
    },

    async revoke(userId, keyId) {
      const row = await ownedRow(userId, keyId);
      if (!row) return undefined;
      if (row.status === 'active') {
        const now = clock.now();
        await db
          .updateTable('api_keys')
          .set({ status: 'revoked', revoked_at: now })
          .where('id', '=', keyId)
          .where('status', '=', 'active')
          .execute();
        row.status = 'revoked';
        row.revoked_at = now;
      }
      service.invalidate(row.key_hash);
      return toInfo(row);
    },

    async authenticate(plaintext, clientIp) {
      if (plaintext.length === 0) throw new GatewayError('missing_api_key');
      if (!isApiKeyShaped(plaintext)) throw new GatewayError('invalid_api_key');
      const keyHash = hashApiKey(plaintext);
      const now = clock.now();
      let entry = cache.get(keyHash, now);
      if (!entry) {
        const generation = cache.generation;
        entry = await loadApiKeyByHash(db, keyHash);
        if (!entry) throw new GatewayError('invalid_api_key');
        cache.set(entry, now, generation);
      }
      if (entry.keyStatus !== 'active') throw new GatewayError('key_disabled', { message: 'The API key is revoked.' });
      if (entry.expiresAt !== null && entry.expiresAt <= now) {
        throw new GatewayError('key_disabled', { message: 'The API key has expired.' });
      }
      if (entry.userStatus !== 'active') throw new GatewayError('user_disabled');
      if (entry.ipAllowlist && !entry.ipAllowlist.allows(clientIp)) throw new GatewayError('ip_not_allowed');
      lastUsed.mark(entry.keyId, now);
      return toAuthContext(entry);
    },

    invalidate(keyHash, invalidateOptions) {
      cache.deleteHash(keyHash);
      emit({ kind: 'key', keyHash }, invalidateOptions);
    },

    invalidateUser(userId, invalidateOptions) {
      cache.deleteUser(userId);
      emit({ kind: 'user', userId }, invalidateOptions);
    },

    onInvalidate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    flushLastUsed: () => lastUsed.flush(),
  };

  options.users?.onChange((user) => service.invalidateUser(user.id));
  return service;
}
