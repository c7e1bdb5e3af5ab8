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

/** Both multiplier tables, parsed: small (one row per group and per override), so they are held whole. */
export interface MultiplierTables {
  /** Group id → its multiplier. */
  groups: ReadonlyMap<string, ResolvedMultiplier>;
  /** `modelId` → (group id or `*`) → override. */
  models: ReadonlyMap<string, ReadonlyMap<string, ResolvedMultiplier>>;
}

export async function loadMultiplierTables(db: BillingDb): Promise<MultiplierTables> {
  const [groupRows, modelRows] = await Promise.all([
    db.selectFrom('user_groups').select(['id', 'multiplier']).execute(),
    db.selectFrom('model_multipliers').select(['group_id', 'model_id', 'multiplier']).execute(),
  ]);
  const groups = new Map(groupRows.map((row) => [row.id, resolved(row.multiplier, 'group')]));
  const models = new Map<string, Map<string, ResolvedMultiplier>>();
  for (const row of modelRows) {
    const byGroup = models.get(row.model_id) ?? new Map<string, ResolvedMultiplier>();
    const source = row.group_id === ALL_GROUPS ? 'model_all_groups' : 'model_group';
    byGroup.set(row.group_id, resolved(row.multiplier, source));
    models.set(row.model_id, byGroup);
  }
  return { groups, models };
}

const DEFAULT_MULTIPLIER: ResolvedMultiplier = { multiplier: MULTIPLIER_ONE, text: '1', source: 'default' };

/** The lookup order of this module's header, over loaded tables. */
export function resolveMultiplier(tables: MultiplierTables, groupId: string, modelId: string): ResolvedMultiplier {
  const overrides = tables.models.get(modelId);
  const own = groupId === ALL_GROUPS ? undefined : overrides?.get(groupId);
  return own ?? overrides?.get(ALL_GROUPS) ?? tables.groups.get(groupId) ?? DEFAULT_MULTIPLIER;
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
