/**
 * Usage records (from request_logs) for the dashboard: paged lists filtered by user, key, model and time, one
 * record by generation id, and spend by day and by model for charts. Days are bucketed by integer division of
 * the epoch-ms timestamp (shifted by the caller's UTC offset), which is the same SQL on both dialects.
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database, RequestLogsTable } from '../store/schema.js';
import type { BillingDb } from './account-ledger.js';

const DAY_MS = 86_400_000;

export interface UsageFilter {
  userId?: string | undefined;
  apiKeyId?: string | undefined;
  model?: string | undefined;
  /** Inclusive lower bound, epoch ms. */
  from?: number | undefined;
  /** Exclusive upper bound, epoch ms. */
  to?: number | undefined;
}

export interface UsageRecord {
  id: string;
  requestId: string | null;
  userId: string | null;
  apiKeyId: string | null;
  endpoint: string;
  model: string | null;
  provider: string | null;
  stream: boolean;
  status: number;
  errorCode: string | null;
  latencyMs: number;
  ttfbMs: number | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costNanos: bigint | null;
  estimated: boolean;
  finishReason: string | null;
  createdAt: number;
}

export interface UsagePosition {
  createdAt: number;
  id: string;
}

export interface DailySpend {
  /** `YYYY-MM-DD` in the requested offset. */
  day: string;
  costNanos: bigint;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

export interface ModelSpend {
  model: string | null;
  costNanos: bigint;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

type LogQuery<O> = SelectQueryBuilder<Database, 'request_logs', O>;

function applyFilter<O>(query: LogQuery<O>, filter: UsageFilter): LogQuery<O> {
  let q = query;
  if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
  if (filter.apiKeyId !== undefined) q = q.where('api_key_id', '=', filter.apiKeyId);
  if (filter.model !== undefined) q = q.where('model', '=', filter.model);
  if (filter.from !== undefined) q = q.where('created_at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('created_at', '<', filter.to);
  return q;
}

export function toUsageRecord(row: RequestLogsTable): UsageRecord {
  return {
    id: row.id,
    requestId: row.request_id ?? null,
    userId: row.user_id,
    apiKeyId: row.api_key_id,
    endpoint: row.endpoint,
    model: row.model,
    provider: row.provider,
    stream: row.stream === 1,
    status: row.status,
    errorCode: row.error_code,
    latencyMs: row.latency_ms,
    ttfbMs: row.ttfb_ms,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    cachedTokens: row.cached_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    reasoningTokens: row.reasoning_tokens,
    costNanos: row.cost_nanos === null ? null : BigInt(row.cost_nanos),
    estimated: row.estimated === 1,
    finishReason: row.finish_reason,
    createdAt: row.created_at,
  };
}

/** Newest first; pass the returned `next` as `after` for the following page. */
export async function listUsageRecords(
  db: BillingDb,
  filter: UsageFilter,
  page: { limit: number; after?: UsagePosition | undefined },
): Promise<{ records: UsageRecord[]; next: UsagePosition | undefined }> {
  let query = applyFilter(db.selectFrom('request_logs').selectAll(), filter);
  const after = page.after;
  if (after) {
    query = query.where((eb: ExpressionBuilder<Database, 'request_logs'>) =>
      eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]),
    );
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
  const records = rows.slice(0, page.limit).map(toUsageRecord);
  const last = records.at(-1);
  return { records, next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : undefined };
}

/** One record by generation id, only when it belongs to `userId`. */
export async function getUsageRecord(db: BillingDb, id: string, userId: string): Promise<UsageRecord | undefined> {
  const row = await db.selectFrom('request_logs').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return row ? toUsageRecord(row) : undefined;
}

export async function spendByDay(db: BillingDb, filter: UsageFilter, utcOffsetMinutes = 0): Promise<DailySpend[]> {
  const offsetMs = utcOffsetMinutes * 60_000;
  if (!Number.isSafeInteger(offsetMs)) throw new RangeError('The UTC offset is a whole number of minutes');
  // Literals, not parameters: both dialects then do integer arithmetic on the bigint column (a bound JS number
  // is a REAL to SQLite and an untyped parameter to PostgreSQL).
  const dayIndex = sql<number>`(created_at + ${sql.lit(offsetMs)}) / ${sql.lit(DAY_MS)}`;
  const rows = await applyFilter(db.selectFrom('request_logs'), filter)
    .select((eb) => [
      dayIndex.as('day_index'),
      eb.fn.sum<bigint | null>('cost_nanos').as('cost_nanos'),
      eb.fn.countAll<number>().as('requests'),
      eb.fn.sum<number>('prompt_tokens').as('prompt_tokens'),
      eb.fn.sum<number>('completion_tokens').as('completion_tokens'),
    ])
    .groupBy('day_index')
    .orderBy('day_index')
    .execute();
  return rows.map((row) => ({
    day: new Date(Number(row.day_index) * DAY_MS).toISOString().slice(0, 10),
    costNanos: BigInt(row.cost_nanos ?? 0n),
    requests: Number(row.requests),
    promptTokens: Number(row.prompt_tokens ?? 0),
    completionTokens: Number(row.completion_tokens ?? 0),
  }));
}

/** What the matching records cost together, and how many there are. */
export async function spendTotal(db: BillingDb, filter: UsageFilter): Promise<{ costNanos: bigint; requests: number }> {
  const row = await applyFilter(db.selectFrom('request_logs'), filter)
    .select((eb) => [eb.fn.sum<bigint | null>('cost_nanos').as('cost_nanos'), eb.fn.countAll<number>().as('requests')])
    .executeTakeFirst();
  return { costNanos: BigInt(row?.cost_nanos ?? 0n), requests: Number(row?.requests ?? 0) };
}

export async function spendByModel(db: BillingDb, filter: UsageFilter): Promise<ModelSpend[]> {
  const rows = await applyFilter(db.selectFrom('request_logs'), filter)
    .select((eb) => [
      'model',
      eb.fn.sum<bigint | null>('cost_nanos').as('cost_nanos'),
      eb.fn.countAll<number>().as('requests'),
      eb.fn.sum<number>('prompt_tokens').as('prompt_tokens'),
      eb.fn.sum<number>('completion_tokens').as('completion_tokens'),
    ])
    .groupBy('model')
    .execute();
  const spends = rows.map((row) => ({
    model: row.model,
    costNanos: BigInt(row.cost_nanos ?? 0n),
    requests: Number(row.requests),
    promptTokens: Number(row.prompt_tokens ?? 0),
    completionTokens: Number(row.completion_tokens ?? 0),
  }));
  // Dearest first; ties by model id so the order is stable.
  return spends.sort((a, b) => (a.costNanos !== b.costNanos ? (a.costNanos > b.costNanos ? -1 : 1) : (a.model ?? '').localeCompare(b.model ?? '')));
}
