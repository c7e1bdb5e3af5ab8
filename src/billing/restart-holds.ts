/**
 * At start-up on SQLite, open request holds are what a dead process left behind: SQLite is one process's store
 * (several instances need PostgreSQL), so no live request can own them, and waiting for their expiry would
 * freeze that credit for a whole TTL. Video job holds are not touched: their jobs outlive the process and the
 * poller closes them. On PostgreSQL other live instances may own open holds, so nothing is released here and
 * the reaper returns them at expiry.
 */
import type { BillingDb } from './account-ledger.js';
import type { ReleaseResult } from './holds.js';

export const RESTART_RELEASE_REASON = 'gateway restarted; the request that held it ended with the process';

export async function releaseRequestHoldsOfDeadProcess(
  db: BillingDb,
  release: (holdId: string, reason: string) => Promise<ReleaseResult>,
): Promise<number> {
  const open = await db.selectFrom('holds').select('id').where('status', '=', 'open').where('job_id', 'is', null).execute();
  let released = 0;
  for (const hold of open) {
    const result = await release(hold.id, RESTART_RELEASE_REASON);
    if (result.ok && !result.replayed) released += 1;
  }
  return released;
}
