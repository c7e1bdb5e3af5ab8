/** Databases the suites run against: SQLite always, and this machine's PostgreSQL with a schema per run. */
import { randomBytes } from 'node:crypto';

// The user name is explicit: CI shells may not set USER, which pg would otherwise fall back to.
export const TEST_POSTGRES_URL = process.env.TOKENHUB_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Dialect = 'sqlite' | 'postgres';
export const dialects: Dialect[] = ['sqlite', 'postgres'];

/** A schema name no other run uses (runs and test files never collide). */
export function uniqueSchemaName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
