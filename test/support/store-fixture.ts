/** Opens a fresh store per test file on either dialect; PostgreSQL gets its own schema, dropped afterwards. */
import { randomHex } from '../../src/shared/ids.js';
import { dropPostgresSchema, openStore, type DialectName, type Store } from '../../src/store/db.js';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];
export { TEST_POSTGRES_URL as POSTGRES_URL } from './databases.js';
import { TEST_POSTGRES_URL as POSTGRES_URL } from './databases.js';

export interface TestStore {
  store: Store;
  /** Set for PostgreSQL: the schema the store lives in. */
  schema: string | undefined;
  close(): Promise<void>;
}

export function newTestSchema(label: string): string {
  return `t_${label}_${process.pid}_${randomHex(4)}`;
}

export async function openTestStore(dialect: DialectName, label: string): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const store = await openStore({ sqliteFile: ':memory:' });
    return { store, schema: undefined, close: () => store.close() };
  }
  const schema = newTestSchema(label);
  const store = await openStore({ databaseUrl: POSTGRES_URL, schema });
  return {
    store,
    schema,
    async close() {
      await store.close();
      await dropPostgresSchema(POSTGRES_URL, schema);
    },
  };
}

