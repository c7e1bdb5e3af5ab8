/**
 * The operator's reconciliation command (`tokenhub billing:reconcile [--user <id>]`): prints one line per
 * account with a problem, one per stranded hold (credit frozen with no request or job behind it) and a
 * summary, and returns exit code 1 when any account fails or any hold is stranded.
 */
import type { BillingDb } from './account-ledger.js';
import { formatUsd } from './money.js';
import { reconcileAccounts } from './reconcile.js';

export interface ReconcileCommandIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

export async function runReconcileCommand(db: BillingDb, io: ReconcileCommandIo, userId?: string, now: number = Date.now()): Promise<number> {
  const report = await reconcileAccounts(db, userId, now);
  for (const account of report.accounts) {
    const line = `${account.userId}: balance $${formatUsd(account.balanceNanos)}, held $${formatUsd(account.heldNanos)}, ${account.entries} entries`;
    if (account.ok) io.stdout(`${line} — ok`);
    else io.stderr(`${line} — ${account.problems.join('; ')}`);
  }
  for (const hold of report.strandedHolds) {
    const job = hold.jobId === null ? '' : ` job ${hold.jobId}`;
    io.stderr(`${hold.userId}: hold ${hold.holdId}${job} freezes $${formatUsd(hold.amountNanos)} with nothing to close it (${hold.reason}); it expires ${new Date(hold.expiresAt).toISOString()}`);
  }
  const failing = report.accounts.filter((account) => !account.ok).length;
  const stranded = report.strandedHolds.length === 0 ? '' : `, ${report.strandedHolds.length} stranded holds`;
  io.stdout(`${report.accountsChecked} accounts checked, ${failing} failing${stranded}`);
  return report.ok ? 0 : 1;
}
