/** The `model_overrides` table: one JSON merge patch per model id, written by admins, read by every instance. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface StoredModelOverride {
  modelId: string;
  /** The raw JSON text; the catalog parses and validates it, so a bad row cannot break the read. */
  patch: string;
  updatedAt: number;
}

export async function listModelOverrides(db: Kysely<Database>): Promise<StoredModelOverride[]> {
  const rows = await db.selectFrom('model_overrides').select(['model_id', 'patch', 'updated_at']).orderBy('model_id').execute();
  return rows.map((row) => ({ modelId: row.model_id, patch: row.patch, updatedAt: row.updated_at }));
}

export async function findModelOverride(db: Kysely<Database>, modelId: string): Promise<StoredModelOverride | undefined> {
  const row = await db
    .selectFrom('model_overrides')
    .select(['model_id', 'patch', 'updated_at'])
    .where('model_id', '=', modelId)
    .executeTakeFirst();
  return row ? { modelId: row.model_id, patch: row.patch, updatedAt: row.updated_at } : undefined;
}

export async function saveModelOverride(db: Kysely<Database>, override: StoredModelOverride): Promise<void> {
  await db
    .insertInto('model_overrides')
    .values({ model_id: override.modelId, patch: override.patch, updated_at: override.updatedAt })
    .onConflict((conflict) => conflict.column('model_id').doUpdateSet({ patch: override.patch, updated_at: override.updatedAt }))
    .execute();
}

/** Returns whether a row was there to delete. */
export async function deleteModelOverride(db: Kysely<Database>, modelId: string): Promise<boolean> {
  const result = await db.deleteFrom('model_overrides').where('model_id', '=', modelId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
