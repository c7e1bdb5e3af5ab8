/**
 * CSV export of usage records (RFC 4180: CRLF lines, fields quoted when they hold a comma, quote or newline).
 * Costs are exact decimal USD strings. Rows are read page by page so an export never loads the whole log.
 */
import type { BillingDb } from './account-ledger.js';
import { formatUsd } from './money.js';
import { listUsageRecords, type UsageFilter, type UsagePosition, type UsageRecord } from './usage-reports.js';

export const USAGE_CSV_COLUMNS = [
  'id',
  'created_at',
  'api_key_id',
  'endpoint',
  'model',
  'provider',
  'status',
  'error_code',
  'stream',
  'prompt_tokens',
  'cached_tokens',
  'cache_write_tokens',
  'completion_tokens',
  'reasoning_tokens',
  'cost_usd',
  'estimated',
  'latency_ms',
  'finish_reason',
] as const;

const PAGE_SIZE = 1000;

/** Quotes as RFC 4180 needs; a leading =, +, @ or non-numeric - is defused so spreadsheets never run it as a formula. */
export function escapeCsvField(value: string): string {
  const safe = /^[=+@\t\r]/.test(value) || /^-(?![\d.])/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toUsageCsvLine(record: UsageRecord): string {
  const fields = [
    record.id,
    new Date(record.createdAt).toISOString(),
    record.apiKeyId ?? '',
    record.endpoint,
    record.model ?? '',
    record.provider ?? '',
    String(record.status),
    record.errorCode ?? '',
    record.stream ? 'true' : 'false',
    String(record.promptTokens),
    String(record.cachedTokens),
    String(record.cacheWriteTokens),
    String(record.completionTokens),
    String(record.reasoningTokens),
    record.costNanos === null ? '' : formatUsd(record.costNanos),
    record.estimated ? 'true' : 'false',
    String(record.latencyMs),
    record.finishReason ?? '',
  ];
  return `${fields.map(escapeCsvField).join(',')}\r\n`;
}

/** The header line, then one line per record, newest first. */
export async function* generateUsageCsv(db: BillingDb, filter: UsageFilter): AsyncGenerator<string> {
  yield `${USAGE_CSV_COLUMNS.join(',')}\r\n`;
  let after: UsagePosition | undefined;
  do {
    const page = await listUsageRecords(db, filter, { limit: PAGE_SIZE, after });
    yield page.records.map(toUsageCsvLine).join('');
    after = page.next;
  } while (after);
}
