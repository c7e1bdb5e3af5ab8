import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyService } from '../../../src/accounts/api-keys.js';
import { createUserService } from '../../../src/accounts/users.js';
import { openCliStore, runCli } from '../../../src/cli.js';
import { loadConfig } from '../../../src/config.js';
import { createChannelService } from '../../../src/channels/channels.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { SecretBox } from '../../../src/shared/crypto.js';
import { dropPostgresSchema, type Store } from '../../../src/store/db.js';
import { DIALECTS, POSTGRES_URL, newTestSchema } from '../../support/store-fixture.js';

const SECRET_HEX = 'ab'.repeat(32);

describe.each(DIALECTS)('tokenhub CLI on %s', (dialect) => {
  let dataDir: string;
  let env: Record<string, string>;
  let schema: string | undefined;
  let store: Store;

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { env, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tokenhub-cli-'));
    env = { TOKENHUB_DATA_DIR: dataDir, TOKENHUB_SECRET_KEY: SECRET_HEX };
    if (dialect === 'postgres') {
      schema = newTestSchema('cli');
      env.TOKENHUB_DATABASE_URL = POSTGRES_URL;
      env.TOKENHUB_DATABASE_SCHEMA = schema;
    }
    store = await openCliStore(loadConfig(env));
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropPostgresSchema(POSTGRES_URL, schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('user:create prints a generated password once, and it logs in', async () => {
    const res = await run('user:create', '--email', 'Ops@Example.com', '--role', 'admin');
    expect(res.code).toBe(0);
    const password = /Password \(shown once\): (\S+)/.exec(res.out)?.[1] ?? '';
    expect(password).toMatch(/^[0-9A-Za-z]{20}$/);
    const login = await createUserService(store.db, new ManualClock()).verifyCredentials('ops@example.com', password);
    expect(login.ok && login.user.role).toBe('admin');
  });

  it('user:create opens a ledger account with the sign-up bonus, and billing:reconcile proves it', async () => {
    env.TOKENHUB_SIGNUP_BONUS_USD = '1.50';
    const created = await run('user:create', '--email', 'bonus@example.com', '--password', 'a long password');
    delete env.TOKENHUB_SIGNUP_BONUS_USD;
    expect(created.code).toBe(0);
    const reconciled = await run('billing:reconcile', '--email', 'bonus@example.com');
    expect(reconciled.code).toBe(0);
    expect(reconciled.out).toMatch(/balance \$1\.50?, held \$0(\.00)?, 1 entries — ok/);
  });

  it('user:create with --password prints no password and user:list shows the users', async () => {
    const res = await run('user:create', '--email', 'dev@example.com', '--password', 'chosen password');
    expect([res.code, res.out.includes('shown once'), res.out.includes('chosen password')]).toEqual([0, false, false]);
    const list = await run('user:list');
    expect(list.out.split('\n')[0]).toBe('ID\tEMAIL\tROLE\tSTATUS\tGROUP\tCREATED');
    expect(list.out).toMatch(/usr_\S+\tops@example\.com\tadmin\tactive\tdefault\t/);
    expect(list.out).toMatch(/\tdev@example\.com\tuser\tactive\t/);
    expect((await run('user:list', '--q', 'dev')).out).not.toContain('ops@example.com');
  });

  it('key:create prints a working key once; key:list shows only its prefix; key:revoke stops it', async () => {
    const created = await run('key:create', '--email', 'dev@example.com', '--name', 'ci');
    expect(created.code).toBe(0);
    const plaintext = /API key \(shown once\): (th-\S+)/.exec(created.out)?.[1] ?? '';
    const keyId = /Created key (key_\S+)/.exec(created.out)?.[1] ?? '';
    const keys = createApiKeyService(store.db, new ManualClock());
    expect((await keys.authenticate(plaintext)).key?.id).toBe(keyId);

    const listed = await run('key:list', '--email', 'dev@example.com');
    expect(listed.out).toContain(`${keyId}\tth-${plaintext.slice(3, 9)}…${plaintext.slice(-4)}\tci\tactive`);
    expect(listed.out).not.toContain(plaintext);

    expect((await run('key:revoke', '--id', keyId)).code).toBe(0);
    await expect(createApiKeyService(store.db, new ManualClock()).authenticate(plaintext)).rejects.toMatchObject({ code: 'key_disabled' });
    expect((await run('key:list', '--email', 'dev@example.com')).out).toContain(`\tci\trevoked`);
  });

  it('user:disable and user:enable flip the status', async () => {
    expect((await run('user:disable', '--email', 'dev@example.com')).out).toContain('Disabled dev@example.com');
    const users = createUserService(store.db, new ManualClock());
    expect((await users.getByEmail('dev@example.com'))?.status).toBe('disabled');
    await run('user:enable', '--email', 'dev@example.com');
    expect((await users.getByEmail('dev@example.com'))?.status).toBe('active');
  });

  it('channel:list shows channels with a key hint, never the key', async () => {
    const channels = createChannelService(store.db, new SecretBox(Buffer.from(SECRET_HEX, 'hex')), new ManualClock());
    await channels.create({ provider: 'openai', name: 'cli-visible', apiKey: 'sk-cli-SECRET-000-wxyz', models: ['openai/gpt-4.1'] });
    const res = await run('channel:list');
    expect(res.out).toMatch(/chn_\S+\topenai\tcli-visible\thttps:\/\/api\.openai\.com\/v1\tsk-…wxyz\t1\t0\t1\tyes/);
    expect(res.out).not.toContain('SECRET');
  });

  it('reports usage errors with exit 2 and failed commands with exit 1', async () => {
    const unknown = await run('user:explode');
    expect([unknown.code, unknown.err.startsWith('Unknown command: user:explode')]).toEqual([2, true]);
    expect((await run('user:create')).err).toBe('error: --email is required');
    expect((await run('user:create', '--email', 'x@y.io', '--bogus')).code).toBe(2);
    expect((await run('key:list', '--email', 'nobody@example.com')).err).toBe('error: No user with email nobody@example.com');
    const bad = await run('user:create', '--email', 'not-an-email');
    expect([bad.code, bad.err]).toEqual([1, 'error: email must be a valid email address. (email)']);
    const duplicate = await run('user:create', '--email', 'dev@example.com');
    expect([duplicate.code, duplicate.err]).toEqual([1, 'error: A user with this email already exists. (email)']);
    const help = await run('--help');
    expect([help.code, help.out.startsWith('Usage: tokenhub')]).toEqual([0, true]);
  });
});
