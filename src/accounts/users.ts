/**
 * Users: accounts that own API keys and credit. Password hashes never leave this module; callers get `User`.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { GatewayError } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import { hashPassword, passwordNeedsRehash, verifyPassword } from '../shared/crypto.js';
import { newId, randomBase62 } from '../shared/ids.js';
import type { Database, UsersTable } from '../store/schema.js';
import { checkEmail, normalizeEmail } from './email.js';
import { checkPageLimit, decodePageCursor, encodePageCursor } from './page-cursor.js';

export type UserRole = 'user' | 'admin';
export type UserStatus = 'active' | 'disabled';

export interface User {
  id: string;
  email: string;
  role: UserRole;
  status: UserStatus;
  groupId: string;
  createdAt: number;
  updatedAt: number;
}

export interface CreateUserInput {
  email: string;
  password: string;
  role?: UserRole;
  groupId?: string;
}

export interface UserListQuery {
  /** 1–100, default 20. */
  limit?: number;
  /** From a previous page's `nextCursor`; not combinable with `offset`. */
  cursor?: string;
  offset?: number;
  /** Case-insensitive substring of the email. */
  q?: string;
}

export interface UserPage {
  users: User[];
  /** Set when more rows follow; works as the next `cursor` in either paging mode. */
  nextCursor: string | null;
  /** Rows matching `q`, all pages together. */
  total: number;
}

export type CredentialCheck = { ok: true; user: User } | { ok: false; reason: 'invalid_credentials' | 'user_disabled' };
export type PasswordChange = { ok: true } | { ok: false; reason: 'not_found' | 'invalid_credentials' };

export interface UserService {
  create(input: CreateUserInput): Promise<User>;
  get(id: string): Promise<User | undefined>;
  getByEmail(email: string): Promise<User | undefined>;
  list(query?: UserListQuery): Promise<UserPage>;
  count(): Promise<number>;
  setStatus(id: string, status: UserStatus): Promise<User | undefined>;
  setRole(id: string, role: UserRole): Promise<User | undefined>;
  setGroup(id: string, groupId: string): Promise<User | undefined>;
  /** Same work whether or not the email exists, and one failure reason for both wrong email and wrong password. */
  verifyCredentials(email: string, password: string): Promise<CredentialCheck>;
  changePassword(id: string, newPassword: string, options?: { currentPassword?: string }): Promise<PasswordChange>;
  /** Called after status, role or group changes, so caches built from the user (API key auth) can drop it. */
  onChange(listener: (user: User) => void): () => void;
}

export const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 256;
const GROUP_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new GatewayError('invalid_request', {
      param: 'password',
      message: `password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters.`,
    });
  }
  return password;
}

function checkGroupId(groupId: string): string {
  if (!GROUP_PATTERN.test(groupId)) {
    throw new GatewayError('invalid_request', { param: 'group', message: 'group must be 1–64 letters, digits, "_" or "-".' });
  }
  return groupId;
}

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: row.status,
    groupId: row.group_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

async function listUsers(db: Kysely<Database>, query: UserListQuery): Promise<UserPage> {
  const limit = checkPageLimit(query.limit);
  if (query.cursor !== undefined && query.offset !== undefined) {
    throw new GatewayError('invalid_request', { param: 'offset', message: 'Use either cursor or offset, not both.' });
  }
  if (query.offset !== undefined && (!Number.isInteger(query.offset) || query.offset < 0)) {
    throw new GatewayError('invalid_request', { param: 'offset', message: 'offset must be a non-negative integer.' });
  }
  const pattern = query.q ? `%${escapeLike(normalizeEmail(query.q))}%` : undefined;
  let base = db.selectFrom('users');
  if (pattern) base = base.where(sql<boolean>`email like ${pattern} escape '\\'`);
  const totalRow = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

  let page = base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
  if (query.cursor !== undefined) {
    const after = decodePageCursor(query.cursor);
    page = page.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  if (query.offset !== undefined) page = page.offset(query.offset);
  const rows = await page.execute();
  const users = rows.slice(0, limit).map(toUser);
  const last = users.at(-1);
  const nextCursor = rows.length > limit && last ? encodePageCursor(last) : null;
  return { users, nextCursor, total: Number(totalRow.n) };
}

export interface UserServiceOptions {
  /** Runs after a user row is written and before create() returns (billing opens the account, with any sign-up bonus). */
  onCreated?: (user: User) => Promise<void>;
}

export function createUserService(db: Kysely<Database>, clock: Clock, options: UserServiceOptions = {}): UserService {
  const listeners = new Set<(user: User) => void>();
  let decoyHash: Promise<string> | undefined;

  const getRow = (id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  const getRowByEmail = (email: string) =>
    db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();

  async function update(id: string, values: Partial<Pick<UsersTable, 'status' | 'role' | 'group_id'>>): Promise<User | undefined> {
    const result = await db
      .updateTable('users')
      .set({ ...values, updated_at: clock.now() })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    const row = await getRow(id);
    if (!row) return undefined;
    const user = toUser(row);
    for (const listener of listeners) listener(user);
    return user;
  }

  /** Replaces a hash made at an older cost, unless the password changed meanwhile. */
  async function rehash(id: string, oldHash: string, password: string): Promise<void> {
    const newHash = await hashPassword(password);
    await db.updateTable('users').set({ password_hash: newHash }).where('id', '=', id).where('password_hash', '=', oldHash).execute();
  }

  return {
    async create(input) {
      const email = checkEmail(input.email);
      const passwordHash = await hashPassword(checkPassword(input.password));
      const now = clock.now();
      const row = {
        id: newId('usr'),
        email,
        password_hash: passwordHash,
        role: input.role ?? 'user',
        status: 'active' as const,
        group_id: checkGroupId(input.groupId ?? 'default'),
        created_at: now,
        updated_at: now,
      };
      // ON CONFLICT DO NOTHING turns a concurrent duplicate into "0 rows" on both dialects instead of a driver error.
      const result = await db
        .insertInto('users')
        .values(row)
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) {
        throw new GatewayError('conflict', { param: 'email', message: 'A user with this email already exists.' });
      }
      const user = toUser(row);
      await options.onCreated?.(user);
      return user;
    },

    async get(id) {
      const row = await getRow(id);
      return row && toUser(row);
    },

    async getByEmail(email) {
      const row = await getRowByEmail(email);
      return row && toUser(row);
    },

    list: (query = {}) => listUsers(db, query),

    async count() {
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    setStatus: (id, status) => update(id, { status }),
    setRole: (id, role) => update(id, { role }),
    setGroup: (id, groupId) => update(id, { group_id: checkGroupId(groupId) }),

    async verifyCredentials(email, password) {
      const row = await getRowByEmail(email);
      if (!row) {
        // Hash anyway so an unknown email costs as much as a wrong password.
        decoyHash ??= hashPassword(randomBase62(24));
        await verifyPassword(password, await decoyHash);
        return { ok: false, reason: 'invalid_credentials' };
      }
      if (!(await verifyPassword(password, row.password_hash))) return { ok: false, reason: 'invalid_credentials' };
      if (row.status !== 'active') return { ok: false, reason: 'user_disabled' };
      if (passwordNeedsRehash(row.password_hash)) await rehash(row.id, row.password_hash, password);
      return { ok: true, user: toUser(row) };
    },

    async changePassword(id, newPassword, options = {}) {
      const hash = await hashPassword(checkPassword(newPassword));
      const row = await getRow(id);
      if (!row) return { ok: false, reason: 'not_found' };
      if (options.currentPassword !== undefined && !(await verifyPassword(options.currentPassword, row.password_hash))) {
        return { ok: false, reason: 'invalid_credentials' };
      }
      await db.updateTable('users').set({ password_hash: hash, updated_at: clock.now() }).where('id', '=', id).execute();
      return { ok: true };
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
