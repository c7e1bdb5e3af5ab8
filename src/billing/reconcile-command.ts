/**
 * The operator's reconciliation command (`tokenhub billing:reconcile [--user <id>]`): prints one line per
 * account with a problem and a summary, and returns exit code 1 when any account fails.
 */
import type { BillingDb } from './account-ledger.js';
import { formatUsd } from './money.js';
import { reconcileAccounts } from './reconcile.js';

export interface ReconcileCommandIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

export async function runReconcileCommand(db: BillingDb, io: ReconcileCommandIo, userId?: string): Promise<number> {
  const report = await reconcileAccounts(db, userId);
  for (const account of report.accounts) {
    const line = `${account.userId}: balance $${formatUsd(account.balanceNanos)}, held $${formatUsd(account.heldNanos)}, ${account.entries} entries`;
    if (account.ok) io.stdout(`${line} — ok`);
    else io.stderr(`${line} — ${account.problems.join('; ')}`);
  }
  const failing = report.accounts.filter((account) => !account.ok).length;
  io.stdout(`${report.accountsChecked} accounts checked, ${failing} failing`);
  return report.ok ? 0 : 1;
}
