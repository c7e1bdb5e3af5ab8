/**
 * Ends the running requests of a key that was revoked or of an account that was disabled. Authentication is
 * checked once per request, so without this a stream would run on for as long as it lasts. The check reads the
 * store: at once after a change on this instance, and on a timer for changes it never hears of (the CLI,
 * another instance without Redis), so every stop happens within one interval.
 */
import type { Kysely } from 'kysely';
import { GatewayError } from '../shared/errors.js';
import type { Database } from '../store/schema.js';
import type { LiveRequests } from './live-requests.js';

export interface LiveAuthCheckDeps {
  db: Kysely<Database>;
  live: Pick<LiveRequests, 'keyIds' | 'stopKey' | 'stopUser'>;
  intervalMs: number;
  /** Where a failed pass is reported; the next tick tries again. */
  onError(error: unknown): void;
}

export interface LiveAuthCheck {
  /** Checks every live request's key and account now. */
  checkNow(): Promise<void>;
  stop(): void;
}

/** Stops the requests whose key is revoked or whose user is disabled; returns how many were stopped. */
export async function stopRevokedRequests(db: Kysely<Database>, live: LiveAuthCheckDeps['live']): Promise<number> {
  const keyIds = live.keyIds();
  if (keyIds.length === 0) return 0;
  const rows = await db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select(['api_keys.id as key_id', 'api_keys.status as key_status', 'users.id as user_id', 'users.status as user_status'])
    .where('api_keys.id', 'in', keyIds)
    .execute();
  let stopped = 0;
  for (const row of rows) {
    if (row.user_status !== 'active') stopped += live.stopUser(row.user_id, new GatewayError('user_disabled', { message: 'The account was disabled.' }));
    else if (row.key_status !== 'active') stopped += live.stopKey(row.key_id, new GatewayError('key_disabled', { message: 'The API key was revoked.' }));
  }
  return stopped;
}

/** Starts the timer (unref'd, so it never keeps the process alive). */
export function startLiveAuthCheck(deps: LiveAuthCheckDeps): LiveAuthCheck {
  let running: Promise<void> | undefined;
  let again = false;
  const checkNow = (): Promise<void> => {
    // A change that arrives during a pass gets a pass of its own, after it.
    if (running) {
      again = true;
      return running;
    }
    running = stopRevokedRequests(deps.db, deps.live)
      .then(() => undefined, deps.onError)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          void checkNow();
        }
      });
    return running;
  };
  const timer = setInterval(() => void checkNow(), deps.intervalMs);
  timer.unref();
  return { checkNow, stop: () => clearInterval(timer) };
}
