/**
 * Guard for /api/admin: the operator's `TOKENHUB_ADMIN_TOKEN`, or a `th-` key an admin created with the admin
 * scope for an admin user, sent as `Authorization: Bearer …` (or `x-api-key`). 401 when absent or wrong, 403 for
 * any other valid key: an admin's ordinary keys (the first-start key among them) are inference keys, so a key
 * handed to an SDK, or fenced by model and spend limits, never carries the whole admin API with it.
 * Wrong admin tokens are slowed per client address with growing delays; while an address waits, even the right
 * token is refused from it, or the answer would tell a guesser when it had guessed right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { preHandlerHookHandler } from 'fastify';
import type { ApiKeyService } from '../../accounts/api-keys.js';
import { AttemptLimiter, growingDelays, type DelayPolicy } from '../../accounts/attempt-limiter.js';
import type { AuthContext } from '../../accounts/auth-context.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { GatewayError } from '../../shared/errors.js';
import { readApiKey } from '../authenticate.js';
import { headerGuard } from '../guards-before-body.js';

export interface RequireAdminDeps {
  adminToken?: string | undefined;
  apiKeys: Pick<ApiKeyService, 'authenticate'>;
  clock?: Clock;
  tokenFailures?: DelayPolicy;
}

/** Ten free wrong tokens per address, then 1 s, 2 s, 4 s … up to 15 minutes between tries. */
export const DEFAULT_ADMIN_TOKEN_FAILURES: DelayPolicy = { freeFailures: 10, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };

/** `request.auth.userId` when the caller used the admin token rather than a user's key. */
export const ADMIN_TOKEN_USER_ID = 'admin_token';

const adminTokenAuth: AuthContext = { userId: ADMIN_TOKEN_USER_ID, role: 'admin', groupId: 'default', via: 'admin_token' };

// Comparing fixed-length digests keeps the comparison constant-time whatever length the caller sends.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function createRequireAdmin(deps: RequireAdminDeps): preHandlerHookHandler {
  const tokenDigest = deps.adminToken ? digest(deps.adminToken) : undefined;
  const clock = deps.clock ?? systemClock;
  const failures = new AttemptLimiter(growingDelays(deps.tokenFailures ?? DEFAULT_ADMIN_TOKEN_FAILURES));
  return headerGuard<preHandlerHookHandler>(async (request) => {
    const presented = readApiKey(request);
    if (!presented) {
      throw new GatewayError('missing_api_key', {
        message: 'Admin routes need "Authorization: Bearer <admin token or an admin-scoped th- key>".',
      });
    }
    if (presented.startsWith('th-')) {
      const auth = await deps.apiKeys.authenticate(presented, request.ip);
      if (auth.role !== 'admin' || auth.key?.adminScope !== true) {
        throw new GatewayError('forbidden', { message: 'Admin routes need the admin token or a key an admin created with the admin scope.' });
      }
      request.auth = auth;
      return;
    }
    // The check, the comparison and the count run in one synchronous step: parallel guesses cannot overtake it.
    const now = clock.now();
    const wait = failures.waitFor(request.ip, now);
    if (wait > 0) throw new GatewayError('rate_limit_exceeded', { retryAfter: wait, message: 'Too many wrong admin tokens from this address. Try again later.' });
    if (tokenDigest && timingSafeEqual(digest(presented), tokenDigest)) {
      failures.clear(request.ip);
      request.auth = { ...adminTokenAuth };
      return;
    }
    failures.record(request.ip, now);
    throw new GatewayError('invalid_api_key', { message: 'The admin token is invalid.' });
  });
}
