/**
 * What a video job holds and what it is charged.
 *
 * Hold: requested duration × the per-second price of the request's mode and resolution × the user's
 * multiplier at submit time (kept on the job, so a multiplier changed mid-job does not move the charge).
 *
 * Charge: the seconds the upstream reports having produced, rounded to the nearest whole second (halves up;
 * Kling reports "5.1" for a 5 s clip), at the same rate and multiplier. When the upstream reports nothing the
 * requested duration is charged, since that is what the upstream bills. When it reports MORE than was requested,
 * the requested duration is charged: the excess is the gateway's cost, never the client's, so a charge never
 * exceeds its hold.
 */
import type { CatalogModel } from '../catalog/schema.js';
import { MULTIPLIER_ONE, parseMultiplier, type Multiplier } from '../billing/multiplier.js';
import { priceUsage } from '../billing/price.js';
import type { TaskState } from '../providers/task-types.js';

export interface VideoPriceInput {
  seconds: number;
  mode: string | undefined;
  resolution: string;
}

export function priceVideo(model: CatalogModel, input: VideoPriceInput, multiplier: Multiplier): bigint {
  return priceUsage({ kind: 'video', seconds: input.seconds, mode: input.mode, resolution: input.resolution }, model.pricing, multiplier);
}

/** Seconds delivered by a succeeded task: the usage figure, else the sum of the videos' durations. */
export function readDeliveredSeconds(state: Extract<TaskState, { status: 'succeeded' }>): number | undefined {
  if (state.usage.videoSeconds !== undefined) return state.usage.videoSeconds;
  const durations = state.videos.map((video) => video.durationSeconds);
  if (durations.length === 0 || durations.some((seconds) => seconds === undefined)) return undefined;
  return durations.reduce<number>((sum, seconds) => sum + (seconds ?? 0), 0);
}

export function toBilledSeconds(requestedSeconds: number, deliveredSeconds: number | undefined): number {
  if (deliveredSeconds === undefined || !Number.isFinite(deliveredSeconds) || deliveredSeconds < 0) return requestedSeconds;
  return Math.min(requestedSeconds, Math.floor(deliveredSeconds + 0.5));
}

export interface VideoCharge {
  billedSeconds: number;
  costNanos: bigint;
  upstreamCostNanos: bigint;
}

/** The charge of a finished job at the current price, but never above the held per-second rate. */
export function computeVideoCharge(
  model: CatalogModel,
  job: { duration_seconds: number; mode: string | null; resolution: string; multiplier: string; held_nanos: bigint },
  deliveredSeconds: number | undefined,
): VideoCharge {
  const billedSeconds = toBilledSeconds(job.duration_seconds, deliveredSeconds);
  const input = { seconds: billedSeconds, mode: job.mode ?? undefined, resolution: job.resolution };
  const pricedNanos = priceVideo(model, input, parseMultiplier(job.multiplier));
  // A price raised while the job ran does not apply to it: the job is charged at most the rate it was held at.
  const heldRateNanos = (job.held_nanos * BigInt(billedSeconds)) / BigInt(job.duration_seconds);
  const costNanos = pricedNanos < heldRateNanos ? pricedNanos : heldRateNanos;
  return { billedSeconds, costNanos, upstreamCostNanos: priceVideo(model, input, MULTIPLIER_ONE) };
}
