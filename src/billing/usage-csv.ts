/**
 * CSV export of usage records (RFC 4180: CRLF lines, fields quoted when they hold a comma, quote or newline).
 * Costs are exact decimal USD strings. Rows are read page by page so an export never loads the whole log.
 * Text columns can hold what a caller chose (a model name, an upstream's finish reason), so each goes through
 * csvText, which defuses spreadsheet formulas; only numbers the gateway formats itself go out bare.
 */
import type { BillingDb } from './account-ledger.js';
import { csvNumber, csvText } from '../shared/csv-field.js';
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

export function toUsageCsvLine(record: UsageRecord): string {
  const fields = [
    csvText(record.id),
    csvText(new Date(record.createdAt).toISOString()),
    csvText(record.apiKeyId ?? ''),
    csvText(record.endpoint),
    csvText(record.model ?? ''),
    csvText(record.provider ?? ''),
    csvNumber(record.status),
    csvText(record.errorCode ?? ''),
    record.stream ? 'true' : 'false',
    csvNumber(record.promptTokens),
    csvNumber(record.cachedTokens),
    csvNumber(record.cacheWriteTokens),
    csvNumber(record.completionTokens),
    csvNumber(record.reasoningTokens),
    record.costNanos === null ? '' : csvNumber(formatUsd(record.costNanos)),
    record.estimated ? 'true' : 'false',
    csvNumber(record.latencyMs),
    csvText(record.finishReason ?? ''),
  ];
  return `${fields.join(',')}\r\n`;
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
