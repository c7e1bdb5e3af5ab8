/**
 * Opens the store on SQLite (default) or PostgreSQL and runs migrations. Dialect differences stop here:
 * repositories receive a Kysely<Database> whose rows look the same on both — integers as `number`,
 * money (`*_nanos` columns and aliases) as `bigint`.
 */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';
import { ensurePrivateDir, ensurePrivateFile } from '../shared/private-files.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://…` for PostgreSQL; otherwise SQLite at `sqliteFile`. */
  databaseUrl?: string | undefined;
  /** PostgreSQL schema (created when missing). */
  schema?: string | undefined;
  /** SQLite file path, or ':memory:'. */
  sqliteFile?: string;
}

/** Both drivers hand 64-bit integers over as bigint; this turns every one that is not money into a number. */
class IntegerColumnsPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    for (const row of args.result.rows) {
      for (const key of Object.keys(row)) {
        const value = row[key];
        if (typeof value === 'bigint' && !key.endsWith('_nanos')) row[key] = Number(value);
      }
    }
    return args.result;
  }
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === PG_INT8) return (v: string) => BigInt(v);
      // SUM(bigint) is numeric in PostgreSQL; ours are always whole numbers.
      if (oid === PG_NUMERIC) return (v: string) => (/^-?\d+$/.test(v) ? BigInt(v) : Number(v));
      return pg.types.getTypeParser(oid, format);
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const isPostgres = options.databaseUrl?.startsWith('postgres') ?? false;
  let db: Kysely<Database>;
  if (isPostgres) {
    const schema = options.schema;
    if (schema) {
      const admin = new pg.Client({ connectionString: options.databaseUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await admin.end();
    }
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      types: pgTypes(),
      ...(schema ? { options: `-c search_path="${schema}"` } : {}),
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new IntegerColumnsPlugin()] });
  } else {
    const file = options.sqliteFile ?? ':memory:';
    if (file !== ':memory:') {
      ensurePrivateDir(path.dirname(file));
      // SQLite gives its -wal and -shm files the database file's mode, so this covers them too.
      ensurePrivateFile(file);
    }
    const database = new SQLite(file);
    database.pragma('journal_mode = WAL');
    // In WAL mode NORMAL keeps the database consistent and survives a process crash; only an OS crash or
    // power loss can drop the last commits. FULL would make every commit wait for the disk on the event loop.
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    database.defaultSafeIntegers(true);
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }), plugins: [new IntegerColumnsPlugin()] });
  }
  await migrateToLatest(db, isPostgres ? options.schema : undefined);
  return { db, dialect: isPostgres ? 'postgres' : 'sqlite', close: () => db.destroy() };
}

/** `schema`: where the migration bookkeeping lives on PostgreSQL; without it Kysely looks across every schema. */
/** Kysely prepares every query anew; better-sqlite3 statements are reusable, so keep the recent ones. */
function withStatementCache(database: SQLite.Database, maxStatements = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(query: string): SQLite.Statement {
      let statement = cache.get(query);
      if (statement) {
        // Re-insert so the map's order is least recently used first.
        cache.delete(query);
      } else {
        statement = database.prepare(query);
        if (cache.size >= maxStatements) cache.delete(cache.keys().next().value as string);
      }
      cache.set(query, statement);
      return statement;
    },
  };
}

export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (!error && !failed) return;
    if (failed === undefined && attempt < MIGRATION_TRIES && isCatalogRace(error)) continue;
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}

const MIGRATION_TRIES = 30;

/**
 * Before it migrates, Kysely's migrator reads the PostgreSQL catalog of every schema to find its own tables; a
 * schema another connection drops during that read fails it with "relation/schema does not exist" (several
 * tenants or test runs in one database). No migration ran then, so the whole step is simply tried again.
 */
function isCatalogRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42P01' || code === '3F000';
}

/** Drops a PostgreSQL schema (tests only). */
export async function dropPostgresSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

export { sql };
