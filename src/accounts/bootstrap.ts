/**
 * First start: an empty store gets an admin user and one API key, and the caller prints them once. The `meta`
 * row is inserted before anything else and doubles as the lock: when two processes start together on
 * PostgreSQL, only the one whose insert lands creates the admin.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { randomBase62 } from '../shared/ids.js';
import type { ApiKeyService } from './api-keys.js';
import type { UserService } from './users.js';

export interface BootstrapOptions {
  db: Kysely<Database>;
  users: Pick<UserService, 'create' | 'count'>;
  apiKeys: Pick<ApiKeyService, 'create'>;
  adminEmail: string;
}

export interface BootstrapCredentials {
  email: string;
  password: string;
  /** Plaintext `th-…` key named "default". */
  apiKey: string;
}

export const BOOTSTRAP_META_KEY = 'bootstrap';
const GENERATED_PASSWORD_LENGTH = 20;

async function claimBootstrap(db: Kysely<Database>, value: string): Promise<boolean> {
  const result = await db
    .insertInto('meta')
    .values({ key: BOOTSTRAP_META_KEY, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Returns the admin's credentials the one time they are created; undefined on every later start. */
export async function bootstrapFirstStart(options: BootstrapOptions): Promise<BootstrapCredentials | undefined> {
  const { db, users, apiKeys } = options;
  const done = await db.selectFrom('meta').select('key').where('key', '=', BOOTSTRAP_META_KEY).executeTakeFirst();
  if (done) return undefined;
  if ((await users.count()) > 0) {
    // Users made before the first start (e.g. with the CLI): nothing to create, but remember the decision.
    await claimBootstrap(db, JSON.stringify({ skipped: 'users existed' }));
    return undefined;
  }
  if (!(await claimBootstrap(db, JSON.stringify({ adminEmail: options.adminEmail })))) return undefined;
  try {
    const password = randomBase62(GENERATED_PASSWORD_LENGTH);
    const admin = await users.create({ email: options.adminEmail, password, role: 'admin' });
    const { plaintext } = await apiKeys.create(admin.id, { name: 'default' });
    await db
      .updateTable('meta')
      .set({ value: JSON.stringify({ adminEmail: admin.email, userId: admin.id }) })
      .where('key', '=', BOOTSTRAP_META_KEY)
      .execute();
    return { email: admin.email, password, apiKey: plaintext };
  } catch (error) {
    // Give the lock back so the next start can try again instead of leaving a store with no admin.
    await db.deleteFrom('meta').where('key', '=', BOOTSTRAP_META_KEY).execute();
    throw error;
  }
}
