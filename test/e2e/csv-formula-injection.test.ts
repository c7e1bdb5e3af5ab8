/**
 * A usage export never hands a spreadsheet a formula: any client-chosen text (here a model name sent by an
 * ordinary key) that a spreadsheet would evaluate is prefixed with a single quote, in the user's own export,
 * an admin's per-user export and the admin's platform export. Numbers the gateway formats stay numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const PAYLOADS = [`-1+1+cmd|' /C calc'!A0`, '=HYPERLINK("http://evil.test","x")', '+1+1', '@SUM(1,1)', '\t=1+1', '\r=1+1', '-2'];

async function getCsv(t: TestGateway, path: string, key: string): Promise<string> {
  const res = await request(`${t.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.statusCode).toBe(200);
  expect(String(res.headers['content-type'])).toContain('text/csv');
  return res.body.text();
}

/** Splits RFC 4180 text into rows of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return rows;
}

describe.each(dialects)('CSV exports on %s', (dialect) => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ dialect });
    for (const model of PAYLOADS) {
      const res = await request(`${t.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await res.body.text();
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
    }
    // Records are written after each response has gone out: wait (bounded) until all of them are readable.
    for (let attempt = 0; attempt < 200; attempt += 1) {
      await t.gateway.requestLog.settled();
      const page = await request(`${t.url}/api/billing/usage?limit=100`, { headers: { authorization: `Bearer ${t.apiKey}` } });
      const body = (await page.body.json()) as { data: unknown[] };
      if (body.data.length >= PAYLOADS.length) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error('the request records never appeared');
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['the user export', () => ({ path: '/api/billing/usage.csv', key: t.apiKey })],
    ["an admin's export of that user", () => ({ path: `/api/admin/billing/users/${t.userId}/usage.csv`, key: t.adminToken })],
    ["the admin's platform export", () => ({ path: '/api/admin/billing/usage.csv', key: t.adminToken })],
  ])('quotes every formula-like model name in %s', async (_name, target) => {
    const { path, key } = target();
    const [header, ...rows] = parseCsv(await getCsv(t, path, key));
    const modelColumn = header!.indexOf('model');
    const statusColumn = header!.indexOf('status');
    const models = rows.map((row) => row[modelColumn]);
    expect(models.sort()).toEqual(PAYLOADS.map((model) => `'${model}`).sort());
    for (const row of rows) {
      for (const field of row) expect(field).not.toMatch(/^[=+\-@\t\r]/);
      expect(row[statusColumn]).toMatch(/^\d{3}$/);
    }
  });
});
