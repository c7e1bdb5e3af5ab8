/**
 * Options of the video job machinery and their mapping from configuration text. Expected environment
 * (read by config.ts; every value is optional):
 *   TOKENHUB_VIDEO_POLL_INTERVAL_MS      how often the poller looks for due jobs (default 2000)
 *   TOKENHUB_VIDEO_POLL_MIN_DELAY_MS     first poll after submit, and the backoff base (default 5000)
 *   TOKENHUB_VIDEO_POLL_MAX_DELAY_MS     longest wait between two polls of one job (default 60000)
 *   TOKENHUB_VIDEO_DEADLINE_MS           a job not finished by then fails and is refunded (default 3 h)
 *   TOKENHUB_VIDEO_LEASE_MS              how long one worker owns a job it claimed (default 5 min)
 *   TOKENHUB_VIDEO_BATCH                 jobs claimed per tick (default 20)
 *   TOKENHUB_VIDEO_STORE_RESULTS         copy finished videos to <dataDir>/videos and serve signed URLs (default off)
 *   TOKENHUB_VIDEO_URL_TTL_MS            lifetime of a signed video URL (default 24 h)
 *   TOKENHUB_VIDEO_MAX_BYTES             largest video copied (default 512 MiB)
 *   TOKENHUB_CALLBACK_SECRET             HMAC key of callback signatures (default: derived from the master key)
 *   TOKENHUB_CALLBACK_MAX_ATTEMPTS       deliveries tried before a callback is given up (default 8)
 */

export interface MediaJobsOptions {
  pollIntervalMs: number;
  pollMinDelayMs: number;
  pollMaxDelayMs: number;
  deadlineMs: number;
  leaseMs: number;
  batch: number;
  /** The hold outlives the deadline by this much, so the hold reaper never frees the money of a live job. */
  holdGraceMs: number;
  /** Timeout of one video create or status call. */
  upstreamTimeoutMs: number;
  /** Timeout of one image generation call (a batch of 4K images takes a while). */
  imageTimeoutMs: number;
  storeResults: boolean;
  urlTtlMs: number;
  maxVideoBytes: number;
  callbackMaxAttempts: number;
  callbackTimeoutMs: number;
  /** First retry delay of a callback; doubled per attempt up to callbackMaxDelayMs. */
  callbackBaseDelayMs: number;
  callbackMaxDelayMs: number;
  /** Tests and demo mode only: callback and result URLs on loopback and private addresses are allowed. */
  allowPrivateAddresses: boolean;
  /** Channels tried for one create when an upstream refuses it for a reason another channel may not have. */
  maxSubmitAttempts: number;
}

export const defaultMediaJobsOptions: MediaJobsOptions = {
  pollIntervalMs: 2_000,
  pollMinDelayMs: 5_000,
  pollMaxDelayMs: 60_000,
  deadlineMs: 3 * 3_600_000,
  leaseMs: 5 * 60_000,
  batch: 20,
  holdGraceMs: 24 * 3_600_000,
  upstreamTimeoutMs: 60_000,
  imageTimeoutMs: 180_000,
  storeResults: false,
  urlTtlMs: 24 * 3_600_000,
  maxVideoBytes: 512 * 1024 * 1024,
  callbackMaxAttempts: 8,
  callbackTimeoutMs: 10_000,
  callbackBaseDelayMs: 10_000,
  callbackMaxDelayMs: 3_600_000,
  allowPrivateAddresses: false,
  maxSubmitAttempts: 3,
};

export interface MediaJobsSettings {
  pollIntervalMs?: string | undefined;
  pollMinDelayMs?: string | undefined;
  pollMaxDelayMs?: string | undefined;
  deadlineMs?: string | undefined;
  leaseMs?: string | undefined;
  batch?: string | undefined;
  storeResults?: string | undefined;
  urlTtlMs?: string | undefined;
  maxVideoBytes?: string | undefined;
  callbackMaxAttempts?: string | undefined;
}

const settingNames: Record<keyof MediaJobsSettings, string> = {
  pollIntervalMs: 'TOKENHUB_VIDEO_POLL_INTERVAL_MS',
  pollMinDelayMs: 'TOKENHUB_VIDEO_POLL_MIN_DELAY_MS',
  pollMaxDelayMs: 'TOKENHUB_VIDEO_POLL_MAX_DELAY_MS',
  deadlineMs: 'TOKENHUB_VIDEO_DEADLINE_MS',
  leaseMs: 'TOKENHUB_VIDEO_LEASE_MS',
  batch: 'TOKENHUB_VIDEO_BATCH',
  storeResults: 'TOKENHUB_VIDEO_STORE_RESULTS',
  urlTtlMs: 'TOKENHUB_VIDEO_URL_TTL_MS',
  maxVideoBytes: 'TOKENHUB_VIDEO_MAX_BYTES',
  callbackMaxAttempts: 'TOKENHUB_CALLBACK_MAX_ATTEMPTS',
};

/** Validated options from configuration text; throws naming the variable when a value is unusable. */
export function toMediaJobsOptions(settings: MediaJobsSettings): MediaJobsOptions {
  const int = (key: Exclude<keyof MediaJobsSettings, 'storeResults'>): number => readPositiveInt(settingNames[key], settings[key], defaultMediaJobsOptions[key]);
  const options: MediaJobsOptions = {
    ...defaultMediaJobsOptions,
    pollIntervalMs: int('pollIntervalMs'),
    pollMinDelayMs: int('pollMinDelayMs'),
    pollMaxDelayMs: int('pollMaxDelayMs'),
    deadlineMs: int('deadlineMs'),
    leaseMs: int('leaseMs'),
    batch: int('batch'),
    storeResults: readFlag(settingNames.storeResults, settings.storeResults),
    urlTtlMs: int('urlTtlMs'),
    maxVideoBytes: int('maxVideoBytes'),
    callbackMaxAttempts: int('callbackMaxAttempts'),
  };
  if (options.pollMinDelayMs > options.pollMaxDelayMs) throw new Error('TOKENHUB_VIDEO_POLL_MIN_DELAY_MS is above TOKENHUB_VIDEO_POLL_MAX_DELAY_MS');
  // A lease shorter than one upstream call would let a second worker start on a job the first is still on.
  if (options.leaseMs <= options.upstreamTimeoutMs * 2) throw new Error(`TOKENHUB_VIDEO_LEASE_MS must exceed ${options.upstreamTimeoutMs * 2}`);
  return options;
}

function readPositiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new Error(`${name} must be a positive integer, got "${value}"`);
  }
  return Number(value);
}

function readFlag(name: string, value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return false;
  const text = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}
