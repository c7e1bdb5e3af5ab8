import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was then, not the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await createAccountTables(db);
  await createHoldTables(db);
  await createPricingTables(db);
  await createTopUpTables(db);
}

async function createAccountTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('balance_nanos', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('held_nanos', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('ledger_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('accounts.user_id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_nanos', 'bigint', (c) => c.notNull())
    .addColumn('held_delta_nanos', 'bigint', (c) => c.notNull())
    .addColumn('balance_after_nanos', 'bigint', (c) => c.notNull())
    .addColumn('held_after_nanos', 'bigint', (c) => c.notNull())
    .addColumn('hold_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('job_id', 'text')
    .addColumn('reference', 'text')
    .addColumn('reason', 'text')
    .addColumn('actor', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('ledger_entries_user_seq_uq', ['user_id', 'seq'])
    .execute();
  await db.schema.createIndex('ledger_entries_hold_idx').on('ledger_entries').column('hold_id').execute();
  await db.schema.createIndex('ledger_entries_kind_created_idx').on('ledger_entries').columns(['kind', 'created_at']).execute();
}

async function createHoldTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('accounts.user_id'))
    .addColumn('api_key_id', 'text')
    .addColumn('request_id', 'text', (c) => c.unique())
    .addColumn('job_id', 'text')
    .addColumn('amount_nanos', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('cost_nanos', 'bigint')
    .addColumn('settled_nanos', 'bigint')
    .addColumn('upstream_cost_nanos', 'bigint')
    .addColumn('estimated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .execute();
  await db.schema.createIndex('holds_status_expires_idx').on('holds').columns(['status', 'expires_at']).execute();
  await db.schema.createIndex('holds_key_status_idx').on('holds').columns(['api_key_id', 'status']).execute();
  await db.schema.createIndex('holds_closed_idx').on('holds').columns(['status', 'closed_at']).execute();

  await db.schema
    .createTable('api_key_limits')
    .addColumn('api_key_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('total_limit_nanos', 'bigint')
    .addColumn('period', 'text')
    .addColumn('period_limit_nanos', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_key_spend')
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('spent_nanos', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('api_key_spend_pk', ['api_key_id', 'day'])
    .execute();
}

async function createPricingTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('user_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('multiplier', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('user_groups').values({ id: 'default', name: 'Default', multiplier: '1', created_at: 0, updated_at: 0 }).execute();

  await db.schema
    .createTable('model_multipliers')
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('multiplier', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_multipliers_pk', ['group_id', 'model_id'])
    .execute();
}

async function createTopUpTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('redemption_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('amount_nanos', 'bigint', (c) => c.notNull())
    .addColumn('code_count', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('redemption_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('redemption_batches.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('code_hint', 'text', (c) => c.notNull())
    .addColumn('amount_nanos', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('redeemed_by', 'text')
    .addColumn('redeemed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('redemption_codes_batch_idx').on('redemption_codes').column('batch_id').execute();

  await db.schema
    .createTable('stripe_checkout_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('amount_nanos', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();

  await db.schema
    .createTable('stripe_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  const tables = [
    'stripe_events',
    'stripe_checkout_sessions',
    'redemption_codes',
    'redemption_batches',
    'model_multipliers',
    'user_groups',
    'api_key_spend',
    'api_key_limits',
    'holds',
    'ledger_entries',
    'accounts',
  ];
  for (const table of tables) await db.schema.dropTable(table).ifExists().execute();
}
