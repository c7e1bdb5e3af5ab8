/**
 * Admin helpers the dashboard needs beyond the /api/admin routes (session + admin role; CSRF on POST):
 *   GET  /api/dashboard/admin/providers                       providers a channel can be created for
 *   GET  /api/dashboard/admin/balances?user_ids=a,b,…          balances of one page of users (≤ 100)
 *   GET  /api/dashboard/admin/totals/daily?days&tz_offset      revenue, upstream cost and margin per local day
 *   POST /api/dashboard/admin/channels/:id/test                one tiny request through one channel
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BillingService } from '../../billing/billing-service.js';
import { formatUsd } from '../../billing/money.js';
import { providers } from '../../catalog/providers.js';
import { GatewayError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { parseAdminInput as parseInput } from '../admin/parse-admin-input.js';
import { runChannelTest, type ChannelTestDeps } from './channel-test.js';
import { computeDayBoundaries } from './overview-routes.js';
import type { SessionAuth } from './session-auth.js';

export interface AdminHelperRouteDeps {
  billing: Pick<BillingService, 'getBalance' | 'platformTotals'>;
  sessionAuth: SessionAuth;
  clock: Clock;
  /** Absent: the test button answers 404. */
  channelTest?: ChannelTestDeps | undefined;
}

const DAY_MS = 86_400_000;
const MAX_BALANCE_IDS = 100;

const balancesQuerySchema = z.strictObject({ user_ids: z.string().min(1).max(MAX_BALANCE_IDS * 64) });
const dailyQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).optional(),
  tz_offset: z.coerce.number().int().min(-14 * 60).max(14 * 60).optional(),
});

export function registerAdminHelperRoutes(app: FastifyInstance, deps: AdminHelperRouteDeps): void {
  const { billing, sessionAuth } = deps;

  app.get('/api/dashboard/admin/providers', { preHandler: sessionAuth.admin }, async () => ({
    object: 'list' as const,
    data: providers.map((p) => ({ id: p.id, name: p.name, default_base_url: p.defaultBaseUrl, credentials: p.credentials })),
  }));

  app.get('/api/dashboard/admin/balances', { preHandler: sessionAuth.admin }, async (request) => {
    const ids = [...new Set(parseInput(balancesQuerySchema, request.query).user_ids.split(','))].filter(Boolean);
    if (ids.length > MAX_BALANCE_IDS) {
      throw new GatewayError('invalid_request', { param: 'user_ids', message: `Ask for at most ${MAX_BALANCE_IDS} users at once.` });
    }
    const entries = await Promise.all(
      ids.map(async (id) => {
        const balance = await billing.getBalance(id);
        const { balanceNanos, heldNanos, availableNanos, debtNanos } = balance;
        return [id, { balance: formatUsd(balanceNanos), held: formatUsd(heldNanos), available: formatUsd(availableNanos), debt: formatUsd(debtNanos) }] as const;
      }),
    );
    return { object: 'map' as const, data: Object.fromEntries(entries) };
  });

  app.get('/api/dashboard/admin/totals/daily', { preHandler: sessionAuth.admin }, async (request) => {
    const query = parseInput(dailyQuerySchema, request.query);
    const days = query.days ?? 30;
    const offset = query.tz_offset ?? 0;
    const { rangeStart } = computeDayBoundaries(deps.clock.now(), offset, days);
    const data = [];
    // One totals query per day keeps the definitions (revenue = charges − refunds, …) in billing alone.
    for (let i = 0; i < days; i++) {
      const from = rangeStart + i * DAY_MS;
      const totals = await billing.platformTotals({ from, to: from + DAY_MS });
      data.push({
        day: new Date(from + offset * 60_000).toISOString().slice(0, 10),
        revenue: formatUsd(totals.revenueNanos),
        upstream_cost: formatUsd(totals.upstreamCostNanos),
        margin: formatUsd(totals.marginNanos),
        top_ups: formatUsd(totals.topUpsNanos),
        settled_requests: totals.settledRequests,
      });
    }
    return { object: 'list' as const, data };
  });

  app.post<{ Params: { id: string } }>('/api/dashboard/admin/channels/:id/test', { preHandler: sessionAuth.admin }, async (request) => {
    const result = deps.channelTest ? await runChannelTest(deps.channelTest, request.params.id) : undefined;
    if (!result) throw new GatewayError('not_found', { message: 'No such channel.' });
    return result;
  });
}
