/**
 * `last_used_at` without a write per request: authentication marks keys in memory and the app flushes them on a
 * timer and at shutdown. Losing up to one interval on a crash only makes "last used" slightly older.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export class LastUsedTracker {
  private pending = new Map<string, number>();

  constructor(private readonly db: Kysely<Database>) {}

  mark(keyId: string, at: number): void {
    const previous = this.pending.get(keyId);
    if (previous === undefined || at > previous) this.pending.set(keyId, at);
  }

  peek(keyId: string): number | undefined {
    return this.pending.get(keyId);
  }

  /** Writes every pending mark; returns how many keys were written. Failed marks are kept for the next flush. */
  async flush(): Promise<number> {
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const [keyId, at] of batch) {
          // Another instance may have written a later time already; never move it backwards.
          await trx
            .updateTable('api_keys')
            .set({ last_used_at: at })
            .where('id', '=', keyId)
            .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
            .execute();
        }
      });
    } catch (error) {
      for (const [keyId, at] of batch) this.mark(keyId, at);
      throw error;
    }
    return batch.size;
  }
}
