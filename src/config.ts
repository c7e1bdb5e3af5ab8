/**
 * Typed configuration: zod over the environment and an optional JSON config file. This module is the only
 * reader of process.env; everything else receives a Config.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { providers, type ProviderId } from './catalog/providers.js';

const intFrom = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const boolFrom = (fallback: boolean) =>
  z
    .union([z.boolean(), z.string()])
    .default(fallback)
    .transform((v) => (typeof v === 'boolean' ? v : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase())));

export const MIN_ADMIN_TOKEN_LENGTH = 32;

const configSchema = z.object({
  port: intFrom(3000),
  /** Unset: 0.0.0.0, or 127.0.0.1 in demo mode (which lets requests reach private addresses). */
  host: z.string().optional(),
  dataDir: z.string().default('./data'),
  /** The built dashboard (web/dist); served at `/`. */
  webRoot: z.string().default('./web/dist'),
  /** `postgres://…` selects PostgreSQL; unset means SQLite at `<dataDir>/tokenhub.db`. */
  databaseUrl: z.string().optional(),
  /** PostgreSQL schema to use (tests give each run its own). */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  redisUrl: z.string().optional(),
  /** Stable id of this instance across restarts (PostgreSQL): lets a restart release its own leftover holds. */
  instanceId: z.string().regex(/^[\w.:-]{1,100}$/).optional(),
  /** 32 bytes as 64 hex chars or base64; generated into `<dataDir>/secret.key` when absent. */
  secretKey: z.string().optional(),
  /** Bearer token for the admin API. A short one could be guessed, so the gateway will not start with one. */
  adminToken: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(MIN_ADMIN_TOKEN_LENGTH, `TOKENHUB_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)`).optional(),
  ),
  adminEmail: z.string().default('admin@tokenhub.local'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  demo: boolFrom(false),
  /** Who may create an account in the dashboard: anyone, holders of an admin's invite, or nobody. */
  signupMode: z.enum(['open', 'invite', 'closed']).default('open'),
  /** Public base URL of this gateway, used in dashboard examples and signed links. */
  publicUrl: z.string().optional(),
  bodyLimitBytes: intFrom(10 * 1024 * 1024),
  /**
   * Which proxies may set X-Forwarded-For (the client address key IP allowlists check): false (default,
   * the socket address counts), true (any — only behind a proxy that overwrites the header), a hop count,
   * or a comma-separated list of addresses/CIDRs.
   */
  trustProxy: z
    .union([z.boolean(), z.number().int().nonnegative(), z.string()])
    .default(false)
    .transform((v): boolean | number | string => {
      if (typeof v !== 'string') return v;
      if (['', '0', 'false', 'no', 'off'].includes(v.toLowerCase())) return false;
      if (['1', 'true', 'yes', 'on'].includes(v.toLowerCase())) return true;
      return /^\d+$/.test(v) ? Number(v) : v;
    }),
  timeouts: z
    .object({
      connectMs: intFrom(10_000),
      firstByteMs: intFrom(120_000),
      idleMs: intFrom(120_000),
    })
    .default({ connectMs: 10_000, firstByteMs: 120_000, idleMs: 120_000 }),
  /** Chat streams: a total time limit, how long a client may stop reading, and how many one user may hold open. */
  streams: z
    .object({
      deadlineMs: z.coerce.number().int().positive().default(1_800_000),
      stallTimeoutMs: z.coerce.number().int().positive().default(60_000),
      maxPerUser: intFrom(100),
    })
    .default({ deadlineMs: 1_800_000, stallTimeoutMs: 60_000, maxPerUser: 100 }),
  /** Image URLs the gateway fetches for a chat request (Gemini): distinct URLs, total bytes and total time per request. */
  imageUrls: z
    .object({
      maxPerRequest: z.coerce.number().int().positive().default(16),
      maxBytesPerRequest: z.coerce.number().int().positive().default(20 * 1024 * 1024),
      timeoutMs: z.coerce.number().int().positive().default(30_000),
    })
    .default({ maxPerRequest: 16, maxBytesPerRequest: 20 * 1024 * 1024, timeoutMs: 30_000 }),
  /** On SIGTERM, how long running streams may go on before they are ended. */
  drainTimeoutMs: intFrom(30_000),
  requestLog: z
    .object({ flushIntervalMs: intFrom(1000), maxBatch: intFrom(500) })
    .default({ flushIntervalMs: 1000, maxBatch: 500 }),
  billing: z
    .object({
      stripeSecretKey: z.string().optional(),
      stripeWebhookSecret: z.string().optional(),
      /** Test and proxy override of https://api.stripe.com. */
      stripeApiBaseUrl: z.string().optional(),
      topUpMinUsd: z.string().optional(),
      topUpMaxUsd: z.string().optional(),
      signupBonusUsd: z.string().optional(),
      /** Credit granted to the admin created on first start, so the printed key works at once. */
      adminInitialCreditUsd: z.string().regex(/^\d+(\.\d{1,9})?$/, 'a USD amount such as "100"').default('100'),
      holdTtlMs: z.coerce.number().int().positive().optional(),
    })
    .default({ adminInitialCreditUsd: '100' }),
  /** Video jobs (strings as in the environment; checked by jobs/media-jobs-options.ts). */
  media: z
    .object({
      pollIntervalMs: z.string().optional(),
      pollMinDelayMs: z.string().optional(),
      pollMaxDelayMs: z.string().optional(),
      deadlineMs: z.string().optional(),
      leaseMs: z.string().optional(),
      batch: z.string().optional(),
      storeResults: z.string().optional(),
      urlTtlMs: z.string().optional(),
      maxVideoBytes: z.string().optional(),
      callbackMaxAttempts: z.string().optional(),
      callbackSecret: z.string().optional(),
    })
    .default({}),
  upstreams: z
    .array(
      z.object({
        provider: z.string(),
        apiKey: z.string(),
        secretKey: z.string().optional(),
        baseUrl: z.string().optional(),
      }),
    )
    .default([]),
});

/** `host` is always settled by loadConfig (see its default above). */
export type Config = Omit<z.infer<typeof configSchema>, 'host'> & { host: string };
export type UpstreamSeed = Config['upstreams'][number] & { provider: ProviderId };

type Env = Record<string, string | undefined>;

/** Reads provider variables (`OPENAI_API_KEY`, `KLING_ACCESS_KEY`, …) into upstream seeds. */
function upstreamsFromEnv(env: Env): Array<Record<string, string>> {
  const seeds: Array<Record<string, string>> = [];
  for (const p of providers) {
    const baseUrl = env[`${p.envPrefix}_BASE_URL`];
    if (p.credentials === 'access-secret') {
      const accessKey = env[`${p.envPrefix}_ACCESS_KEY`];
      const secretKey = env[`${p.envPrefix}_SECRET_KEY`];
      if (accessKey && secretKey) seeds.push({ provider: p.id, apiKey: accessKey, secretKey, ...(baseUrl ? { baseUrl } : {}) });
      continue;
    }
    const apiKey = env[`${p.envPrefix}_API_KEY`];
    if (apiKey) seeds.push({ provider: p.id, apiKey, ...(baseUrl ? { baseUrl } : {}) });
  }
  return seeds;
}

function readConfigFile(file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  if (!existsSync(file)) throw new Error(`Config file not found: ${file}`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Builds the Config from an environment (process.env in main.ts, a plain object in tests) and overrides. */
export function loadConfig(env: Env = process.env, overrides: Partial<z.input<typeof configSchema>> = {}): Config {
  const file = readConfigFile(env.TOKENHUB_CONFIG);
  const fromEnv: Record<string, unknown> = {
    port: env.PORT,
    host: env.HOST,
    dataDir: env.TOKENHUB_DATA_DIR,
    webRoot: env.TOKENHUB_WEB_ROOT,
    databaseUrl: env.TOKENHUB_DATABASE_URL,
    databaseSchema: env.TOKENHUB_DATABASE_SCHEMA,
    redisUrl: env.TOKENHUB_REDIS_URL,
    instanceId: env.TOKENHUB_INSTANCE_ID,
    secretKey: env.TOKENHUB_SECRET_KEY,
    adminToken: env.TOKENHUB_ADMIN_TOKEN,
    adminEmail: env.TOKENHUB_ADMIN_EMAIL,
    logLevel: env.TOKENHUB_LOG_LEVEL,
    demo: env.TOKENHUB_DEMO,
    publicUrl: env.TOKENHUB_PUBLIC_URL,
    signupMode: env.TOKENHUB_SIGNUP_MODE,
    bodyLimitBytes: env.TOKENHUB_BODY_LIMIT_BYTES,
    trustProxy: env.TOKENHUB_TRUST_PROXY,
    billing: {
      stripeSecretKey: env.STRIPE_SECRET_KEY,
      stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET,
      stripeApiBaseUrl: env.STRIPE_API_BASE_URL,
      topUpMinUsd: env.TOKENHUB_TOPUP_MIN_USD,
      topUpMaxUsd: env.TOKENHUB_TOPUP_MAX_USD,
      signupBonusUsd: env.TOKENHUB_SIGNUP_BONUS_USD,
      adminInitialCreditUsd: env.TOKENHUB_ADMIN_INITIAL_CREDIT_USD,
      holdTtlMs: env.TOKENHUB_HOLD_TTL_MS,
    },
    media: {
      pollIntervalMs: env.TOKENHUB_VIDEO_POLL_INTERVAL_MS,
      pollMinDelayMs: env.TOKENHUB_VIDEO_POLL_MIN_DELAY_MS,
      pollMaxDelayMs: env.TOKENHUB_VIDEO_POLL_MAX_DELAY_MS,
      deadlineMs: env.TOKENHUB_VIDEO_DEADLINE_MS,
      leaseMs: env.TOKENHUB_VIDEO_LEASE_MS,
      batch: env.TOKENHUB_VIDEO_BATCH,
      storeResults: env.TOKENHUB_VIDEO_STORE_RESULTS,
      urlTtlMs: env.TOKENHUB_VIDEO_URL_TTL_MS,
      maxVideoBytes: env.TOKENHUB_VIDEO_MAX_BYTES,
      callbackMaxAttempts: env.TOKENHUB_CALLBACK_MAX_ATTEMPTS,
      callbackSecret: env.TOKENHUB_CALLBACK_SECRET,
    },
    streams: {
      deadlineMs: env.TOKENHUB_STREAM_DEADLINE_MS,
      stallTimeoutMs: env.TOKENHUB_STREAM_STALL_TIMEOUT_MS,
      maxPerUser: env.TOKENHUB_MAX_STREAMS_PER_USER,
    },
    imageUrls: {
      maxPerRequest: env.TOKENHUB_IMAGE_URLS_MAX_PER_REQUEST,
      maxBytesPerRequest: env.TOKENHUB_IMAGE_URLS_MAX_BYTES,
      timeoutMs: env.TOKENHUB_IMAGE_URLS_TIMEOUT_MS,
    },
    drainTimeoutMs: env.TOKENHUB_DRAIN_TIMEOUT_MS,
    timeouts: {
      connectMs: env.TOKENHUB_CONNECT_TIMEOUT_MS,
      firstByteMs: env.TOKENHUB_FIRST_BYTE_TIMEOUT_MS,
      idleMs: env.TOKENHUB_IDLE_TIMEOUT_MS,
    },
  };
  const envUpstreams = upstreamsFromEnv(env);
  const merged = {
    ...file,
    ...dropUndefined(fromEnv),
    ...(envUpstreams.length > 0 ? { upstreams: [...((file.upstreams as unknown[]) ?? []), ...envUpstreams] } : {}),
    ...overrides,
  };
  const config = configSchema.parse(merged);
  const host = config.host ?? (config.demo ? '127.0.0.1' : '0.0.0.0');
  return { ...config, host, dataDir: path.resolve(config.dataDir), webRoot: path.resolve(config.webRoot) };
}

function dropUndefined(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = dropUndefined(v as Record<string, unknown>);
      if (Object.keys(inner).length > 0) out[k] = inner;
    } else out[k] = v;
  }
  return out;
}
