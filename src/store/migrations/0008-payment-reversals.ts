import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was then, not the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Card refunds and disputes take credit back. `accounts.debt_nanos` (with `debt_delta_nanos` and
 * `debt_after_nanos` on each ledger entry, so reconcile can prove it) holds what the balance could not cover;
 * `stripe_checkout_sessions.payment_intent_id` links a refunded or disputed charge to the top-up it paid for.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('debt_nanos', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('ledger_entries').addColumn('debt_delta_nanos', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('ledger_entries').addColumn('debt_after_nanos', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('stripe_checkout_sessions').addColumn('payment_intent_id', 'text').execute();
  await db.schema.createIndex('stripe_checkout_sessions_payment_intent_idx').on('stripe_checkout_sessions').column('payment_intent_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('stripe_checkout_sessions_payment_intent_idx').execute();
  await db.schema.alterTable('stripe_checkout_sessions').dropColumn('payment_intent_id').execute();
  await db.schema.alterTable('ledger_entries').dropColumn('debt_after_nanos').execute();
  await db.schema.alterTable('ledger_entries').dropColumn('debt_delta_nanos').execute();
  await db.schema.alterTable('accounts').dropColumn('debt_nanos').execute();
}
