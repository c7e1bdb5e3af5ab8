import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was then, not the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * `api_keys.admin_scope`: 1 for a key an admin created to call the admin API; every other key (all existing
 * ones included) is an inference key only. `api_key_limits.set_by_admin`: 1 when an admin set the limit, so
 * that only an admin may change or lift it.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('admin_scope', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('api_key_limits').addColumn('set_by_admin', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('api_key_limits').dropColumn('set_by_admin').execute();
  await db.schema.alterTable('api_keys').dropColumn('admin_scope').execute();
}
