/**
 * Admin billing API (behind requireAdmin):
 *   GET    /api/admin/billing/users/:userId/balance | ledger | usage | usage.csv | spend/daily | spend/models
 *   POST   /api/admin/billing/users/:userId/adjustments   {type: "grant"|"deduct", amount: "5.00", reason}
 *   POST   /api/admin/billing/refunds                     {request_id, amount?, reason}
 *   GET    /api/admin/billing/usage | usage.csv | spend/daily | spend/models   (all users; ?user_id filters)
 *   GET    /api/admin/billing/totals                      ?from&to   revenue, upstream cost, margin, money in
 *   GET    /api/admin/billing/reconcile                   ?user_id   200 when every account reconciles, else 409
 *   GET    /api/admin/billing/groups                      PUT /api/admin/billing/groups/:groupId {name, multiplier}
 *   GET    /api/admin/billing/model-multipliers           PUT {model, multiplier, group_id?}  DELETE ?model&group_id
 *   GET    /api/admin/billing/redemption-batches          POST {amount, count, expires_at?, note?}  (codes shown once)
 *   GET|PUT /api/admin/billing/keys/:keyId/limit
 */
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import { authOf, registerBalanceRoutes, registerKeyLimitRoutes, registerUsageRoutes } from '../billing/account-views.js';
import { positiveUsdSchema, timeSchema } from '../billing/billing-input.js';
import { toPlatformTotalsJson, toReconciliationJson } from '../billing/billing-json.js';
import type { BillingService } from '../../billing/billing-service.js';
import { formatUsd } from '../../billing/money.js';
import { isMultiplierString } from '../../billing/multiplier.js';
import { ALL_GROUPS } from '../../billing/price-multipliers.js';
import { MAX_CODES_PER_BATCH } from '../../billing/redemption-codes.js';
import { GatewayError } from '../../shared/errors.js';
import { parseAdminInput } from './parse-admin-input.js';

export interface AdminBillingRouteDeps {
  billing: BillingService;
  requireAdmin: preHandlerHookHandler;
}

const reasonSchema = z.string().trim().min(1).max(500);
const multiplierSchema = z.string().refine(isMultiplierString, { message: 'A decimal such as "1.25" (at most 6 decimals).' });
const adjustmentSchema = z.strictObject({ type: z.enum(['grant', 'deduct']), amount: positiveUsdSchema, reason: reasonSchema });
const refundSchema = z.strictObject({ request_id: z.string().min(1), amount: positiveUsdSchema.optional(), reason: reasonSchema });
const periodSchema = z.strictObject({ from: timeSchema.optional(), to: timeSchema.optional() });
const reconcileSchema = z.strictObject({ user_id: z.string().min(1).optional() });
const groupSchema = z.strictObject({ name: z.string().trim().min(1).max(100), multiplier: multiplierSchema });
const modelMultiplierSchema = z.strictObject({ model: z.string().min(1), multiplier: multiplierSchema, group_id: z.string().min(1).optional() });
const modelMultiplierKeySchema = z.strictObject({ model: z.string().min(1), group_id: z.string().min(1).optional() });
const batchSchema = z.strictObject({
  amount: positiveUsdSchema,
  count: z.number().int().min(1).max(MAX_CODES_PER_BATCH),
  expires_at: timeSchema.nullable().optional(),
  note: z.string().max(500).nullable().optional(),
});

export function registerAdminBillingRoutes(app: FastifyInstance, deps: AdminBillingRouteDeps): void {
  const { billing, requireAdmin: preHandler } = deps;
  const base = '/api/admin/billing';

  const account = { kind: 'account' as const, userIdOf: (request: FastifyRequest) => (request.params as { userId: string }).userId };
  registerBalanceRoutes(app, { billing, prefix: `${base}/users/:userId`, preHandler, scope: account });
  registerUsageRoutes(app, { billing, prefix: `${base}/users/:userId`, preHandler, scope: account });
  registerUsageRoutes(app, { billing, prefix: base, preHandler, scope: { kind: 'platform' } });
  registerKeyLimitRoutes(app, { billing, prefix: base, preHandler, actingAs: 'admin' });
  registerMoneyRoutes(app, billing, base, preHandler);
  registerRedemptionRoutes(app, billing, base, preHandler);
  registerPricingRoutes(app, billing, base, preHandler);
}

function registerMoneyRoutes(app: FastifyInstance, billing: BillingService, base: string, preHandler: preHandlerHookHandler): void {
  app.post<{ Params: { userId: string } }>(`${base}/users/:userId/adjustments`, { preHandler }, async (request, reply) => {
    const body = parseAdminInput(adjustmentSchema, request.body);
    const input = { userId: request.params.userId, amountNanos: body.amount, reason: body.reason, actor: authOf(request).userId };
    const result = body.type === 'grant' ? await billing.grant(input) : await billing.deduct(input);
    if (!result.ok) throw result.error;
    reply.status(201);
    return { object: 'adjustment' as const, type: body.type, amount: formatUsd(body.amount), balance: formatUsd(result.balanceNanos), available: formatUsd(result.availableNanos) };
  });

  app.post(`${base}/refunds`, { preHandler }, async (request, reply) => {
    const body = parseAdminInput(refundSchema, request.body);
    const result = await billing.refund({ requestId: body.request_id, amountNanos: body.amount, reason: body.reason, actor: authOf(request).userId });
    if (!result.ok) throw result.error;
    reply.status(201);
    return { object: 'refund' as const, request_id: body.request_id, amount: formatUsd(result.refundedNanos), balance: formatUsd(result.balanceNanos) };
  });

  app.get(`${base}/totals`, { preHandler }, async (request) => {
    const query = parseAdminInput(periodSchema, request.query);
    return { ...toPlatformTotalsJson(await billing.platformTotals(query)), from: query.from ?? null, to: query.to ?? null };
  });

  app.get(`${base}/reconcile`, { preHandler }, async (request, reply) => {
    const query = parseAdminInput(reconcileSchema, request.query);
    const report = await billing.reconcile(query.user_id);
    reply.status(report.ok ? 200 : 409);
    return toReconciliationJson(report);
  });

}

function registerRedemptionRoutes(app: FastifyInstance, billing: BillingService, base: string, preHandler: preHandlerHookHandler): void {
  app.get(`${base}/redemption-batches`, { preHandler }, async () => {
    const batches = await billing.listRedemptionBatches();
    const data = batches.map((batch) => ({
      id: batch.id,
      amount: formatUsd(batch.amountNanos),
      count: batch.codeCount,
      redeemed: batch.redeemedCount,
      expires_at: batch.expiresAt,
      note: batch.note,
      created_by: batch.createdBy,
      created_at: batch.createdAt,
    }));
    return { object: 'list' as const, data };
  });

  app.post(`${base}/redemption-batches`, { preHandler }, async (request, reply) => {
    const body = parseAdminInput(batchSchema, request.body);
    const batch = await billing.createRedemptionBatch({
      amountNanos: body.amount,
      count: body.count,
      expiresAt: body.expires_at ?? null,
      note: body.note ?? null,
      actor: authOf(request).userId,
    });
    reply.status(201);
    return { object: 'redemption_batch' as const, id: batch.batchId, amount: formatUsd(body.amount), expires_at: body.expires_at ?? null, codes: batch.codes };
  });
}

function registerPricingRoutes(app: FastifyInstance, billing: BillingService, base: string, preHandler: preHandlerHookHandler): void {
  app.get(`${base}/groups`, { preHandler }, async () => {
    const groups = await billing.listGroups();
    return { object: 'list' as const, data: groups.map((g) => ({ id: g.id, name: g.name, multiplier: g.multiplier, created_at: g.createdAt, updated_at: g.updatedAt })) };
  });

  app.put<{ Params: { groupId: string } }>(`${base}/groups/:groupId`, { preHandler }, async (request) => {
    const body = parseAdminInput(groupSchema, request.body);
    if (request.params.groupId === ALL_GROUPS) throw new GatewayError('invalid_request', { message: `'${ALL_GROUPS}' is reserved.` });
    const group = await billing.upsertGroup({ id: request.params.groupId, name: body.name, multiplier: body.multiplier });
    return { id: group.id, name: group.name, multiplier: group.multiplier, created_at: group.createdAt, updated_at: group.updatedAt };
  });

  app.get(`${base}/model-multipliers`, { preHandler }, async () => {
    const rows = await billing.listModelMultipliers();
    return { object: 'list' as const, data: rows.map((r) => ({ model: r.modelId, group_id: r.groupId, multiplier: r.multiplier, updated_at: r.updatedAt })) };
  });

  app.put(`${base}/model-multipliers`, { preHandler }, async (request) => {
    const body = parseAdminInput(modelMultiplierSchema, request.body);
    const row = await billing.setModelMultiplier({ groupId: body.group_id ?? ALL_GROUPS, modelId: body.model, multiplier: body.multiplier });
    return { model: row.modelId, group_id: row.groupId, multiplier: row.multiplier, updated_at: row.updatedAt };
  });

  app.delete(`${base}/model-multipliers`, { preHandler }, async (request, reply) => {
    const query = parseAdminInput(modelMultiplierKeySchema, request.query);
    const removed = await billing.deleteModelMultiplier(query.group_id ?? ALL_GROUPS, query.model);
    if (!removed) throw new GatewayError('not_found', { message: 'No such model multiplier.' });
    return reply.status(204).send();
  });
}
