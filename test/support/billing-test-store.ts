/**
 * Stores for billing tests: SQLite in memory or a PostgreSQL schema of its own (dropped on cleanup), plus
 * users and API keys inserted directly.
 */
import { randomBytes } from 'node:crypto';
import { dropPostgresSchema, openStore, type DialectName, type Store } from '../../src/store/db.js';
import { newId } from '../../src/shared/ids.js';

export { TEST_POSTGRES_URL } from './databases.js';
import { TEST_POSTGRES_URL } from './databases.js';
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

export interface TestStore {
  store: Store;
  cleanup(): Promise<void>;
}

export async function openTestStore(dialect: DialectName, label: string): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const store = await openStore({ sqliteFile: ':memory:' });
    return { store, cleanup: () => store.close() };
  }
  const schema = `billing_${label}_${randomBytes(4).toString('hex')}`;
  const store = await openStore({ databaseUrl: TEST_POSTGRES_URL, schema });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await dropPostgresSchema(TEST_POSTGRES_URL, schema);
    },
  };
}

export async function insertUser(store: Store, options: { groupId?: string; role?: 'user' | 'admin' } = {}): Promise<string> {
  const id = newId('usr');
  await store.db
    .insertInto('users')
    .values({
      id,
      email: `${id}@example.test`,
      password_hash: 'x',
      role: options.role ?? 'user',
      status: 'active',
      group_id: options.groupId ?? 'default',
      created_at: 0,
      updated_at: 0,
    })
    .execute();
  return id;
}

export async function insertApiKey(store: Store, userId: string): Promise<string> {
  const id = newId('key');
  await store.db
    .insertInto('api_keys')
    .values({
      id,
      user_id: userId,
      name: 'test',
      prefix: 'th-test',
      key_hash: randomBytes(32).toString('hex'),
      status: 'active',
      created_at: 0,
      last_used_at: null,
      revoked_at: null,
      expires_at: null,
      allowed_models: null,
      allowed_ips: null,
    })
    .execute();
  return id;
}
