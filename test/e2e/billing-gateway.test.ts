/**
 * Money through the real gateway, with the official `openai` SDK against the mock upstreams, on SQLite and
 * PostgreSQL: every call moves the balance by exactly its priced cost, failures cost nothing, an aborted
 * stream pays for what it delivered, and concurrent requests can never spend credit the account lacks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { request } from 'undici';
import { nanosToUsdNumber, usdToNanos } from '../../src/billing/money.js';
import { dialects } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const model = 'deepseek/deepseek-chat';

describe.each(dialects)('billing through the gateway on %s', (dialect) => {
  let t: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    t = await startTestGateway({ dialect, providers: ['deepseek', 'openai'] });
    client = t.client();
  });
  afterAll(async () => {
    await t?.close();
  });

  const balanceOf = async (userId = t.userId) => (await t.gateway.billing.getBalance(userId)).balanceNanos;
  const priced = async (usage: OpenAI.CompletionUsage) => {
    const catalogModel = t.gateway.catalog.get(model)!;
    const quote = await t.gateway.billing.quoteUsage({
      groupId: 'default',
      model: catalogModel,
      usage: {
        kind: 'tokens',
        usage: {
          inputTokens: usage.prompt_tokens,
          cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
          cacheWriteTokens: 0,
          outputTokens: usage.completion_tokens,
          reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
        },
      },
    });
    return quote.costNanos;
  };
  const expectReconciled = async () => {
    const report = await t.gateway.billing.reconcile();
    expect(report.ok).toBe(true);
  };

  async function newFundedUser(usd: string) {
    const user = await t.gateway.users.create({ email: `b-${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough password' });
    const { plaintext } = await t.gateway.apiKeys.create(user.id, { name: 'k' });
    if (usdToNanos(usd) > 0n) {
      const granted = await t.gateway.billing.grant({ userId: user.id, amountNanos: usdToNanos(usd), reason: 'test', actor: 'test' });
      expect(granted.ok).toBe(true);
    }
    return { userId: user.id, client: t.client(plaintext), key: plaintext };
  }

  it('charges a non-stream call exactly its priced cost and shows it in usage.cost and a header', async () => {
    const before = await balanceOf();
    const { data: completion, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'Price me [[cache-hit]]' }] })
      .withResponse();
    const cost = await priced(completion.usage!);
    expect(cost).toBeGreaterThan(0n);
    expect(before - (await balanceOf())).toBe(cost);
    const usage = completion.usage as OpenAI.CompletionUsage & { cost?: number };
    expect(usage.cost).toBe(nanosToUsdNumber(cost));
    expect(usage.prompt_tokens_details?.cached_tokens).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-tokenhub-cost-usd'))).toBe(nanosToUsdNumber(cost));
    expect((await t.gateway.billing.getBalance(t.userId)).heldNanos).toBe(0n);
  });

  it('charges a stream its priced cost and puts the cost in the final usage chunk', async () => {
    const before = await balanceOf();
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Stream me' }], stream: true, stream_options: { include_usage: true } });
    let last: OpenAI.Chat.Completions.ChatCompletionChunk | undefined;
    for await (const chunk of stream) last = chunk;
    const usage = last!.usage as OpenAI.CompletionUsage & { cost?: number };
    const cost = await priced(usage);
    expect(usage.cost).toBe(nanosToUsdNumber(cost));
    expect(before - (await balanceOf())).toBe(cost);
  });

  it('charges nothing when the upstream fails', async () => {
    const before = await balanceOf();
    await expect(client.chat.completions.create({ model, messages: [{ role: 'user', content: '[[error:500]]' }] })).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(await balanceOf()).toBe(before);
    expect((await t.gateway.billing.getBalance(t.userId)).heldNanos).toBe(0n);
    await expectReconciled();
  });

  it('refuses with 402 insufficient_quota when the balance cannot cover the worst case, leaving nothing behind', async () => {
    const poor = await newFundedUser('0');
    const callsBefore = t.upstreams.callsFor('deepseek').length;
    const error = await poor.client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }).then(
      () => undefined,
      (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
    );
    expect({ status: error?.status, code: error?.code }).toEqual({ status: 402, code: 'insufficient_quota' });
    expect(t.upstreams.callsFor('deepseek').length).toBe(callsBefore);
    expect(await t.gateway.billing.getBalance(poor.userId)).toMatchObject({ balanceNanos: 0n, heldNanos: 0n });
  });

  it('charges a stream the client cut for the delivered part only, flagged estimated', async () => {
    const payer = await newFundedUser('5');
    t.upstreams.enqueueFault('openai', { kind: 'stall', afterFrames: 3 });
    const controller = new AbortController();
    const stream = await payer.client.chat.completions.create(
      { model: 'openai/gpt-4.1', messages: [{ role: 'user', content: '[[long]]' }], stream: true, max_tokens: 4000 },
      { signal: controller.signal },
    );
    const upstreamAborted = t.upstreams.waitForAbort();
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    const id = (first.value as OpenAI.Chat.Completions.ChatCompletionChunk).id;
    controller.abort();
    await upstreamAborted;

    // The charge is settled after the abort, then the record is queued: wait for the record, not for time.
    let record: { cost: number | null; estimated: boolean; status: number } | undefined;
    while (!record) {
      await t.gateway.requestLog.settled();
      const res = await request(`${t.baseURL}/generation?id=${id}`, { headers: { authorization: `Bearer ${payer.key}` } });
      if (res.statusCode === 200) record = ((await res.body.json()) as { data: typeof record }).data;
      else await res.body.dump();
    }
    expect(record.estimated).toBe(true);
    expect(record.cost).toBeGreaterThan(0);
    const charged = usdToNanos('5') - (await balanceOf(payer.userId));
    expect(nanosToUsdNumber(charged)).toBe(record.cost);
    // Far below the worst case the hold covered (4000 output tokens).
    const worstCase = await t.gateway.billing.quoteChatHold({
      groupId: 'default',
      model: t.gateway.catalog.get('openai/gpt-4.1')!,
      request: { model: 'openai/gpt-4.1', messages: [{ role: 'user', content: '[[long]]' }], max_tokens: 4000 },
    });
    expect(charged).toBeLessThan(worstCase / 4n);
    expect((await t.gateway.billing.getBalance(payer.userId)).heldNanos).toBe(0n);
  });

  it('shows a generation record to its owner only', async () => {
    const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Record me' }] });
    const own = await request(`${t.baseURL}/generation?id=${completion.id}`, { headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(own.statusCode).toBe(200);
    const body = (await own.body.json()) as { data: Record<string, unknown> };
    expect(body.data).toMatchObject({ model, provider: 'deepseek', estimated: false, cost: (completion.usage as { cost?: number }).cost });
    const other = await newFundedUser('0');
    const foreign = await request(`${t.baseURL}/generation?id=${completion.id}`, { headers: { authorization: `Bearer ${other.key}` } });
    expect(foreign.statusCode).toBe(404);
    await foreign.body.dump();
  });

  it('lets exactly 49 of 50 concurrent requests through when the balance covers 49', async () => {
    const chatRequest = { model, messages: [{ role: 'user' as const, content: 'Concurrent' }], max_tokens: 1000 };
    const hold = await t.gateway.billing.quoteChatHold({ groupId: 'default', model: t.gateway.catalog.get(model)!, request: chatRequest });
    const racer = await newFundedUser('0');
    const granted = await t.gateway.billing.grant({ userId: racer.userId, amountNanos: hold * 49n + hold / 2n, reason: 'race', actor: 'test' });
    expect(granted.ok).toBe(true);

    // Every admitted request waits at the upstream, so all 50 holds overlap.
    const callsBefore = t.upstreams.callsFor('deepseek').length;
    for (let i = 0; i < 50; i++) t.upstreams.enqueueFault('deepseek', { kind: 'slow-first-byte', ms: 60_000 });
    const outcomes = Array.from({ length: 50 }, () =>
      racer.client.chat.completions.create(chatRequest).then(
        () => 'ok' as const,
        (e: unknown) => ((e as InstanceType<typeof OpenAI.APIError>).code ?? 'error') as string,
      ),
    );
    // A refusal can only happen once 49 holds are open, since none is released while the upstream waits;
    // then let the 49 admitted requests reach the upstream before it answers them all.
    await Promise.race(outcomes);
    while (t.upstreams.callsFor('deepseek').length < callsBefore + 49) await new Promise((resolve) => setImmediate(resolve));
    t.upstreams.releaseStalls();
    const results = await Promise.all(outcomes);
    t.upstreams.reset();
    expect(results.filter((r) => r === 'insufficient_quota')).toHaveLength(1);
    expect(results.filter((r) => r === 'ok')).toHaveLength(49);
    const balance = await t.gateway.billing.getBalance(racer.userId);
    expect(balance.balanceNanos).toBeGreaterThanOrEqual(0n);
    expect(balance.heldNanos).toBe(0n);
    await expectReconciled();
  });
});
