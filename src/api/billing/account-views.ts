/**
 * Read routes over an account — balance, ledger, usage records, CSV export, spend by day and by model — and
 * the per-key spend-limit routes. Registered under /api/billing for the caller's own account, under
 * /api/admin/billing/users/:userId for any account, and (usage only) under /api/admin/billing for all users.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { AuthContext } from '../../accounts/auth-context.js';
import { checkPageLimit } from '../../accounts/page-cursor.js';
import type { BillingService } from '../../billing/billing-service.js';
import { GatewayError } from '../../shared/errors.js';
import { parseAdminInput } from '../admin/parse-admin-input.js';
import {
  decodeLedgerCursor,
  encodeLedgerCursor,
  encodeUsageCursor,
  ledgerQuerySchema,
  nonNegativeUsdSchema,
  spendQuerySchema,
  toUsageFilter,
  toUsagePage,
  usageQuerySchema,
} from './billing-input.js';
import { toBalanceJson, toDailySpendJson, toKeySpendJson, toLedgerEntryJson, toModelSpendJson, toUsageRecordJson } from './billing-json.js';

/** Whose usage a request reads: one account fixed by the route, or (admin platform view) an optional `?user_id=`. */
export type UsageScope = { kind: 'account'; userIdOf(request: FastifyRequest): string } | { kind: 'platform' };

export interface AccountViewRouteOptions {
  billing: BillingService;
  /** `/api/billing`, `/api/admin/billing/users/:userId` or `/api/admin/billing`. */
  prefix: string;
  preHandler: preHandlerHookHandler;
  scope: UsageScope;
}

/** The caller set by the authentication preHandler; its absence means the routes were wired without one. */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new GatewayError('missing_api_key');
  return request.auth;
}

function userIdFor(scope: UsageScope, request: FastifyRequest, queryUserId: string | undefined): string | undefined {
  if (scope.kind === 'platform') return queryUserId;
  if (queryUserId !== undefined) throw new GatewayError('invalid_request', { param: 'user_id', message: "Unknown field 'user_id'." });
  return scope.userIdOf(request);
}

/** Balance and ledger of one account. */
export function registerBalanceRoutes(app: FastifyInstance, options: AccountViewRouteOptions & { scope: { kind: 'account' } }): void {
  const { billing, prefix, preHandler, scope } = options;

  app.get(`${prefix}/balance`, { preHandler }, async (request) => toBalanceJson(await billing.getBalance(scope.userIdOf(request))));

  app.get(`${prefix}/ledger`, { preHandler }, async (request) => {
    const query = parseAdminInput(ledgerQuerySchema, request.query);
    const page = await billing.listLedger({ userId: scope.userIdOf(request), limit: checkPageLimit(query.limit), beforeSeq: decodeLedgerCursor(query.cursor) });
    const nextCursor = encodeLedgerCursor(page.nextBeforeSeq);
    return { object: 'list' as const, data: page.entries.map(toLedgerEntryJson), has_more: nextCursor !== null, next_cursor: nextCursor };
  });
}

/** Usage records, CSV export and spend charts, for one account or the whole platform. */
export function registerUsageRoutes(app: FastifyInstance, options: AccountViewRouteOptions): void {
  const { billing, prefix, preHandler, scope } = options;

  app.get(`${prefix}/usage`, { preHandler }, async (request) => {
    const query = parseAdminInput(usageQuerySchema, request.query);
    const filter = toUsageFilter(query, userIdFor(scope, request, query.user_id));
    const page = await billing.listUsage(filter, toUsagePage(query));
    const nextCursor = encodeUsageCursor(page.next);
    return { object: 'list' as const, data: page.records.map(toUsageRecordJson), has_more: nextCursor !== null, next_cursor: nextCursor };
  });

  app.get(`${prefix}/usage.csv`, { preHandler }, async (request, reply) => {
    const { limit: _limit, cursor: _cursor, ...query } = parseAdminInput(usageQuerySchema, request.query);
    const csv = Readable.from(billing.usageCsv(toUsageFilter(query, userIdFor(scope, request, query.user_id))));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="usage.csv"').send(csv);
  });

  app.get(`${prefix}/spend/daily`, { preHandler }, async (request) => {
    const query = parseAdminInput(spendQuerySchema, request.query);
    const days = await billing.spendByDay(toUsageFilter(query, userIdFor(scope, request, query.user_id)), query.utc_offset_minutes ?? 0);
    return { object: 'list' as const, data: days.map(toDailySpendJson) };
  });

  app.get(`${prefix}/spend/models`, { preHandler }, async (request) => {
    const query = parseAdminInput(spendQuerySchema.omit({ utc_offset_minutes: true }), request.query);
    const models = await billing.spendByModel(toUsageFilter(query, userIdFor(scope, request, query.user_id)));
    return { object: 'list' as const, data: models.map(toModelSpendJson) };
  });
}

const keyLimitSchema = z.strictObject({
  total_limit: nonNegativeUsdSchema.nullable().optional(),
  period: z.enum(['day', 'month']).nullable().optional(),
  period_limit: nonNegativeUsdSchema.nullable().optional(),
});

export interface KeyLimitRouteOptions {
  billing: BillingService;
  prefix: string;
  preHandler: preHandlerHookHandler;
  /**
   * `admin`: any key's limit, and the limits written are marked as an admin's. `owner`: the caller's own keys
   * only; reading takes an API key or a session, changing takes the owner's dashboard session (never a key: a
   * key that could lift its own cap would make the cap meaningless) and never touches a limit an admin set.
   */
  actingAs: 'admin' | 'owner';
}

export function registerKeyLimitRoutes(app: FastifyInstance, options: KeyLimitRouteOptions): void {
  const { billing, prefix, preHandler, actingAs } = options;

  async function ownerOf(request: FastifyRequest<{ Params: { keyId: string } }>): Promise<string> {
    const owner = await billing.findApiKeyOwner(request.params.keyId);
    // Someone else's key answers exactly like a missing one.
    if (owner === undefined || (actingAs === 'owner' && authOf(request).userId !== owner)) {
      throw new GatewayError('not_found', { message: 'No such API key.' });
    }
    return owner;
  }

  app.get<{ Params: { keyId: string } }>(`${prefix}/keys/:keyId/limit`, { preHandler }, async (request) => {
    await ownerOf(request);
    return toKeySpendJson(request.params.keyId, await billing.getKeySpend(request.params.keyId));
  });

  app.put<{ Params: { keyId: string } }>(`${prefix}/keys/:keyId/limit`, { preHandler }, async (request) => {
    const userId = await ownerOf(request);
    if (actingAs === 'owner' && authOf(request).via !== 'session') {
      throw new GatewayError('forbidden', { message: 'Spend limits change only from the dashboard or by an admin, never with an API key.' });
    }
    const body = parseAdminInput(keyLimitSchema, request.body);
    const period = body.period ?? null;
    const periodLimit = body.period_limit ?? null;
    if ((period === null) !== (periodLimit === null)) {
      throw new GatewayError('invalid_request', { param: 'period', message: 'Send period and period_limit together.' });
    }
    const apiKeyId = request.params.keyId;
    const limit = { apiKeyId, userId, totalLimitNanos: body.total_limit ?? null, period, periodLimitNanos: periodLimit };
    if (actingAs === 'admin') {
      await billing.setKeySpendLimit({ ...limit, setByAdmin: true });
    } else if (!(await billing.setOwnKeySpendLimit(limit))) {
      throw new GatewayError('forbidden', { message: 'An admin set this limit; only an admin can change or lift it.' });
    }
    return toKeySpendJson(apiKeyId, await billing.getKeySpend(apiKeyId));
  });
}
