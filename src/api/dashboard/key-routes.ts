/**
 * The logged-in user's own API keys. The plaintext key is in the create response only.
 *   GET    /api/dashboard/keys
 *   POST   /api/dashboard/keys       {name, expires_at?, allowed_models?, allowed_ips?, spend_limit_usd?, spend_limit_period?}
 *   DELETE /api/dashboard/keys/:id   (revoke)
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiKeyInfo, ApiKeyService } from '../../accounts/api-keys.js';
import { checkApiKeyInput } from '../../accounts/api-key-input.js';
import type { BillingService } from '../../billing/billing-service.js';
import type { KeySpendLimit } from '../../billing/key-limits.js';
import { formatUsd, usdToNanos } from '../../billing/money.js';
import { GatewayError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { parseAdminInput as parseInput } from '../admin/parse-admin-input.js';
import { currentSession, type SessionAuth } from './session-auth.js';
import { apiKeyCreateFields, toApiKeyJson, type ApiKeyJson } from '../api-key-json.js';

export interface KeyRouteDeps {
  billing: Pick<BillingService, 'keySpendOfUser' | 'setKeySpendLimit'>;
  clock: Clock;
  apiKeys: ApiKeyService;
  sessionAuth: SessionAuth;
}

export interface DashboardKeyJson extends ApiKeyJson {
  /** Everything this key has been charged, exact decimal USD. */
  spent_usd: string;
  /** `set_by_admin`: only an admin can change or lift it. */
  spend_limit: { usd: string; period: 'total' | 'day' | 'month'; set_by_admin: boolean } | null;
}

const usdAmount = z.string().regex(/^\d{1,9}(\.\d{1,9})?$/, 'a USD amount such as "25" or "2.50"');

const createKeySchema = z.strictObject({
  ...apiKeyCreateFields,
  spend_limit_usd: usdAmount.nullable().optional(),
  spend_limit_period: z.enum(['total', 'day', 'month']).optional(),
});

function toLimitJson(limit: KeySpendLimit | undefined): DashboardKeyJson['spend_limit'] {
  if (!limit) return null;
  const setByAdmin = limit.setByAdmin;
  if (limit.period !== null && limit.periodLimitNanos !== null) return { usd: formatUsd(limit.periodLimitNanos), period: limit.period, set_by_admin: setByAdmin };
  if (limit.totalLimitNanos !== null) return { usd: formatUsd(limit.totalLimitNanos), period: 'total', set_by_admin: setByAdmin };
  return null;
}

function toDashboardKeyJson(key: ApiKeyInfo, spentNanos: bigint, limit: KeySpendLimit | undefined): DashboardKeyJson {
  return { ...toApiKeyJson(key), spent_usd: formatUsd(spentNanos), spend_limit: toLimitJson(limit) };
}

function toSpendLimit(body: z.infer<typeof createKeySchema>, apiKeyId: string, userId: string): KeySpendLimit | undefined {
  if (body.spend_limit_usd === undefined || body.spend_limit_usd === null) return undefined;
  const nanos = usdToNanos(body.spend_limit_usd);
  if (nanos <= 0n) throw new GatewayError('invalid_request', { param: 'spend_limit_usd', message: 'spend_limit_usd must be more than 0.' });
  const period = body.spend_limit_period ?? 'total';
  return period === 'total'
    ? { apiKeyId, userId, totalLimitNanos: nanos, period: null, periodLimitNanos: null, setByAdmin: false }
    : { apiKeyId, userId, totalLimitNanos: null, period, periodLimitNanos: nanos, setByAdmin: false };
}

export function registerKeyRoutes(app: FastifyInstance, deps: KeyRouteDeps): void {
  const { apiKeys, billing, sessionAuth } = deps;

  app.get('/api/dashboard/keys', { preHandler: sessionAuth.required }, async (request) => {
    const userId = currentSession(request).user.id;
    const [keys, spend] = await Promise.all([apiKeys.list(userId), billing.keySpendOfUser(userId)]);
    return { object: 'list' as const, data: keys.map((key) => toDashboardKeyJson(key, spend.spent.get(key.id) ?? 0n, spend.limits.get(key.id))) };
  });

  app.post('/api/dashboard/keys', { preHandler: sessionAuth.required }, async (request, reply) => {
    const userId = currentSession(request).user.id;
    const body = parseInput(createKeySchema, request.body);
    const input = {
      name: body.name,
      expiresAt: body.expires_at ?? null,
      allowedModels: body.allowed_models ?? null,
      allowedIps: body.allowed_ips ?? null,
    };
    // Everything is checked before the key exists, so a bad limit never leaves an unlimited key behind.
    checkApiKeyInput(input, deps.clock.now());
    toSpendLimit(body, 'key_check', userId);
    const created = await apiKeys.create(userId, input);
    const limit = toSpendLimit(body, created.key.id, userId);
    if (limit) {
      try {
        await billing.setKeySpendLimit(limit);
      } catch (error) {
        // A key must never outlive a limit its owner asked for and did not get.
        await apiKeys.revoke(userId, created.key.id);
        throw error;
      }
    }
    reply.status(201);
    return { ...toDashboardKeyJson(created.key, 0n, limit), key: created.plaintext };
  });

  app.delete<{ Params: { id: string } }>('/api/dashboard/keys/:id', { preHandler: sessionAuth.required }, async (request) => {
    const userId = currentSession(request).user.id;
    const key = await apiKeys.revoke(userId, request.params.id);
    if (!key) throw new GatewayError('not_found', { message: 'No such key.' });
    const spend = await billing.keySpendOfUser(userId);
    return toDashboardKeyJson(key, spend.spent.get(key.id) ?? 0n, spend.limits.get(key.id));
  });
}
