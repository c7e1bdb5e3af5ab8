import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was then, not the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * `holds.owner_instance`: the configured id (TOKENHUB_INSTANCE_ID) of the gateway instance that placed a
 * request hold, so that instance, restarted under the same id, can release what its previous life left open
 * without touching the holds of other live instances. Null for holds placed without an id.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('holds').addColumn('owner_instance', 'text').execute();
  await db.schema.createIndex('holds_owner_instance_open').on('holds').columns(['owner_instance', 'status']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('holds_owner_instance_open').execute();
  await db.schema.alterTable('holds').dropColumn('owner_instance').execute();
}
