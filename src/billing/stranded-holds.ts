/**
 * Open holds that nothing will ever close before they expire: credit frozen with no request or job behind it.
 *   - a video job's hold whose job row does not exist (the submit failed between hold and row), names another
 *     hold, or has already finished billing — the poller only closes the hold its job names, once;
 *   - a request's hold past its expiry: the request that placed it is gone (a live request is settled or
 *     released, or renewed, well before then), and the reaper has not run since.
 * Holds of active jobs, of finished jobs whose billing step is still due, and of unexpired requests are live.
 */
import type { BillingDb } from './account-ledger.js';

export type StrandedReason = 'job missing' | 'job owns another hold' | 'job already billed' | 'request hold expired';

export interface StrandedHold {
  holdId: string;
  userId: string;
  jobId: string | null;
  amountNanos: bigint;
  createdAt: number;
  expiresAt: number;
  reason: StrandedReason;
}

export async function findStrandedHolds(db: BillingDb, options: { now: number; userId?: string | undefined }): Promise<StrandedHold[]> {
  let query = db
    .selectFrom('holds')
    .leftJoin('video_jobs', 'video_jobs.id', 'holds.job_id')
    .select([
      'holds.id as hold_id',
      'holds.user_id',
      'holds.job_id',
      'holds.amount_nanos',
      'holds.created_at',
      'holds.expires_at',
      'video_jobs.id as found_job_id',
      'video_jobs.hold_id as job_hold_id',
      'video_jobs.billing_state',
    ])
    .where('holds.status', '=', 'open')
    .orderBy('holds.created_at');
  if (options.userId !== undefined) query = query.where('holds.user_id', '=', options.userId);
  const stranded: StrandedHold[] = [];
  for (const row of await query.execute()) {
    const reason = strandedReason(row, options.now);
    if (reason === undefined) continue;
    stranded.push({
      holdId: row.hold_id,
      userId: row.user_id,
      jobId: row.job_id,
      amountNanos: BigInt(row.amount_nanos),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      reason,
    });
  }
  return stranded;
}

function strandedReason(
  row: { hold_id: string; job_id: string | null; expires_at: number; found_job_id: string | null; job_hold_id: string | null; billing_state: string | null },
  now: number,
): StrandedReason | undefined {
  if (row.job_id === null) return Number(row.expires_at) <= now ? 'request hold expired' : undefined;
  if (row.found_job_id === null) return 'job missing';
  if (row.job_hold_id !== row.hold_id) return 'job owns another hold';
  if (row.billing_state !== 'held') return 'job already billed';
  return undefined;
}
