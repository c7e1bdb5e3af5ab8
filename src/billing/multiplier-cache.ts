/**
 * The multiplier tables in memory: every priced call reads them, an admin changes them rarely. A change made
 * through this instance drops the copy at once and tells the listeners (which tell other instances, whose
 * copies `reload` drops in turn); the next lookup reads the tables again.
 */
import type { BillingDb } from './account-ledger.js';
import { loadMultiplierTables, resolveMultiplier, type MultiplierTables, type ResolvedMultiplier } from './price-multipliers.js';

export interface MultiplierCache {
  resolve(groupId: string, modelId: string): Promise<ResolvedMultiplier>;
  /** Forget the copy (another instance changed the tables). */
  reload(): void;
  /** Forget the copy and tell the listeners: this instance changed the tables. */
  changed(): void;
  onChange(listener: () => void): () => void;
}

export function createMultiplierCache(db: BillingDb): MultiplierCache {
  let tables: Promise<MultiplierTables> | undefined;
  const listeners = new Set<() => void>();

  const current = (): Promise<MultiplierTables> => {
    if (tables) return tables;
    const loading = loadMultiplierTables(db);
    tables = loading;
    // A failed read is not kept: the next lookup tries again.
    loading.catch(() => {
      if (tables === loading) tables = undefined;
    });
    return loading;
  };

  return {
    resolve: async (groupId, modelId) => resolveMultiplier(await current(), groupId, modelId),
    reload() {
      tables = undefined;
    },
    changed() {
      tables = undefined;
      for (const listener of listeners) listener();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
