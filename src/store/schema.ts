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
  /** 1: an admin created this key to call the admin API (its owner must still be an admin); 0: inference only. */
  admin_scope: Generated<number>;
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
  /** Generation id (`gen-…`), also the completion id the client sees. */
  id: string;
  /** The `x-request-id` of the call (the client's own or one the gateway made). */
  request_id: string | null;
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

/** One row per user with money: the running balance, the sum of open holds, and the last ledger seq. */
export interface AccountsTable {
  user_id: string;
  balance_nanos: bigint;
  held_nanos: bigint;
  /** Taken back (card refund or dispute) beyond what the balance covered; repaid before anything else. */
  debt_nanos: Generated<bigint>;
  ledger_seq: number;
  created_at: number;
  updated_at: number;
}

/** Append-only: every change of an account's balance or held amount, numbered 1, 2, … per account. */
export interface LedgerEntriesTable {
  id: string;
  user_id: string;
  seq: number;
  kind:
    | 'signup_bonus'
    | 'topup'
    | 'redemption'
    | 'adjustment'
    | 'hold'
    | 'settle'
    | 'release'
    | 'refund'
    | 'stripe_refund'
    | 'stripe_dispute'
    | 'debt_repayment';
  /** Signed change of balance_nanos. */
  amount_nanos: bigint;
  /** Signed change of held_nanos. */
  held_delta_nanos: bigint;
  balance_after_nanos: bigint;
  held_after_nanos: bigint;
  /** Signed change of accounts.debt_nanos. */
  debt_delta_nanos: Generated<bigint>;
  debt_after_nanos: Generated<bigint>;
  hold_id: string | null;
  request_id: string | null;
  job_id: string | null;
  /** Stripe session id, redemption code id, or refunded hold id. */
  reference: string | null;
  reason: string | null;
  actor: string | null;
  created_at: number;
}

export interface HoldsTable {
  id: string;
  user_id: string;
  api_key_id: string | null;
  request_id: string | null;
  job_id: string | null;
  amount_nanos: bigint;
  /** `expired`: released by the reaper; a late settle may still charge it. */
  status: 'open' | 'settled' | 'released' | 'expired';
  expires_at: number;
  /** Actual cost priced from usage (may exceed what could be charged). */
  cost_nanos: bigint | null;
  /** What the account was charged. */
  settled_nanos: bigint | null;
  /** Cost at the upstream's list price (multiplier 1), for margin reports. */
  upstream_cost_nanos: bigint | null;
  estimated: number;
  created_at: number;
  closed_at: number | null;
  /** TOKENHUB_INSTANCE_ID of the instance that placed a request hold; null without one (see restart-holds.ts). */
  owner_instance: string | null;
}

export interface ApiKeyLimitsTable {
  api_key_id: string;
  user_id: string;
  total_limit_nanos: bigint | null;
  period: 'day' | 'month' | null;
  period_limit_nanos: bigint | null;
  /** 1 when an admin set this limit: only an admin may change or lift it. */
  set_by_admin: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** Charged amount per key per UTC day (`YYYY-MM-DD`). */
export interface ApiKeySpendTable {
  api_key_id: string;
  day: string;
  spent_nanos: bigint;
}

export interface UserGroupsTable {
  id: string;
  name: string;
  /** Decimal string, e.g. "1.25". */
  multiplier: string;
  created_at: number;
  updated_at: number;
}

/** Per-model multiplier overriding the group's; group_id `*` applies to every group. */
export interface ModelMultipliersTable {
  group_id: string;
  model_id: string;
  multiplier: string;
  updated_at: number;
}

export interface RedemptionBatchesTable {
  id: string;
  amount_nanos: bigint;
  code_count: number;
  expires_at: number | null;
  note: string | null;
  created_by: string | null;
  created_at: number;
}

export interface RedemptionCodesTable {
  id: string;
  batch_id: string;
  /** SHA-256 of the normalized code, hex; the code itself is shown once at creation. */
  code_hash: string;
  /** Last four characters, for lists. */
  code_hint: string;
  amount_nanos: bigint;
  expires_at: number | null;
  redeemed_by: string | null;
  redeemed_at: number | null;
  created_at: number;
}

export interface StripeCheckoutSessionsTable {
  id: string;
  user_id: string;
  amount_nanos: bigint;
  status: 'open' | 'completed';
  event_id: string | null;
  /** The paid PaymentIntent, recorded on completion: card refunds and disputes name it. */
  payment_intent_id: string | null;
  created_at: number;
  completed_at: number | null;
}

export interface StripeEventsTable {
  id: string;
  type: string;
  session_id: string | null;
  outcome: string;
  received_at: number;
}

/** Dashboard log-ins: the cookie carries a random token; only its SHA-256 is stored. */
export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  /** Sent back by the browser in `x-csrf-token` on every state-changing dashboard request. */
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** Single-use sign-up invitations for invite-only mode; the code is shown once and stored as SHA-256. */
export interface SignupInvitesTable {
  id: string;
  code_hash: string;
  code_hint: string;
  note: string | null;
  created_by: string | null;
  created_at: number;
  expires_at: number | null;
  used_by: string | null;
  used_at: number | null;
}

/**
 * One async video generation (`tsk-…`). Written before the upstream is called; `status` is the gateway's own
 * state machine (see jobs/video-jobs.ts), `billing_state` tracks the job's hold apart from it so a crash
 * between deciding an outcome and settling it is finished by the next poll. `lease_*` fence the one process
 * working on the row (polling, billing or the callback).
 */
export interface VideoJobsTable {
  id: string;
  user_id: string;
  api_key_id: string | null;
  request_id: string | null;
  model: string;
  provider: string;
  channel_id: string | null;
  status: 'submitting' | 'unknown' | 'queued' | 'running' | 'succeeded' | 'failed';
  upstream_task_id: string | null;
  upstream_status: string | null;
  poll_path: string | null;
  /** JSON: the public request as accepted (callback_url left out). */
  request_json: string;
  duration_seconds: number;
  resolution: string;
  mode: string | null;
  /** Decimal text of the price multiplier in force at submit; the charge uses it too. */
  multiplier: string;
  hold_id: string | null;
  held_nanos: bigint;
  /** Charged amount once settled; the intended charge while billing_state is still `held`. */
  cost_nanos: bigint | null;
  upstream_cost_nanos: bigint | null;
  billed_seconds: number | null;
  /** Seconds of video the upstream reported, in milliseconds (it may be fractional). */
  delivered_ms: number | null;
  billing_state: 'held' | 'settled' | 'released';
  /** JSON array of the upstream's videos: {url, durationSeconds?, resolution?}. */
  result_json: string | null;
  /** Name of the gateway's own copy of the video, when result storage is on. */
  stored_file: string | null;
  error_code: string | null;
  error_message: string | null;
  warnings: string | null;
  polls: number;
  poll_errors: number;
  /** When the row next needs work from the poller (a poll, the deadline, or an unfinished billing step). */
  next_poll_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  deadline_at: number;
  callback_url: string | null;
  callback_state: 'none' | 'pending' | 'delivered' | 'failed';
  callback_attempts: number;
  callback_next_at: number | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface Database {
  users: UsersTable;
  api_keys: ApiKeysTable;
  channels: ChannelsTable;
  channel_models: ChannelModelsTable;
  model_overrides: ModelOverridesTable;
  request_logs: RequestLogsTable;
  meta: MetaTable;
  accounts: AccountsTable;
  ledger_entries: LedgerEntriesTable;
  holds: HoldsTable;
  api_key_limits: ApiKeyLimitsTable;
  api_key_spend: ApiKeySpendTable;
  user_groups: UserGroupsTable;
  model_multipliers: ModelMultipliersTable;
  redemption_batches: RedemptionBatchesTable;
  redemption_codes: RedemptionCodesTable;
  stripe_checkout_sessions: StripeCheckoutSessionsTable;
  stripe_events: StripeEventsTable;
  sessions: SessionsTable;
  signup_invites: SignupInvitesTable;
  video_jobs: VideoJobsTable;
  callback_secrets: CallbackSecretsTable;
}

/** A user's video callback signing key, sealed with the master key (SecretBox). */
export interface CallbackSecretsTable {
  user_id: string;
  secret_enc: string;
  created_at: number;
}

export type { Generated };
