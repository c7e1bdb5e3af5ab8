/**
 * The overview page's numbers for the logged-in user, with days cut at the user's local midnight (the browser
 * sends its UTC offset) so "today" means what the user thinks it means.
 *   GET /api/dashboard/overview   ?days=1..90 (default 30)&tz_offset=<minutes east of UTC>
 */
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { formatUsd } from '../../billing/money.js';
import type { Clock } from '../../shared/clock.js';
import type { Database } from '../../store/schema.js';
import { parseAdminInput as parseInput } from '../admin/parse-admin-input.js';
import { currentSession, type SessionAuth } from './session-auth.js';

export interface OverviewRouteDeps {
  db: Kysely<Database>;
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

async function sumCost(db: Kysely<Database>, userId: string, from: number): Promise<{ costNanos: bigint; requests: number }> {
  const row = await db
    .selectFrom('request_logs')
    .select((eb) => [eb.fn.sum<bigint | null>('cost_nanos').as('cost_nanos'), eb.fn.countAll<number>().as('requests')])
    .where('user_id', '=', userId)
    .where('created_at', '>=', from)
    .executeTakeFirst();
  return { costNanos: BigInt(row?.cost_nanos ?? 0n), requests: Number(row?.requests ?? 0) };
}

async function dailySeries(db: Kysely<Database>, userId: string, bounds: DayBoundaries, offsetMinutes: number, days: number) {
  const offsetMs = offsetMinutes * 60_000;
  // Literals, not parameters: PostgreSQL only matches the GROUP BY to the SELECT expression when they are identical.
  const dayIndex = sql<number>`(created_at + ${sql.lit(offsetMs)}) / ${sql.lit(DAY_MS)}`;
  const rows = await db
    .selectFrom('request_logs')
    .select((eb) => [
      dayIndex.as('day_index'),
      eb.fn.countAll<number>().as('requests'),
      eb.fn.sum<number>('prompt_tokens').as('prompt_tokens'),
      eb.fn.sum<number>('completion_tokens').as('completion_tokens'),
      eb.fn.sum<bigint | null>('cost_nanos').as('cost_nanos'),
    ])
    .where('user_id', '=', userId)
    .where('created_at', '>=', bounds.rangeStart)
    .groupBy(dayIndex)
    .execute();
  const byIndex = new Map(rows.map((row) => [Number(row.day_index), row]));
  const series = [];
  for (let i = 0; i < days; i++) {
    const dayStart = bounds.rangeStart + i * DAY_MS;
    const row = byIndex.get(Math.floor((dayStart + offsetMs) / DAY_MS));
    series.push({
      day: toLocalDay(dayStart, offsetMinutes),
      requests: Number(row?.requests ?? 0),
      prompt_tokens: Number(row?.prompt_tokens ?? 0),
      completion_tokens: Number(row?.completion_tokens ?? 0),
      cost_usd: formatUsd(BigInt(row?.cost_nanos ?? 0n)),
    });
  }
  return series;
}

async function topModels(db: Kysely<Database>, userId: string, from: number) {
  const rows = await db
    .selectFrom('request_logs')
    .select((eb) => ['model', eb.fn.countAll<number>().as('requests'), eb.fn.sum<bigint | null>('cost_nanos').as('cost_nanos')])
    .where('user_id', '=', userId)
    .where('created_at', '>=', from)
    .where('model', 'is not', null)
    .groupBy('model')
    .execute();
  return rows
    .map((row) => ({ model: row.model ?? '', requests: Number(row.requests), costNanos: BigInt(row.cost_nanos ?? 0n) }))
    .sort((a, b) => (a.costNanos === b.costNanos ? b.requests - a.requests : a.costNanos < b.costNanos ? 1 : -1))
    .slice(0, TOP_MODELS)
    .map((row) => ({ model: row.model, requests: row.requests, cost_usd: formatUsd(row.costNanos) }));
}

export function registerOverviewRoutes(app: FastifyInstance, deps: OverviewRouteDeps): void {
  const { db, sessionAuth } = deps;

  app.get('/api/dashboard/overview', { preHandler: sessionAuth.required }, async (request) => {
    const query = parseInput(overviewQuerySchema, request.query);
    const days = query.days ?? 30;
    const offset = query.tz_offset ?? 0;
    const userId = currentSession(request).user.id;
    const bounds = computeDayBoundaries(deps.clock.now(), offset, days);
    const [account, today, month, daily, top] = await Promise.all([
      db.selectFrom('accounts').select(['balance_nanos', 'held_nanos']).where('user_id', '=', userId).executeTakeFirst(),
      sumCost(db, userId, bounds.todayStart),
      sumCost(db, userId, bounds.monthStart),
      dailySeries(db, userId, bounds, offset, days),
      topModels(db, userId, bounds.rangeStart),
    ]);
    const balance = BigInt(account?.balance_nanos ?? 0n);
    const held = BigInt(account?.held_nanos ?? 0n);
    return {
      balance_usd: formatUsd(balance),
      held_usd: formatUsd(held),
      available_usd: formatUsd(balance - held),
      spend_today_usd: formatUsd(today.costNanos),
      requests_today: today.requests,
      spend_month_usd: formatUsd(month.costNanos),
      requests_month: month.requests,
      daily,
      top_models: top,
    };
  });
}
