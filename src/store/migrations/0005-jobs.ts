import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was then, not the current Database type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('video_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('api_key_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('upstream_task_id', 'text')
    .addColumn('upstream_status', 'text')
    .addColumn('poll_path', 'text')
    .addColumn('request_json', 'text', (c) => c.notNull())
    .addColumn('duration_seconds', 'integer', (c) => c.notNull())
    .addColumn('resolution', 'text', (c) => c.notNull())
    .addColumn('mode', 'text')
    .addColumn('multiplier', 'text', (c) => c.notNull())
    .addColumn('hold_id', 'text')
    .addColumn('held_nanos', 'bigint', (c) => c.notNull())
    .addColumn('cost_nanos', 'bigint')
    .addColumn('upstream_cost_nanos', 'bigint')
    .addColumn('billed_seconds', 'integer')
    .addColumn('delivered_ms', 'bigint')
    .addColumn('billing_state', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text')
    .addColumn('stored_file', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('warnings', 'text')
    .addColumn('polls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('poll_errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_poll_at', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('deadline_at', 'bigint', (c) => c.notNull())
    .addColumn('callback_url', 'text')
    .addColumn('callback_state', 'text', (c) => c.notNull())
    .addColumn('callback_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('callback_next_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('video_jobs_user_created_idx').on('video_jobs').columns(['user_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('video_jobs_next_poll_idx').on('video_jobs').column('next_poll_at').execute();
  await db.schema.createIndex('video_jobs_callback_idx').on('video_jobs').columns(['callback_state', 'callback_next_at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('video_jobs').ifExists().execute();
}
