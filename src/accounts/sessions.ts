/**
 * Dashboard sessions: a random token in an HttpOnly cookie, its SHA-256 in the store, so a session can be listed
 * and revoked server-side (log-out, password change, disabled user). Each session carries its own CSRF token.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../shared/clock.js';
import { sha256Hex } from '../shared/crypto.js';
import { newId } from '../shared/ids.js';
import type { Database, SessionsTable } from '../store/schema.js';
import type { User } from './users.js';

export interface SessionInfo {
  id: string;
  userId: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface CreatedSession {
  session: SessionInfo;
  /** Cookie value; exists only here and in the browser. */
  token: string;
  csrfToken: string;
}

export interface AuthenticatedSession {
  session: SessionInfo;
  csrfToken: string;
  user: User;
}

export interface SessionServiceOptions {
  /** Absolute lifetime. Default 30 days. */
  ttlMs?: number;
  /** A session unused this long ends. Default 7 days. */
  idleTimeoutMs?: number;
  /** `last_seen_at` is written at most this often per session. Default 60 s. */
  touchIntervalMs?: number;
}

export interface SessionService {
  create(userId: string, meta?: { ip?: string; userAgent?: string }): Promise<CreatedSession>;
  /** The live session and its (active) user, or undefined for an unknown, expired, idle or revoked token. */
  authenticate(token: string): Promise<AuthenticatedSession | undefined>;
  /** Live sessions of a user, newest first. */
  list(userId: string): Promise<SessionInfo[]>;
  /** Idempotent; false when the session is not the user's or not live. */
  revoke(userId: string, sessionId: string): Promise<boolean>;
  /** Ends every live session of the user except `keepSessionId`; returns how many ended. */
  revokeAll(userId: string, keepSessionId?: string): Promise<number>;
  readonly ttlMs: number;
}

export const DEFAULT_SESSION_TTL_MS = 30 * 24 * 3600_000;
export const DEFAULT_SESSION_IDLE_MS = 7 * 24 * 3600_000;
const DEFAULT_TOUCH_INTERVAL_MS = 60_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

function toSessionInfo(row: Selectable<SessionsTable>): SessionInfo {
  return {
    id: row.id,
    userId: row.user_id,
    ip: row.ip,
    userAgent: row.user_agent,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}

export function createSessionService(db: Kysely<Database>, clock: Clock, options: SessionServiceOptions = {}): SessionService {
  const ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  const idleMs = options.idleTimeoutMs ?? DEFAULT_SESSION_IDLE_MS;
  const touchMs = options.touchIntervalMs ?? DEFAULT_TOUCH_INTERVAL_MS;

  const isLive = (row: Pick<SessionsTable, 'revoked_at' | 'expires_at' | 'last_seen_at'>, now: number) =>
    row.revoked_at === null && row.expires_at > now && row.last_seen_at + idleMs > now;

  return {
    ttlMs,

    async create(userId, meta = {}) {
      const now = clock.now();
      const token = generateSessionSecret();
      const csrfToken = generateSessionSecret();
      const row: Selectable<SessionsTable> = {
        id: newId('ses'),
        user_id: userId,
        token_hash: sha256Hex(token),
        csrf_token: csrfToken,
        ip: meta.ip?.slice(0, 64) ?? null,
        user_agent: meta.userAgent?.slice(0, 300) ?? null,
        created_at: now,
        last_seen_at: now,
        expires_at: now + ttlMs,
        revoked_at: null,
      };
      await db.insertInto('sessions').values(row).execute();
      return { session: toSessionInfo(row), token, csrfToken };
    },

    async authenticate(token) {
      if (!TOKEN_PATTERN.test(token)) return undefined;
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('sessions')
        .select(['users.email', 'users.role', 'users.status', 'users.group_id', 'users.created_at as user_created_at', 'users.updated_at as user_updated_at'])
        .where('sessions.token_hash', '=', sha256Hex(token))
        .executeTakeFirst();
      const now = clock.now();
      if (!row || !isLive(row, now) || row.status !== 'active') return undefined;
      if (now - row.last_seen_at >= touchMs) {
        await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute();
        row.last_seen_at = now;
      }
      const user: User = {
        id: row.user_id,
        email: row.email,
        role: row.role,
        status: row.status,
        groupId: row.group_id,
        createdAt: row.user_created_at,
        updatedAt: row.user_updated_at,
      };
      return { session: toSessionInfo(row), csrfToken: row.csrf_token, user };
    },

    async list(userId) {
      const now = clock.now();
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.filter((row) => isLive(row, now)).map(toSessionInfo);
    },

    async revoke(userId, sessionId) {
      const result = await db
        .updateTable('sessions')
        .set({ revoked_at: clock.now() })
        .where('id', '=', sessionId)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async revokeAll(userId, keepSessionId) {
      let query = db.updateTable('sessions').set({ revoked_at: clock.now() }).where('user_id', '=', userId).where('revoked_at', 'is', null);
      if (keepSessionId) query = query.where('id', '!=', keepSessionId);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
