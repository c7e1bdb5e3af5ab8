/**
 * Operator CLI, offline against the configured store: `npm run tokenhub -- <command>` or `npx tokenhub <command>`.
 * `runCli` takes the environment and output sinks as arguments so tests run it in-process.
 */
import { existsSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { UserRole } from './accounts/users.js';
import { loadConfig, type Config } from './config.js';
import { isGatewayError } from './shared/errors.js';
import { runReconcileCommand } from './billing/reconcile-command.js';
import { randomBase62 } from './shared/ids.js';
import type { Store } from './store/db.js';
import { createServices, openConfiguredStore, type Services } from './services.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout(line: string): void;
  stderr(line: string): void;
}

interface CommandContext {
  config: Config;
  store: Store;
  /** The same services the server builds, so a user made here gets its ledger account exactly as one signed up. */
  services: Services;
  values: Record<string, string | undefined>;
  io: CliIo;
}

type Command = (ctx: CommandContext) => Promise<number>;

const USAGE = `Usage: tokenhub <command> [options]

  user:create  --email <email> [--password <pw>] [--role user|admin]
  user:list    [--q <email substring>]
  user:disable --email <email>
  user:enable  --email <email>
  key:create   --email <email> [--name <name>]
  key:list     --email <email>
  key:revoke   --id <key_…>
  channel:list
  billing:reconcile [--email <email>]   prove every balance equals the sum of its ledger entries

Reads the same configuration as the server (TOKENHUB_DATA_DIR, TOKENHUB_DATABASE_URL, …).`;

const OPTIONS = {
  email: { type: 'string' },
  password: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  id: { type: 'string' },
  q: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const GENERATED_PASSWORD_LENGTH = 20;

class CliUsageError extends Error {}

function required(values: CommandContext['values'], name: string): string {
  const value = values[name];
  if (!value) throw new CliUsageError(`--${name} is required`);
  return value;
}

const formatTime = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

async function requireUserByEmail(ctx: CommandContext, email: string) {
  const user = await ctx.services.users.getByEmail(email);
  if (!user) throw new CliUsageError(`No user with email ${email}`);
  return user;
}

const commands: Record<string, Command> = {
  async 'user:create'(ctx) {
    const role = ctx.values.role ?? 'user';
    if (role !== 'user' && role !== 'admin') throw new CliUsageError('--role must be user or admin');
    const password = ctx.values.password ?? randomBase62(GENERATED_PASSWORD_LENGTH);
    const user = await ctx.services.users.create({
      email: required(ctx.values, 'email'),
      password,
      role: role satisfies UserRole,
    });
    ctx.io.stdout(`Created ${user.role} ${user.email} (${user.id})`);
    if (ctx.values.password === undefined) ctx.io.stdout(`Password (shown once): ${password}`);
    return 0;
  },

  async 'billing:reconcile'(ctx) {
    const user = ctx.values.email ? await requireUserByEmail(ctx, ctx.values.email) : undefined;
    return runReconcileCommand(ctx.store.db, ctx.io, user?.id);
  },

  async 'user:list'(ctx) {
    const { users } = ctx.services;
    let cursor: string | undefined;
    ctx.io.stdout(['ID', 'EMAIL', 'ROLE', 'STATUS', 'GROUP', 'CREATED'].join('\t'));
    do {
      const page = await users.list({ limit: 100, ...(cursor ? { cursor } : {}), ...(ctx.values.q ? { q: ctx.values.q } : {}) });
      for (const u of page.users) ctx.io.stdout([u.id, u.email, u.role, u.status, u.groupId, formatTime(u.createdAt)].join('\t'));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return 0;
  },

  'user:disable': (ctx) => setUserStatus(ctx, 'disabled'),
  'user:enable': (ctx) => setUserStatus(ctx, 'active'),

  async 'key:create'(ctx) {
    const user = await requireUserByEmail(ctx, required(ctx.values, 'email'));
    const { key, plaintext } = await ctx.services.apiKeys.create(user.id, { name: ctx.values.name ?? 'cli' });
    ctx.io.stdout(`Created key ${key.id} "${key.name}" for ${user.email}`);
    ctx.io.stdout(`API key (shown once): ${plaintext}`);
    return 0;
  },

  async 'key:list'(ctx) {
    const user = await requireUserByEmail(ctx, required(ctx.values, 'email'));
    const keys = await ctx.services.apiKeys.list(user.id);
    ctx.io.stdout(['ID', 'PREFIX', 'NAME', 'STATUS', 'CREATED', 'LAST_USED', 'EXPIRES'].join('\t'));
    for (const k of keys) {
      ctx.io.stdout([k.id, k.prefix, k.name, k.status, formatTime(k.createdAt), formatTime(k.lastUsedAt), formatTime(k.expiresAt)].join('\t'));
    }
    return 0;
  },

  async 'key:revoke'(ctx) {
    const { apiKeys } = ctx.services;
    const id = required(ctx.values, 'id');
    const found = await apiKeys.findById(id);
    if (!found) throw new CliUsageError(`No key with id ${id}`);
    await apiKeys.revoke(found.userId, id);
    // Other running gateways trust their key cache for up to its TTL (60 s) unless a broadcaster is wired.
    ctx.io.stdout(`Revoked ${id} (${found.prefix})`);
    return 0;
  },

  async 'channel:list'(ctx) {
    const channels = await ctx.services.channels.list();
    ctx.io.stdout(['ID', 'PROVIDER', 'NAME', 'BASE_URL', 'KEY', 'MODELS', 'PRIORITY', 'WEIGHT', 'ENABLED'].join('\t'));
    for (const c of channels) {
      ctx.io.stdout([c.id, c.provider, c.name, c.baseUrl, c.apiKeyHint, c.models.length, c.priority, c.weight, c.enabled ? 'yes' : 'no'].join('\t'));
    }
    return 0;
  },
};

async function setUserStatus(ctx: CommandContext, status: 'active' | 'disabled'): Promise<number> {
  const user = await requireUserByEmail(ctx, required(ctx.values, 'email'));
  await ctx.services.users.setStatus(user.id, status);
  ctx.io.stdout(`${status === 'disabled' ? 'Disabled' : 'Enabled'} ${user.email} (${user.id})`);
  return 0;
}

export function openCliStore(config: Config): Promise<Store> {
  return openConfiguredStore(config);
}

/** Runs one command; returns the process exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [name, ...extra] = parsed.positionals;
  const command = name === undefined ? undefined : commands[name];
  if (parsed.values.help || name === 'help' || name === undefined) {
    io.stdout(USAGE);
    return 0;
  }
  if (!command || extra.length > 0) {
    io.stderr(`${command ? `Unexpected argument: ${extra[0]}` : `Unknown command: ${name}`}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(io.env);
  const store = await openCliStore(config);
  try {
    const { help: _help, ...values } = parsed.values;
    return await command({ config, store, services: createServices(store, config), values, io });
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`error: ${error.message}`);
      return 2;
    }
    if (isGatewayError(error)) {
      io.stderr(`error: ${error.message}${error.param ? ` (${error.param})` : ''}`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && existsSync(entry) && import.meta.url === pathToFileURL(realpathSync(entry)).href;
}

if (isEntryPoint()) {
  const io: CliIo = {
    env: process.env,
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
