import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was then, not the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * `callback_secrets`: each user's key for signing their video callbacks, sealed with the master key like
 * channel keys. A row appears the first time the user's secret is needed (shown or used) and is replaced
 * when the user rotates it.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('callback_secrets')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('callback_secrets').execute();
}
