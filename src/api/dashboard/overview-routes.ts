/**
 * The overview page's numbers for the logged-in user, with days cut at the user's local midnight (the browser
 * sends its UTC offset) so "today" means what the user thinks it means.
 *   GET /api/dashboard/overview   ?days=1..90 (default 30)&tz_offset=<minutes east of UTC>
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatUsd } from '../../billing/money.js';
import type { BillingService } from '../../billing/billing-service.js';
import type { DailySpend, ModelSpend } from '../../billing/usage-reports.js';
import type { Clock } from '../../shared/clock.js';
import { parseAdminInput as parseInput } from '../admin/parse-admin-input.js';
import { currentSession, type SessionAuth } from './session-auth.js';

export interface OverviewRouteDeps {
  billing: Pick<BillingService, 'getBalance' | 'spendTotal' | 'spendByDay' | 'spendByModel'>;
  clock: Clock;
  sessionAuth: SessionAuth;
}

const DAY_MS = 86_400_000;
const TOP_MODELS = 5;

const overviewQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).optional(),
  tz_offset: z.coerce.number().int().min(-14 * 60).max(14 * 60).optional(),
});

export interface DayBoundaries {
  /** Start of the local day `days - 1` days ago. */
  rangeStart: number;
  todayStart: number;
  monthStart: number;
}

/** Local midnights as epoch ms, for a zone `offsetMinutes` east of UTC. */
export function computeDayBoundaries(now: number, offsetMinutes: number, days: number): DayBoundaries {
  const offsetMs = offsetMinutes * 60_000;
  const local = now + offsetMs;
  const todayStart = Math.floor(local / DAY_MS) * DAY_MS - offsetMs;
  const localDate = new Date(local);
  const monthStart = Date.UTC(localDate.getUTCFullYear(), localDate.getUTCMonth(), 1) - offsetMs;
  return { rangeStart: todayStart - (days - 1) * DAY_MS, todayStart, monthStart };
}

/** `YYYY-MM-DD` of the local day starting at `dayStart`. */
function toLocalDay(dayStart: number, offsetMinutes: number): string {
  return new Date(dayStart + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** One entry per local day of the range, oldest first, days without requests as zeros. */
function fillDays(spend: DailySpend[], bounds: DayBoundaries, offsetMinutes: number, days: number) {
  const byDay = new Map(spend.map((d) => [d.day, d]));
  const series = [];
  for (let i = 0; i < days; i++) {
    const day = toLocalDay(bounds.rangeStart + i * DAY_MS, offsetMinutes);
    const found = byDay.get(day);
    series.push({
      day,
      requests: found?.requests ?? 0,
      prompt_tokens: found?.promptTokens ?? 0,
      completion_tokens: found?.completionTokens ?? 0,
      cost_usd: formatUsd(found?.costNanos ?? 0n),
    });
  }
  return series;
}

/** The dearest models (most requests first among equals); requests without a model are left out. */
function topModels(spend: ModelSpend[]) {
  return spend
    .filter((row): row is ModelSpend & { model: string } => row.model !== null)
    .sort((a, b) => (a.costNanos === b.costNanos ? b.requests - a.requests : a.costNanos < b.costNanos ? 1 : -1))
    .slice(0, TOP_MODELS)
    .map((row) => ({ model: row.model, requests: row.requests, cost_usd: formatUsd(row.costNanos) }));
}

export function registerOverviewRoutes(app: FastifyInstance, deps: OverviewRouteDeps): void {
  const { billing, sessionAuth } = deps;

  app.get('/api/dashboard/overview', { preHandler: sessionAuth.required }, async (request) => {
    const query = parseInput(overviewQuerySchema, request.query);
    const days = query.days ?? 30;
    const offset = query.tz_offset ?? 0;
    const userId = currentSession(request).user.id;
    const bounds = computeDayBoundaries(deps.clock.now(), offset, days);
    const inRange = { userId, from: bounds.rangeStart };
    const [balance, today, month, daily, byModel] = await Promise.all([
      billing.getBalance(userId),
      billing.spendTotal({ userId, from: bounds.todayStart }),
      billing.spendTotal({ userId, from: bounds.monthStart }),
      billing.spendByDay(inRange, offset),
      billing.spendByModel(inRange),
    ]);
    return {
      balance_usd: formatUsd(balance.balanceNanos),
      held_usd: formatUsd(balance.heldNanos),
      available_usd: formatUsd(balance.availableNanos),
      spend_today_usd: formatUsd(today.costNanos),
      requests_today: today.requests,
      spend_month_usd: formatUsd(month.costNanos),
      requests_month: month.requests,
      daily: fillDays(daily, bounds, offset, days),
      top_models: topModels(byModel),
    };
  });
}
