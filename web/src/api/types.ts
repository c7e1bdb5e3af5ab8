/** JSON shapes of the API routes the dashboard calls. Money is always an exact decimal USD string. */

export type SignupMode = 'open' | 'invite' | 'closed';

export interface DashboardConfig {
  signup_mode: SignupMode;
  api_base_url: string;
  top_up: { stripe_enabled: boolean; min_usd: string; max_usd: string; presets_usd: string[] };
}

export interface SessionUser {
  id: string;
  email: string;
  role: 'user' | 'admin';
  group: string;
  created_at: number;
}

export interface SessionResponse {
  user: SessionUser;
  csrf_token: string;
}

export interface SessionJson {
  id: string;
  ip: string | null;
  user_agent: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  current: boolean;
}

export interface ListResponse<T> {
  object: 'list';
  data: T[];
  has_more?: boolean;
  next_cursor?: string | null;
}

export interface OverviewJson {
  balance_usd: string;
  held_usd: string;
  available_usd: string;
  spend_today_usd: string;
  requests_today: number;
  spend_month_usd: string;
  requests_month: number;
  daily: Array<{ day: string; requests: number; prompt_tokens: number; completion_tokens: number; cost_usd: string }>;
  top_models: Array<{ model: string; requests: number; cost_usd: string }>;
}

export interface ApiKeyJson {
  id: string;
  name: string;
  prefix: string;
  status: 'active' | 'revoked';
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  expires_at: number | null;
  allowed_models: string[] | null;
  allowed_ips: string[] | null;
  /** The key may call the admin API (only an admin can make such a key). */
  admin_scope: boolean;
  spent_usd: string;
  /** `set_by_admin`: only an admin can change or lift it. */
  spend_limit: { usd: string; period: 'total' | 'day' | 'month'; set_by_admin: boolean } | null;
}

export type CreatedApiKeyJson = ApiKeyJson & { key: string };

export interface UsageRecordJson {
  id: string;
  request_id: string | null;
  api_key_id: string | null;
  endpoint: string;
  model: string | null;
  provider: string | null;
  stream: boolean;
  status: number;
  error_code: string | null;
  prompt_tokens: number;
  cached_tokens: number;
  cache_write_tokens: number;
  completion_tokens: number;
  reasoning_tokens: number;
  cost: string | null;
  estimated: boolean;
  latency_ms: number;
  ttfb_ms: number | null;
  finish_reason: string | null;
  created_at: number;
}

export interface BalanceJson {
  balance: string;
  held: string;
  available: string;
  /** Taken back by a card refund or dispute beyond the balance; the next money in repays it first. */
  debt: string;
}

export type LedgerKind =
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

export interface LedgerEntryJson {
  id: string;
  seq: number;
  kind: LedgerKind;
  amount: string;
  held_change: string;
  balance_after: string;
  reason: string | null;
  reference: string | null;
  request_id: string | null;
  created_at: number;
}

export interface RedemptionJson {
  amount: string;
  balance: string;
}

export interface CheckoutJson {
  id: string;
  url: string;
  amount: string;
}

export interface TokenPricing {
  kind: 'tokens';
  inputPerMTok: string;
  cachedInputPerMTok?: string;
  cacheWritePerMTok?: string;
  outputPerMTok: string;
}

export interface ImagePricing {
  kind: 'image';
  perImage: string;
  perImageBySize?: Record<string, string>;
}

export interface VideoPricing {
  kind: 'video';
  perSecond: Array<{ mode?: string; resolution?: string; usd: string }>;
}

export type ModelPricing = TokenPricing | ImagePricing | VideoPricing;

export interface PublicModelJson {
  id: string;
  owned_by: string;
  name: string;
  description: string;
  context_length: number | null;
  pricing_detail: ModelPricing;
  architecture: { input_modalities: string[]; output_modalities: string[]; modality: string };
  top_provider: { context_length: number | null; max_completion_tokens: number | null };
  supported_parameters: string[];
  image_options?: { sizes: string[]; defaultSize: string; maxN: number };
  video_options?: { durations: number[]; defaultDuration: number; resolutions: string[]; defaultResolution: string; aspectRatios: string[] };
}

export interface AdminUserJson {
  id: string;
  email: string;
  role: 'user' | 'admin';
  status: 'active' | 'disabled';
  group: string;
  created_at: number;
}

export interface AdminChannelJson {
  id: string;
  provider: string;
  name: string;
  base_url: string;
  api_key_hint: string;
  secret_key_hint: string | null;
  models: string[];
  weight: number;
  priority: number;
  enabled: boolean;
  updated_at: number;
}

export interface AdminModelJson {
  id: string;
  name: string;
  description: string;
  provider: string;
  modality: 'chat' | 'image' | 'video';
  contextLength: number;
  pricing: ModelPricing;
  enabled: boolean;
  override: unknown;
}

export interface GroupJson {
  id: string;
  name: string;
  multiplier: string;
  updated_at: number;
}

export interface ModelMultiplierJson {
  model: string;
  group_id: string;
  multiplier: string;
}

export interface RedemptionBatchJson {
  id: string;
  amount: string;
  count: number;
  redeemed: number;
  expires_at: number | null;
  note: string | null;
  created_at: number;
}

export interface CreatedBatchJson {
  id: string;
  amount: string;
  codes: string[];
}

export interface DailyTotalsJson {
  day: string;
  revenue: string;
  upstream_cost: string;
  margin: string;
  top_ups: string;
  settled_requests: number;
}

export interface PlatformTotalsJson {
  revenue: string;
  upstream_cost: string;
  margin: string;
  top_ups: string;
  redemptions: string;
  outstanding_balance: string;
  settled_requests: number;
}
