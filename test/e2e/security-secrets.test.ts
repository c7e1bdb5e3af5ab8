/**
 * Security end to end: no secret — upstream keys, `th-` keys, the admin token, passwords — appears in the
 * gateway's logs or in any error body, error bodies never name the upstream origin, and the store keeps only
 * ciphertext for channel keys and only hashes for API keys and passwords. The gateway logs at `trace` into
 * memory while every kind of upstream failure is provoked.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { request } from 'undici';
import { sql } from 'kysely';
import { hashApiKey } from '../../src/accounts/api-key-format.js';
import { providers } from '../../src/catalog/providers.js';
import { klingMockCredentials, type MockFault } from '../../src/mock-upstreams/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { chatModelPerProvider } from '../support/openai-assertions.js';

/** Provider → a chat model it serves. */
const chatModels: Record<string, string> = {
  ...chatModelPerProvider,
  anthropic: 'anthropic/claude-sonnet-4-6',
  google: 'google/gemini-2.5-flash',
};

const HARNESS_PASSWORD = 'correct horse battery';
const suffix = Math.random().toString(36).slice(2, 10);
/** Channels the admin adds over HTTP: moonshot answers, xiaomi points at a closed port. */
// Shaped like no known key format, so only redaction of the exact channel key can hide it.
const ADMIN_CHANNEL_KEY = `moonshot-${suffix}-secret`;
const ROTATED_CHANNEL_KEY = `sk-moonshot-rotated-${suffix}-fedcba9876543210`;
const UNREACHABLE_CHANNEL_KEY = `sk-xiaomi-admin-${suffix}-00112233445566`;
const ADMIN_KLING_ACCESS = `kling-access-${suffix}-a1b2c3d4`;
const ADMIN_KLING_SECRET = `kling-secret-${suffix}-e5f6a7b8c9d0`;
const REFUSED_CHANNEL_KEY = `sk-refused-${suffix}-99887766554433`;
const CHOSEN_PASSWORD = `Chosen-pw-${suffix}`;
const SHORT_PASSWORD = `S${suffix.slice(0, 5)}`;
/** Shaped like a real key, so it costs a hash and a lookup, but never issued. */
const LOOKALIKE_KEY = `th-${'Q'.repeat(20)}${suffix}${'Z'.repeat(20 - suffix.length)}`;

interface Captured {
  label: string;
  status: number;
  text: string;
}

interface Scenario {
  label: string;
  model: string;
  content: string;
  stream?: boolean;
  fault?: { provider: string; fault: MockFault };
  /** HTTP status; streams that fail after the 200 carry the code in their final error event. */
  status: number;
  code: string;
}

function createLogSink(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

/** Error bodies from upstreams that echo what they were sent, as some real providers do. */
function echoingFaults(origin: string): Scenario[] {
  const openaiKey = 'test-openai-key';
  return [
    {
      label: 'openai 400 echoing key, bearer header and URL',
      model: chatModels.openai!,
      content: 'Hi',
      fault: { provider: 'openai', fault: { kind: 'error', status: 400, body: JSON.stringify({ error: { message: `Bad request to ${origin}/openai/chat/completions with Authorization: Bearer ${openaiKey} (key ${openaiKey})`, type: 'invalid_request_error', param: null, code: null } }) } },
      status: 400,
      code: 'invalid_request',
    },
    {
      label: 'openai 401 echoing the key',
      model: chatModels.openai!,
      content: 'Hi',
      fault: { provider: 'openai', fault: { kind: 'error', status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${openaiKey}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }) } },
      status: 502,
      code: 'upstream_auth_failed',
    },
    {
      label: 'zhipu 400 echoing the key',
      model: chatModels.zhipu!,
      content: 'Hi',
      fault: { provider: 'zhipu', fault: { kind: 'error', status: 400, body: JSON.stringify({ error: { code: '1214', message: `Parameter error; key test-zhipu-key at ${origin}/zhipu` } }) } },
      status: 400,
      code: 'invalid_request',
    },
    {
      label: 'anthropic 400 echoing x-api-key and URL',
      model: chatModels.anthropic!,
      content: 'Hi',
      fault: { provider: 'anthropic', fault: { kind: 'error', status: 400, body: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: `x-api-key: test-anthropic-key rejected by ${origin}/anthropic/v1/messages; key test-anthropic-key` } }) } },
      status: 400,
      code: 'invalid_request',
    },
    {
      label: 'gemini 400 echoing the key in a URL and in prose',
      model: chatModels.google!,
      content: 'Hi',
      fault: { provider: 'google', fault: { kind: 'error', status: 400, body: JSON.stringify({ error: { code: 400, message: `API key test-google-key not valid for ${origin}/google/models?key=test-google-key`, status: 'INVALID_ARGUMENT' } }) } },
      status: 400,
      code: 'invalid_request',
    },
    {
      label: 'deepseek 500 HTML page naming key and origin',
      model: chatModels.deepseek!,
      content: 'Hi',
      fault: { provider: 'deepseek', fault: { kind: 'error', status: 500, contentType: 'text/html', body: `<html><body>upstream ${origin} failed for key test-deepseek-key</body></html>` } },
      status: 502,
      code: 'upstream_error',
    },
    {
      label: 'moonshot (admin channel) 400 echoing its key',
      model: chatModels.moonshot!,
      content: 'Hi',
      fault: { provider: 'moonshot', fault: { kind: 'error', status: 400, body: JSON.stringify({ error: { message: `Invalid Authentication: ${ADMIN_CHANNEL_KEY} at ${origin}/moonshot`, type: 'invalid_request_error' } }) } },
      status: 400,
      code: 'invalid_request',
    },
  ];
}

function promptedErrors(): Scenario[] {
  const compatible = ['openai', 'xai', 'deepseek', 'alibaba', 'zhipu', 'minimax', 'xiaomi', 'moonshot'].filter((p) => p !== 'xiaomi');
  const byStatus: Array<[number, number, string]> = [
    [400, 400, 'invalid_request'],
    [401, 502, 'upstream_auth_failed'],
    [429, 429, 'rate_limit_exceeded'],
    [500, 502, 'upstream_error'],
  ];
  const scenarios: Scenario[] = compatible.flatMap((provider) =>
    byStatus.map(([upstream, status, code]) => ({ label: `${provider} [[error:${upstream}]]`, model: chatModels[provider]!, content: `[[error:${upstream}]]`, status, code })),
  );
  return [
    ...scenarios,
    { label: 'anthropic [[overloaded]]', model: chatModels.anthropic!, content: '[[overloaded]]', status: 503, code: 'upstream_unavailable' },
    { label: 'anthropic [[overloaded]] mid-stream', model: chatModels.anthropic!, content: '[[overloaded]]', stream: true, status: 200, code: 'upstream_unavailable' },
    { label: 'gemini [[error:403]]', model: chatModels.google!, content: '[[error:403]]', status: 502, code: 'upstream_auth_failed' },
    { label: 'gemini [[stream_error]] mid-stream', model: chatModels.google!, content: '[[stream_error]]', stream: true, status: 200, code: 'upstream_unavailable' },
    { label: 'deepseek [[stream-error]] mid-stream', model: chatModels.deepseek!, content: '[[stream-error]]', stream: true, status: 200, code: 'upstream_error' },
    { label: 'openai socket broken mid-stream', model: chatModels.openai!, content: '[[long]]', stream: true, fault: { provider: 'openai', fault: { kind: 'break', afterFrames: 2 } }, status: 200, code: 'upstream_unavailable' },
    { label: 'xai first byte too late', model: chatModels.xai!, content: 'Hi', fault: { provider: 'xai', fault: { kind: 'slow-first-byte', ms: 30_000 } }, status: 504, code: 'upstream_timeout' },
    { label: 'xiaomi (admin channel) unreachable', model: chatModels.xiaomi!, content: 'Hi', status: 503, code: 'upstream_unavailable' },
  ];
}

/** The error code a response carries: the body's, or for a stream the final `data: {"error":…}` event's. */
function errorCodeOf(captured: Captured): string | undefined {
  const dataLines = captured.text.split('\n').filter((line) => line.startsWith('data: {'));
  for (const line of [captured.text, ...dataLines.map((l) => l.slice(6))].reverse()) {
    try {
      const parsed = JSON.parse(line) as { error?: { code?: string } };
      if (parsed.error?.code) return parsed.error.code;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // Not JSON (an SSE body as a whole): the data lines are tried instead.
    }
  }
  return undefined;
}

describe('security: no secret in logs, error bodies or the store', () => {
  let t: TestGateway;
  const log = createLogSink();
  const responses: Captured[] = [];
  const outcomes: Array<{ scenario: Scenario; captured: Captured }> = [];
  /** `th-` plaintexts handed out during the run. */
  const issuedKeys: string[] = [];
  let generatedPassword = '';

  async function send(label: string, method: 'GET' | 'POST' | 'PATCH', path: string, key: string | undefined, body?: unknown): Promise<Captured> {
    const headers: Record<string, string> = {};
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(`${t.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const captured = { label, status: res.statusCode, text: await res.body.text() };
    responses.push(captured);
    return captured;
  }

  const upstreamSecrets = () => [
    ...providers.filter((p) => p.credentials !== 'access-secret').map((p) => `test-${p.id}-key`),
    klingMockCredentials.accessKey,
    klingMockCredentials.secretKey,
    ADMIN_CHANNEL_KEY,
    ROTATED_CHANNEL_KEY,
    UNREACHABLE_CHANNEL_KEY,
    ADMIN_KLING_ACCESS,
    ADMIN_KLING_SECRET,
    REFUSED_CHANNEL_KEY,
  ];
  const allSecrets = () => [...upstreamSecrets(), ...issuedKeys, LOOKALIKE_KEY, t.adminToken, HARNESS_PASSWORD, CHOSEN_PASSWORD, SHORT_PASSWORD, generatedPassword];
  const leaksIn = (text: string, secrets: string[]) => secrets.filter((secret) => secret !== '' && text.includes(secret));

  async function setUpAdminObjects(): Promise<void> {
    const moonshot = await send('create moonshot channel', 'POST', '/api/admin/channels', t.adminToken, { provider: 'moonshot', name: 'moonshot admin', api_key: ADMIN_CHANNEL_KEY, base_url: t.upstreams.baseUrlFor('moonshot') });
    expect(moonshot.status).toBe(201);
    const moonshotId = (JSON.parse(moonshot.text) as { id: string }).id;
    // A rotation stores the new key; the moonshot calls below must still use the first one, so rotate a copy.
    const copy = await send('create moonshot copy', 'POST', '/api/admin/channels', t.adminToken, { provider: 'moonshot', name: 'moonshot copy', api_key: ADMIN_CHANNEL_KEY, base_url: t.upstreams.baseUrlFor('moonshot'), enabled: false });
    const rotated = await send('rotate channel key', 'PATCH', `/api/admin/channels/${(JSON.parse(copy.text) as { id: string }).id}`, t.adminToken, { api_key: ROTATED_CHANNEL_KEY });
    expect(rotated.status).toBe(200);
    const unreachable = await send('create xiaomi channel', 'POST', '/api/admin/channels', t.adminToken, { provider: 'xiaomi', name: 'xiaomi closed port', api_key: UNREACHABLE_CHANNEL_KEY, base_url: 'http://127.0.0.1:1/xiaomi' });
    expect(unreachable.status).toBe(201);
    const kling = await send('create kling channel', 'POST', '/api/admin/channels', t.adminToken, { provider: 'kling', name: 'kling admin', api_key: ADMIN_KLING_ACCESS, secret_key: ADMIN_KLING_SECRET, base_url: t.upstreams.baseUrlFor('kling') });
    expect(kling.status).toBe(201);
    const refused = await send('refused channel', 'POST', '/api/admin/channels', t.adminToken, { provider: 'no-such-provider', name: 'nope', api_key: REFUSED_CHANNEL_KEY });
    expect(refused.status).toBe(400);
    const misspelt = await send('misspelt channel field', 'POST', '/api/admin/channels', t.adminToken, { provider: 'openai', name: 'typo', apiKey: REFUSED_CHANNEL_KEY });
    expect(misspelt.status).toBe(400);
    const wrongType = await send('channel key of the wrong type', 'PATCH', `/api/admin/channels/${moonshotId}`, t.adminToken, { api_key: REFUSED_CHANNEL_KEY, weight: REFUSED_CHANNEL_KEY });
    expect(wrongType.status).toBe(400);

    const chosen = await send('create user with password', 'POST', '/api/admin/users', t.adminToken, { email: `chosen-${suffix}@example.com`, password: CHOSEN_PASSWORD });
    expect(chosen.status).toBe(201);
    const generated = await send('create user, generated password', 'POST', '/api/admin/users', t.adminToken, { email: `generated-${suffix}@example.com` });
    generatedPassword = (JSON.parse(generated.text) as { password: string }).password;
    const short = await send('refused password', 'POST', '/api/admin/users', t.adminToken, { email: `short-${suffix}@example.com`, password: SHORT_PASSWORD });
    expect(short.status).toBe(400);
    const misspeltPassword = await send('misspelt password field', 'POST', '/api/admin/users', t.adminToken, { email: `typo-${suffix}@example.com`, pasword: SHORT_PASSWORD });
    expect(misspeltPassword.status).toBe(400);
    const key = await send('create key', 'POST', `/api/admin/users/${t.userId}/keys`, t.adminToken, { name: 'issued over HTTP' });
    issuedKeys.push((JSON.parse(key.text) as { key: string }).key);
  }

  async function runScenario(scenario: Scenario): Promise<void> {
    if (scenario.fault) t.upstreams.enqueueFault(scenario.fault.provider, scenario.fault.fault);
    const body = { model: scenario.model, messages: [{ role: 'user', content: scenario.content }], ...(scenario.stream ? { stream: true } : {}) };
    const captured = await send(scenario.label, 'POST', '/api/v1/chat/completions', t.apiKey, body);
    outcomes.push({ scenario, captured });
    t.upstreams.releaseStalls();
  }

  async function probeAuthFailures(): Promise<void> {
    await send('unknown th- key', 'GET', '/api/billing/balance', LOOKALIKE_KEY);
    await send('wrong admin token', 'GET', '/api/admin/users', `${t.adminToken}-wrong`);
    await send('user key on admin route', 'GET', '/api/admin/channels', t.apiKey);
  }

  beforeAll(async () => {
    t = await startTestGateway({
      logger: pino({ level: 'trace' }, log.stream),
      providers: providers.map((p) => p.id).filter((id) => id !== 'moonshot' && id !== 'xiaomi'),
      config: { timeouts: { connectMs: 2000, firstByteMs: 300, idleMs: 300 } },
    });
    issuedKeys.push(t.apiKey, t.adminKey);
    await setUpAdminObjects();
    for (const scenario of [...promptedErrors(), ...echoingFaults(t.upstreams.origin)]) await runScenario(scenario);
    await probeAuthFailures();
    await t.gateway.requestLog.settled();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('provokes every kind of upstream failure it means to', () => {
    const got = outcomes.map(({ scenario, captured }) => `${scenario.label}: ${captured.status} ${errorCodeOf(captured)}`);
    const wanted = outcomes.map(({ scenario }) => `${scenario.label}: ${scenario.status} ${scenario.code}`);
    expect(got).toEqual(wanted);
  });

  it('keeps every secret out of every error body', () => {
    const failures = responses.filter((r) => r.status >= 400 || errorCodeOf(r) !== undefined);
    expect(failures.length).toBeGreaterThan(40);
    const leaks = failures.map((r) => ({ label: r.label, leaked: leaksIn(r.text, allSecrets()) })).filter((r) => r.leaked.length > 0);
    expect(leaks).toEqual([]);
  });

  it('never names the upstream origin or any upstream host in an error body', () => {
    const failures = responses.filter((r) => r.status >= 400 || errorCodeOf(r) !== undefined);
    const named = failures.filter((r) => r.text.includes(t.upstreams.origin) || r.text.includes('127.0.0.1')).map((r) => r.label);
    expect(named).toEqual([]);
  });

  it('keeps upstream keys out of every response, successful ones included', () => {
    const leaks = responses.map((r) => ({ label: r.label, leaked: leaksIn(r.text, upstreamSecrets()) })).filter((r) => r.leaked.length > 0);
    expect(leaks).toEqual([]);
  });

  it('writes no secret to the log, at trace level', () => {
    const text = log.lines.join('');
    expect(text).toContain('upstream attempt failed');
    expect(leaksIn(text, allSecrets())).toEqual([]);
    expect(text).not.toMatch(/Bearer\s+(th-|sk-|test-)/);
  });

  it('shows channel keys to admins only as hints', async () => {
    const list = await send('list channels', 'GET', '/api/admin/channels', t.adminToken);
    expect(list.status).toBe(200);
    const channels = (JSON.parse(list.text) as { data: Array<{ name: string; api_key_hint: string; secret_key_hint: string | null }> }).data;
    expect(channels.map((c) => c.name)).toEqual(expect.arrayContaining(['moonshot admin', 'kling admin']));
    expect(leaksIn(list.text, upstreamSecrets())).toEqual([]);
    const kling = channels.find((c) => c.name === 'kling admin');
    expect(kling?.secret_key_hint).toEqual(expect.any(String));
    expect(kling?.api_key_hint.length).toBeLessThan(ADMIN_KLING_ACCESS.length / 2);
  });

  it('stores channel keys only as ciphertext', async () => {
    const rows = await t.gateway.store.db.selectFrom('channels').select(['name', 'api_key_enc', 'secret_enc']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(providers.length);
    const leaks = rows.map((row) => ({ name: row.name, leaked: leaksIn(`${row.api_key_enc} ${row.secret_enc ?? ''}`, upstreamSecrets()) })).filter((r) => r.leaked.length > 0);
    expect(leaks).toEqual([]);
  });

  it('stores API keys only as their SHA-256 hash', async () => {
    const rows = await t.gateway.store.db.selectFrom('api_keys').selectAll().execute();
    expect(issuedKeys).toHaveLength(3);
    for (const plaintext of issuedKeys) {
      const row = rows.find((r) => r.key_hash === hashApiKey(plaintext));
      expect(row?.key_hash).toMatch(/^[0-9a-f]{64}$/);
      const [head, tail] = row!.prefix.split('…');
      expect(plaintext.startsWith(head!) && plaintext.endsWith(tail!)).toBe(true);
      expect(row!.prefix.length).toBeLessThan(plaintext.length / 2);
    }
    expect(leaksIn(JSON.stringify(rows), [...issuedKeys, LOOKALIKE_KEY])).toEqual([]);
  });

  it('stores no plaintext secret in any table', async () => {
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(t.gateway.store.db);
    expect(tables.rows.map((r) => r.name)).toEqual(expect.arrayContaining(['users', 'api_keys', 'channels', 'request_logs', 'ledger_entries']));
    const leaks: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(t.gateway.store.db);
      const dump = JSON.stringify(rows.rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
      for (const secret of leaksIn(dump, allSecrets())) leaks.push(`${name}: ${secret.slice(0, 6)}…`);
    }
    expect(leaks).toEqual([]);
  });
});
