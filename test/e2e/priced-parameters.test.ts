/**
 * Upstream features that cost more than plain tokens: every parameter and `anthropic-beta` value sent upstream
 * is on a per-provider allowlist, and each one that costs extra is either priced from the catalog (service
 * tiers, web search, 1-hour cache writes, long-context tiers) or refused with 400 `unsupported_parameter`.
 * Expected costs are worked out here from the rates, independently of billing/price.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { usdToNanos } from '../../src/billing/money.js';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number };
}

/** Σ tokens × USD per 1M tokens (+ fixed nanos), rounded once half up to whole nanos. */
function expectedNanos(parts: Array<[tokens: number, usdPerMTok: string]>, extraNanos = 0n): bigint {
  const numerator = parts.reduce((sum, [tokens, usd]) => sum + BigInt(tokens) * usdToNanos(usd), 0n) + extraNanos * 1_000_000n;
  return (2n * numerator + 1_000_000n) / 2_000_000n;
}

describe.each(dialects)('priced and refused upstream parameters (%s)', (dialect) => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ dialect, providers: ['openai', 'xai', 'alibaba', 'anthropic', 'google'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function newFundedUser() {
    const user = await t.gateway.users.create({ email: `p-${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough password' });
    const { plaintext } = await t.gateway.apiKeys.create(user.id, { name: 'k' });
    const granted = await t.gateway.billing.grant({ userId: user.id, amountNanos: usdToNanos('5'), reason: 'test', actor: 'test' });
    expect(granted.ok).toBe(true);
    return { userId: user.id, key: plaintext };
  }

  async function chat(key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    const res = await request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
  }

  async function patchModel(id: string, patch: unknown) {
    const res = await request(`${t.url}/api/admin/models/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(patch),
    });
    const body = await res.body.text();
    expect(res.statusCode, body).toBe(200);
  }

  const balanceOf = async (userId: string) => t.gateway.billing.getBalance(userId);
  const hi = [{ role: 'user', content: 'Hello there' }];

  it.each([
    ['openai/gpt-5.4-mini', 'x_unlisted_feature', { enabled: true }],
    ['openai/gpt-5.4-mini', 'web_search_options', {}],
    ['openai/gpt-5.4-mini', 'service_tier', 'priority'],
    ['openai/gpt-5.4-mini', 'service_tier', 'flex'],
    ['openai/gpt-5.4-mini', 'audio', { voice: 'alloy', format: 'wav' }],
    ['x-ai/grok-4', 'search_parameters', { mode: 'on' }],
    ['x-ai/grok-4', 'service_tier', 'priority'],
    ['qwen/qwen-plus', 'enable_search', true],
    ['qwen/qwen-plus', 'search_options', { forced_search: true }],
  ])('%s: refuses %s, which the catalog does not price, with 400 naming it and no charge', async (model, param, value) => {
    const payer = await newFundedUser();
    const res = await chat(payer.key, { model, messages: hi, [param]: value });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'unsupported_parameter', param });
    expect(await balanceOf(payer.userId)).toMatchObject({ balanceNanos: usdToNanos('5'), heldNanos: 0n });
  });

  it('still passes the standard tier and free OpenAI extras', async () => {
    const payer = await newFundedUser();
    const res = await chat(payer.key, { model: 'openai/gpt-5.4-mini', messages: hi, service_tier: 'default', store: false, prompt_cache_key: 'k1' });
    expect(res.status).toBe(200);
  });

  it('charges a priority-tier call at the priority rates the catalog gives', async () => {
    await patchModel('openai/gpt-5.4-nano', { pricing: { serviceTiers: { priority: { inputPerMTok: '0.40', cachedInputPerMTok: '0.04', outputPerMTok: '2.50' } } } });
    const payer = await newFundedUser();
    const res = await chat(payer.key, { model: 'openai/gpt-5.4-nano', messages: hi, service_tier: 'priority' });
    expect(res.status).toBe(200);
    const usage = res.body.usage as ChatUsage;
    const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
    const cost = expectedNanos([
      [usage.prompt_tokens - cached, '0.40'],
      [cached, '0.04'],
      [usage.completion_tokens, '2.50'],
    ]);
    expect(await balanceOf(payer.userId)).toMatchObject({ balanceNanos: usdToNanos('5') - cost, heldNanos: 0n });
  });

  it('charges a web search call at the catalog price per 1,000 calls, on top of the tokens', async () => {
    await patchModel('openai/gpt-4.1-mini', { pricing: { webSearchPerKCalls: '25' } });
    const payer = await newFundedUser();
    const res = await chat(payer.key, { model: 'openai/gpt-4.1-mini', messages: hi, web_search_options: {} });
    expect(res.status).toBe(200);
    const usage = res.body.usage as ChatUsage;
    const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
    const cost = expectedNanos(
      [
        [usage.prompt_tokens - cached, '0.40'],
        [cached, '0.10'],
        [usage.completion_tokens, '1.60'],
      ],
      usdToNanos('0.025'),
    );
    expect(await balanceOf(payer.userId)).toMatchObject({ balanceNanos: usdToNanos('5') - cost, heldNanos: 0n });
  });

  it('charges a prompt above a long-context threshold at the tier rates for the whole request', async () => {
    await patchModel('google/gemini-2.5-flash-lite', {
      pricing: { longContext: [{ aboveInputTokens: 3, inputPerMTok: '0.20', cachedInputPerMTok: '0.02', outputPerMTok: '0.80' }] },
    });
    const payer = await newFundedUser();
    const res = await chat(payer.key, { model: 'google/gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'A prompt of several words, long enough' }] });
    expect(res.status).toBe(200);
    const usage = res.body.usage as ChatUsage;
    expect(usage.prompt_tokens).toBeGreaterThan(3);
    const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
    const cost = expectedNanos([
      [usage.prompt_tokens - cached, '0.20'],
      [cached, '0.02'],
      [usage.completion_tokens, '0.80'],
    ]);
    expect(await balanceOf(payer.userId)).toMatchObject({ balanceNanos: usdToNanos('5') - cost, heldNanos: 0n });
  });

  describe('Anthropic', () => {
    const longSystem = `You are a careful assistant. ${'Keep answers short and precise. '.repeat(60)}`;
    const cachedPrompt = (ttl?: '1h') => ({
      model: 'anthropic/claude-haiku-4-5',
      max_tokens: 50,
      messages: [
        { role: 'system', content: [{ type: 'text', text: longSystem, cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' } }] },
        { role: 'user', content: `Hello ${Math.random()}` },
      ],
    });

    it('charges 1-hour cache writes at twice the input price, 5-minute writes at 1.25 times', async () => {
      for (const [ttl, writeUsd] of [['1h', '2.00'], [undefined, '1.25']] as const) {
        const payer = await newFundedUser();
        const body = cachedPrompt(ttl);
        body.messages[0]!.content = [{ ...(body.messages[0]!.content as any[])[0], text: `${longSystem} ${ttl ?? '5m'} ${dialect} ${Math.random()}` }];
        const res = await chat(payer.key, body);
        expect(res.status).toBe(200);
        const usage = res.body.usage as ChatUsage;
        const written = usage.prompt_tokens_details?.cache_write_tokens ?? 0;
        const read = usage.prompt_tokens_details?.cached_tokens ?? 0;
        expect(written).toBeGreaterThan(0);
        const cost = expectedNanos([
          [usage.prompt_tokens - written - read, '1.00'],
          [read, '0.10'],
          [written, writeUsd],
          [usage.completion_tokens, '5.00'],
        ]);
        expect(await balanceOf(payer.userId)).toMatchObject({ balanceNanos: usdToNanos('5') - cost, heldNanos: 0n });
      }
    });

    it('refuses a 1-hour cache breakpoint on a model the catalog gives no 1-hour price', async () => {
      await patchModel('anthropic/claude-sonnet-4', { pricing: { cacheWrite1hPerMTok: null } });
      const payer = await newFundedUser();
      const res = await chat(payer.key, { ...cachedPrompt('1h'), model: 'anthropic/claude-sonnet-4' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'unsupported_parameter', param: 'messages[0].content[0].cache_control' });
    });

    it('refuses an anthropic-beta value outside the allowlist, naming the header', async () => {
      const payer = await newFundedUser();
      const res = await chat(payer.key, { model: 'anthropic/claude-haiku-4-5', messages: hi }, { 'anthropic-beta': 'interleaved-thinking-2025-05-14,priority-lane-2099-01-01' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'unsupported_parameter', param: 'anthropic-beta' });
      expect(res.body.error.message).toContain('priority-lane-2099-01-01');
      expect(await balanceOf(payer.userId)).toMatchObject({ balanceNanos: usdToNanos('5'), heldNanos: 0n });
    });

    it('refuses the 1M-context beta on a model without long-context prices and passes it where they exist', async () => {
      const payer = await newFundedUser();
      const beta = { 'anthropic-beta': 'context-1m-2025-08-07' };
      const refused = await chat(payer.key, { model: 'anthropic/claude-haiku-4-5', messages: hi }, beta);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'unsupported_parameter', param: 'anthropic-beta' });
      const passed = await chat(payer.key, { model: 'anthropic/claude-sonnet-4-6', messages: hi }, beta);
      expect(passed.status).toBe(200);
    });

    it('passes the free betas Claude Code sends', async () => {
      const payer = await newFundedUser();
      const res = await chat(
        payer.key,
        { model: 'anthropic/claude-haiku-4-5', messages: hi },
        { 'anthropic-beta': 'claude-code-20250219, interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14' },
      );
      expect(res.status).toBe(200);
    });
  });
});
