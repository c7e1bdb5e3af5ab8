/**
 * Reseller margins: a multiplier per user group (the seeded `default` group is 1) and per-model overrides,
 * either for one group or for every group (`*`). Lookup order for (group, model): the group's override for the
 * model, then the all-groups override, then the group's multiplier, then 1.
 */
import type { BillingDb } from './account-ledger.js';
import { formatMultiplier, MULTIPLIER_ONE, parseMultiplier, type Multiplier } from './multiplier.js';

export const ALL_GROUPS = '*';

export type MultiplierSource = 'model_group' | 'model_all_groups' | 'group' | 'default';

export interface ResolvedMultiplier {
  multiplier: Multiplier;
  /** Canonical decimal text, e.g. "1.25". */
  text: string;
  source: MultiplierSource;
}

export interface UserGroup {
  id: string;
  name: string;
  multiplier: string;
  createdAt: number;
  updatedAt: number;
}

export interface ModelMultiplier {
  groupId: string;
  modelId: string;
  multiplier: string;
  updatedAt: number;
}

function resolved(text: string, source: MultiplierSource): ResolvedMultiplier {
  const multiplier = parseMultiplier(text);
  return { multiplier, text: formatMultiplier(multiplier), source };
}

export async function resolveMultiplier(db: BillingDb, groupId: string, modelId: string): Promise<ResolvedMultiplier> {
  const overrides = await db
    .selectFrom('model_multipliers')
    .select(['group_id', 'multiplier'])
    .where('model_id', '=', modelId)
    .where('group_id', 'in', [groupId, ALL_GROUPS])
    .execute();
  const own = overrides.find((row) => row.group_id === groupId && groupId !== ALL_GROUPS);
  if (own) return resolved(own.multiplier, 'model_group');
  const shared = overrides.find((row) => row.group_id === ALL_GROUPS);
  if (shared) return resolved(shared.multiplier, 'model_all_groups');
  const group = await db.selectFrom('user_groups').select('multiplier').where('id', '=', groupId).executeTakeFirst();
  if (group) return resolved(group.multiplier, 'group');
  return { multiplier: MULTIPLIER_ONE, text: '1', source: 'default' };
}

/** Creates or updates a group; the multiplier is validated and stored in canonical form. */
export async function upsertUserGroup(db: BillingDb, input: { id: string; name: string; multiplier: string }, now: number): Promise<UserGroup> {
  const multiplier = formatMultiplier(parseMultiplier(input.multiplier));
  await db
    .insertInto('user_groups')
    .values({ id: input.id, name: input.name, multiplier, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: input.name, multiplier, updated_at: now }))
    .execute();
  const row = await db.selectFrom('user_groups').selectAll().where('id', '=', input.id).executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, multiplier: row.multiplier, createdAt: row.created_at, updatedAt: row.updated_at };
}

export async function listUserGroups(db: BillingDb): Promise<UserGroup[]> {
  const rows = await db.selectFrom('user_groups').selectAll().orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, name: row.name, multiplier: row.multiplier, createdAt: row.created_at, updatedAt: row.updated_at }));
}

export async function setModelMultiplier(db: BillingDb, input: { groupId: string; modelId: string; multiplier: string }, now: number): Promise<ModelMultiplier> {
  const multiplier = formatMultiplier(parseMultiplier(input.multiplier));
  await db
    .insertInto('model_multipliers')
    .values({ group_id: input.groupId, model_id: input.modelId, multiplier, updated_at: now })
    .onConflict((oc) => oc.columns(['group_id', 'model_id']).doUpdateSet({ multiplier, updated_at: now }))
    .execute();
  return { groupId: input.groupId, modelId: input.modelId, multiplier, updatedAt: now };
}

/** True when an override was removed. */
export async function deleteModelMultiplier(db: BillingDb, groupId: string, modelId: string): Promise<boolean> {
  const result = await db.deleteFrom('model_multipliers').where('group_id', '=', groupId).where('model_id', '=', modelId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listModelMultipliers(db: BillingDb): Promise<ModelMultiplier[]> {
  const rows = await db.selectFrom('model_multipliers').selectAll().orderBy('model_id').orderBy('group_id').execute();
  return rows.map((row) => ({ groupId: row.group_id, modelId: row.model_id, multiplier: row.multiplier, updatedAt: row.updated_at }));
}
