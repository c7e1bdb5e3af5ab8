import { describe, expect, it } from 'vitest';
import { toUsageCsvLine, USAGE_CSV_COLUMNS } from '../../../src/billing/usage-csv.js';
import type { UsageRecord } from '../../../src/billing/usage-reports.js';

const record: UsageRecord = {
  id: 'gen-1',
  requestId: 'req-1',
  userId: 'usr_1',
  apiKeyId: 'key_1',
  endpoint: '/api/v1/chat/completions',
  model: 'openai/gpt-a',
  provider: 'openai',
  stream: true,
  status: 200,
  errorCode: null,
  latencyMs: 321,
  ttfbMs: 50,
  promptTokens: 10,
  completionTokens: 20,
  cachedTokens: 3,
  cacheWriteTokens: 0,
  reasoningTokens: 5,
  costNanos: 123_456n,
  estimated: true,
  finishReason: 'length',
  createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
};

describe('usage CSV', () => {
  it('defuses a formula-like model name but keeps gateway numbers numeric', () => {
    const line = toUsageCsvLine({ ...record, model: "-1+1+cmd|' /C calc'!A0", finishReason: '=1+1', status: 502 });
    const fields = line.trimEnd().split(',');
    const field = (column: (typeof USAGE_CSV_COLUMNS)[number]) => fields[USAGE_CSV_COLUMNS.indexOf(column)];
    expect(field('model')).toBe("'-1+1+cmd|' /C calc'!A0");
    expect(field('finish_reason')).toBe("'=1+1");
    expect(field('status')).toBe('502');
    expect(field('cost_usd')).toBe('0.000123456');
  });

  it('writes one CRLF line per record with exact costs, in column order', () => {
    const line = toUsageCsvLine(record);
    expect(line.endsWith('\r\n')).toBe(true);
    const fields = line.trimEnd().split(',');
    expect(fields).toHaveLength(USAGE_CSV_COLUMNS.length);
    expect(Object.fromEntries(USAGE_CSV_COLUMNS.map((c, i) => [c, fields[i]]))).toMatchObject({
      id: 'gen-1',
      created_at: '2026-01-02T03:04:05.000Z',
      cost_usd: '0.000123456',
      estimated: 'true',
      stream: 'true',
      reasoning_tokens: '5',
      finish_reason: 'length',
    });
  });
});
