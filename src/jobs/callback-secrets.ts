/**
 * Each user's video callback signing secret. A receiver verifies a delivery with its own user's secret, so no
 * tenant can forge another's callbacks (and a leaked secret exposes one user, not all). The secret is sealed
 * with the master key at rest, created the first time it is needed, shown to its user in the dashboard, and
 * replaced when the user rotates it; deliveries from then on are signed with the new one.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../shared/clock.js';
import type { SecretBox } from '../shared/crypto.js';
import type { Database } from '../store/schema.js';

export interface CallbackSecret {
  secret: string;
  createdAt: number;
}

export interface CallbackSecrets {
  /** The user's secret, created on first use. */
  get(userId: string): Promise<CallbackSecret>;
  /** Replaces the user's secret with a new one and returns it. */
  rotate(userId: string): Promise<CallbackSecret>;
}

/** `whsec_` and 32 random bytes: recognisable in logs and configs, and as strong as the HMAC key it is. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function createCallbackSecrets(db: Kysely<Database>, secretBox: SecretBox, clock: Clock): CallbackSecrets {
  const read = async (userId: string): Promise<CallbackSecret | undefined> => {
    const row = await db.selectFrom('callback_secrets').select(['secret_enc', 'created_at']).where('user_id', '=', userId).executeTakeFirst();
    return row === undefined ? undefined : { secret: secretBox.decrypt(row.secret_enc), createdAt: row.created_at };
  };
  return {
    async get(userId) {
      const existing = await read(userId);
      if (existing !== undefined) return existing;
      // Two first uses at once both insert; the one that lands is the secret both return.
      await db
        .insertInto('callback_secrets')
        .values({ user_id: userId, secret_enc: secretBox.encrypt(newSecret()), created_at: clock.now() })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .execute();
      const created = await read(userId);
      if (created === undefined) throw new Error(`The callback secret of user ${userId} was not stored`);
      return created;
    },
    async rotate(userId) {
      const rotated = { secret: newSecret(), createdAt: clock.now() };
      const sealed = secretBox.encrypt(rotated.secret);
      await db
        .insertInto('callback_secrets')
        .values({ user_id: userId, secret_enc: sealed, created_at: rotated.createdAt })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_enc: sealed, created_at: rotated.createdAt }))
        .execute();
      return rotated;
    },
  };
}
