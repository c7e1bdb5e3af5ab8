/**
 * Sign-up invitations for invite-only mode: single-use codes an admin hands out. Like API keys, a code is shown
 * once and stored as SHA-256; a claim is one conditional UPDATE, so two people racing with one code cannot
 * both get in.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../shared/clock.js';
import { sha256Hex } from '../shared/crypto.js';
import { newId, randomBase62 } from '../shared/ids.js';
import type { Database, SignupInvitesTable } from '../store/schema.js';

export interface SignupInvite {
  id: string;
  codeHint: string;
  note: string | null;
  createdBy: string | null;
  createdAt: number;
  expiresAt: number | null;
  usedBy: string | null;
  usedAt: number | null;
}

export interface CreatedSignupInvite {
  invite: SignupInvite;
  code: string;
}

export interface SignupInviteService {
  create(input: { note?: string | null; expiresAt?: number | null; createdBy?: string | null }): Promise<CreatedSignupInvite>;
  /** Newest first. */
  list(): Promise<SignupInvite[]>;
  /** Marks the code as taken; undefined when it is unknown, used or expired. */
  claim(code: string): Promise<string | undefined>;
  /** Gives a claimed code back when the sign-up that claimed it failed. */
  release(inviteId: string): Promise<void>;
  /** Records who used a claimed code. */
  complete(inviteId: string, userId: string): Promise<void>;
}

const CODE_LENGTH = 16;
/** `used_by` while a claim's sign-up is in progress. */
const PENDING = 'pending';

export function normalizeInviteCode(code: string): string {
  return code.trim().replace(/[\s-]/g, '');
}

function toSignupInvite(row: Selectable<SignupInvitesTable>): SignupInvite {
  return {
    id: row.id,
    codeHint: row.code_hint,
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedBy: row.used_by === PENDING ? null : row.used_by,
    usedAt: row.used_by === PENDING ? null : row.used_at,
  };
}

export function createSignupInviteService(db: Kysely<Database>, clock: Clock): SignupInviteService {
  return {
    async create(input) {
      const code = randomBase62(CODE_LENGTH);
      const row: Selectable<SignupInvitesTable> = {
        id: newId('code'),
        code_hash: sha256Hex(code),
        code_hint: code.slice(-4),
        note: input.note?.slice(0, 200) ?? null,
        created_by: input.createdBy ?? null,
        created_at: clock.now(),
        expires_at: input.expiresAt ?? null,
        used_by: null,
        used_at: null,
      };
      await db.insertInto('signup_invites').values(row).execute();
      return { invite: toSignupInvite(row), code };
    },

    async list() {
      const rows = await db.selectFrom('signup_invites').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(toSignupInvite);
    },

    async claim(code) {
      const now = clock.now();
      const hash = sha256Hex(normalizeInviteCode(code));
      const row = await db.selectFrom('signup_invites').select('id').where('code_hash', '=', hash).executeTakeFirst();
      if (!row) return undefined;
      const result = await db
        .updateTable('signup_invites')
        .set({ used_by: PENDING, used_at: now })
        .where('id', '=', row.id)
        .where('used_by', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0 ? row.id : undefined;
    },

    async release(inviteId) {
      await db
        .updateTable('signup_invites')
        .set({ used_by: null, used_at: null })
        .where('id', '=', inviteId)
        .where('used_by', '=', PENDING)
        .execute();
    },

    async complete(inviteId, userId) {
      await db.updateTable('signup_invites').set({ used_by: userId, used_at: clock.now() }).where('id', '=', inviteId).execute();
    },
  };
}
