/**
 * The Kysely database type: one interface per table. Conventions shared by both dialects:
 * - ids are prefixed text (`usr_…`, `key_…`);
 * - times are epoch milliseconds in 64-bit integer columns, read back as `number`;
 * - money columns end in `_nanos` (1e-9 USD) and are read back as `bigint` (see store/db.ts);
 * - flags are 0/1 integers; lists and objects are JSON text.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  role: 'user' | 'admin';
  status: 'active' | 'disabled';
  group_id: string;
  created_at: number;
  updated_at: number;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  /** Visible part, e.g. `th-Ab12…`, safe to show in lists. */
  prefix: string;
  /** SHA-256 of the whole key, hex. */
  key_hash: string;
  status: 'active' | 'revoked';
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  expires_at: number | null;
  /** JSON array of model ids, or null for all. */
  allowed_models: string | null;
  /** JSON array of IPs/CIDRs, or null for any. */
  allowed_ips: string | null;
}

export interface ChannelsTable {
  id: string;
  provider: string;
  name: string;
  base_url: string;
  /** AES-256-GCM ciphertext (see shared/crypto.ts). */
  api_key_enc: string;
  /** Second secret where a provider needs one (Kling secret key), encrypted; null otherwise. */
  secret_enc: string | null;
  weight: number;
  priority: number;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface ChannelModelsTable {
  channel_id: string;
  model_id: string;
}

export interface ModelOverridesTable {
  model_id: string;
  /** JSON: a partial catalog entry merged over the data file at runtime. */
  patch: string;
  updated_at: number;
}

export interface RequestLogsTable {
  id: string;
  user_id: string | null;
  api_key_id: string | null;
  endpoint: string;
  model: string | null;
  provider: string | null;
  channel_id: string | null;
  stream: number;
  status: number;
  error_code: string | null;
  latency_ms: number;
  ttfb_ms: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_nanos: bigint | null;
  /** 1 when the usage was counted by the gateway instead of reported by the upstream. */
  estimated: number;
  finish_reason: string | null;
  /** JSON array of warnings about parameters dropped or changed. */
  warnings: string | null;
  created_at: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  api_keys: ApiKeysTable;
  channels: ChannelsTable;
  channel_models: ChannelModelsTable;
  model_overrides: ModelOverridesTable;
  request_logs: RequestLogsTable;
  meta: MetaTable;
}

export type { Generated };
