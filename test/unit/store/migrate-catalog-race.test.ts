/**
 * Several stores in one PostgreSQL database (tenants, instances with their own schema, parallel test runs):
 * migrating one must not fail because another schema is dropped while the migrator reads the catalog.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dropPostgresSchema, openStore } from '../../../src/store/db.js';
import { TEST_POSTGRES_URL, uniqueSchemaName } from '../../support/databases.js';

describe('migrating on PostgreSQL while other schemas come and go', () => {
  it('opens every store although schemas with tables are dropped meanwhile', async () => {
    const churn = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await churn.connect();
    let stop = false;
    const churning = (async () => {
      for (let i = 0; !stop && i < 2000; i++) {
        const name = uniqueSchemaName('churn');
        await churn.query(`CREATE SCHEMA "${name}"`);
        await churn.query(`CREATE TABLE "${name}".t (id serial primary key, v text)`);
        await churn.query(`DROP SCHEMA "${name}" CASCADE`);
      }
    })();
    const schemas = Array.from({ length: 8 }, () => uniqueSchemaName('race'));
    try {
      const opened = await Promise.allSettled(schemas.map((schema) => openStore({ databaseUrl: TEST_POSTGRES_URL, schema })));
      for (const outcome of opened) if (outcome.status === 'fulfilled') await outcome.value.close();
      expect(opened.filter((outcome) => outcome.status === 'rejected').map((outcome) => String((outcome as PromiseRejectedResult).reason?.cause ?? outcome))).toEqual([]);
    } finally {
      stop = true;
      await churning;
      await churn.end();
      for (const schema of schemas) await dropPostgresSchema(TEST_POSTGRES_URL, schema);
    }
  }, 60_000);
});
