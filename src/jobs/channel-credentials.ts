/**
 * Channel credentials by channel id, for polling a job on the account that created it. The router's snapshot
 * only answers "some channel for this model", and a disabled channel is still where its running tasks live.
 */
import type { Kysely } from 'kysely';
import type { SecretBox } from '../shared/crypto.js';
import type { Database } from '../store/schema.js';
import type { ChannelCredentials } from './video-job-deps.js';

export function createChannelCredentialLookup(db: Kysely<Database>, secretBox: SecretBox): ChannelCredentials {
  return async (channelId) => {
    const row = await db.selectFrom('channels').select(['id', 'provider', 'base_url', 'api_key_enc', 'secret_enc']).where('id', '=', channelId).executeTakeFirst();
    if (!row) return undefined;
    return {
      channelId: row.id,
      provider: row.provider,
      baseUrl: row.base_url,
      apiKey: secretBox.decrypt(row.api_key_enc),
      secretKey: row.secret_enc === null ? undefined : secretBox.decrypt(row.secret_enc),
    };
  };
}
