/**
 * A non-stream reply that stalls after its headers and part of its body is a timeout, as the README's error
 * table says (504 `upstream_timeout`: connect, first-byte or between-chunk), not an unreadable body (502);
 * and the call costs nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

describe.each(dialects)('a non-stream reply that stalls mid-body on %s', (dialect) => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({
      dialect,
      providers: ['deepseek', 'anthropic'],
      config: { timeouts: { connectMs: 2000, firstByteMs: 2000, idleMs: 300 } },
    });
  });
  afterAll(async () => {
    t.upstreams.releaseStalls();
    await t?.close();
  });

  it.each([
    ['deepseek', 'deepseek/deepseek-chat'],
    ['anthropic', 'anthropic/claude-haiku-4-5'],
  ])('answers 504 upstream_timeout for %s and releases the hold', async (provider, model) => {
    const before = await t.gateway.billing.getBalance(t.userId);
    t.upstreams.enqueueFault(provider, { kind: 'stall-mid-body' });
    const res = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      // Far above the 300 ms idle timeout: only bounds the wait if the gateway never answers.
      headersTimeout: 10_000,
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    const body = (await res.body.json()) as { error?: { code?: string; type?: string } };
    expect({ status: res.statusCode, code: body.error?.code }).toEqual({ status: 504, code: 'upstream_timeout' });
    const after = await t.gateway.billing.getBalance(t.userId);
    expect(after).toMatchObject({ balanceNanos: before.balanceNanos, heldNanos: 0n });
  });
});
