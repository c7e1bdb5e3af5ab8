/**
 * At start-up, the open request holds a dead process left behind are released at once instead of freezing
 * that credit for a whole TTL — but only holds that cannot belong to a live request:
 *   - on SQLite, every open request hold: SQLite is one process's store (several instances need PostgreSQL);
 *   - on PostgreSQL other live instances may own open holds, so only the holds this instance placed under its
 *     configured id (TOKENHUB_INSTANCE_ID) in its previous life; without an id, none (the reaper returns
 *     them at expiry).
 * Video job holds are never touched: their jobs outlive the process and the poller closes them.
 */
import type { DialectName } from '../store/db.js';
import type { BillingDb } from './account-ledger.js';
import type { ReleaseResult } from './holds.js';

export const RESTART_RELEASE_REASON = 'gateway restarted; the request that held it ended with the process';

export async function releaseRequestHoldsOfDeadProcess(
  db: BillingDb,
  release: (holdId: string, reason: string) => Promise<ReleaseResult>,
  where: { dialect: DialectName; instanceId?: string | undefined },
): Promise<number> {
  if (where.dialect !== 'sqlite' && where.instanceId === undefined) return 0;
  let query = db.selectFrom('holds').select('id').where('status', '=', 'open').where('job_id', 'is', null);
  if (where.dialect !== 'sqlite') query = query.where('owner_instance', '=', where.instanceId ?? null);
  let released = 0;
  for (const hold of await query.execute()) {
    const result = await release(hold.id, RESTART_RELEASE_REASON);
    if (result.ok && !result.replayed) released += 1;
  }
  return released;
}
