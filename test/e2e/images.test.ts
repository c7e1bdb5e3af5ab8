import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { usdToNanos } from '../../src/billing/money.js';
import { createArkMock, type MockCall } from '../../src/mock-upstreams/index.js';
import type { ArkMockOptions } from '../../src/mock-upstreams/ark.js';
import { mockPngBase64 } from '../../src/mock-upstreams/mock-assets.js';
import { dialects } from '../support/databases.js';
import { createMediaTestSetup, startMediaGateway, type MediaTestGateway, type MediaTestSetup } from '../support/media-test-gateway.js';

const usd = usdToNanos;

describe.each(dialects)('POST /api/v1/images/generations on %s', (dialect) => {
  let setup: MediaTestSetup;
  let t: MediaTestGateway;
  let client: OpenAI;
  const arkOptions: ArkMockOptions = {};

  beforeAll(async () => {
    setup = await createMediaTestSetup(dialect, (tasks) => ({ bytedance: createArkMock(tasks, arkOptions) }));
    t = await startMediaGateway(setup);
    client = t.client();
  });
  afterAll(async () => {
    await t?.stop();
    await setup?.dispose();
  });

  const balance = () => t.gateway.billing.getBalance(t.owner.userId);
  const lastArkCall = (): MockCall => t.upstreams.callsFor('bytedance').at(-1)!;

  /** Starts the call only after reading the balance, so the rejection always has its handler (and the before is real). */
  async function expectUnchargedError(makeCall: () => Promise<unknown>, expected: Record<string, unknown>): Promise<void> {
    const before = await balance();
    const error = await makeCall().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject(expected);
    expect(await balance()).toEqual(before);
  }

  it('generates a batch of Seedream images and charges each one at the catalog price', async () => {
    const before = await balance();
    const result = await client.images.generate({ model: 'bytedance/doubao-seedream-4.0', prompt: 'Three lighthouses at dusk', n: 2, size: '1024x1024' });
    expect(result.data).toHaveLength(2);
    expect(result.data?.[0]?.url).toContain('/mock-assets/seedream-');
    expect(result.created).toBeGreaterThan(0);
    expect((result as unknown as { usage: unknown }).usage).toEqual({ images: 2, failed_images: 0, cost: 0.06 });
    expect(lastArkCall().body).toMatchObject({
      model: 'seedream-4-0-250828',
      prompt: 'Three lighthouses at dusk',
      size: '1024x1024',
      watermark: false,
      sequential_image_generation: 'auto',
      sequential_image_generation_options: { max_images: 2 },
    });
    expect(before.balanceNanos - (await balance()).balanceNanos).toBe(usd('0.06'));
    expect((await balance()).heldNanos).toBe(0n);
  });

  it('returns base64 images when asked and records the call with its cost', async () => {
    const raw = await client.images
      .generate({ model: 'bytedance/doubao-seedream-5.0', prompt: 'A red kite', response_format: 'b64_json' })
      .withResponse();
    expect(raw.data.data?.[0]?.b64_json).toBe(mockPngBase64);
    const generationId = raw.response.headers.get('x-tokenhub-generation-id');
    expect(raw.response.headers.get('x-tokenhub-cost-usd')).toBe('0.035');
    await t.gateway.requestLog.flush();
    const row = await t.gateway.store.db.selectFrom('request_logs').selectAll().where('id', '=', generationId!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ endpoint: 'images.generations', status: 200, cost_nanos: usd('0.035'), model: 'bytedance/doubao-seedream-5.0', user_id: t.owner.userId });
  });

  it('does not charge images the upstream failed inside a batch', async () => {
    arkOptions.failImages = [1];
    try {
      const before = await balance();
      const result = await client.images.generate({ model: 'bytedance/doubao-seedream-4.5', prompt: 'Four seasons', n: 3 });
      expect(result.data).toHaveLength(2);
      expect((result as unknown as { usage: unknown }).usage).toEqual({ images: 2, failed_images: 1, cost: 0.08 });
      expect(before.balanceNanos - (await balance()).balanceNanos).toBe(usd('0.08'));
    } finally {
      arkOptions.failImages = undefined;
    }
  });

  it('charges nothing when every image is refused by the content filter', async () => {
    arkOptions.failImages = [0];
    try {
      await expectUnchargedError(() => client.images.generate({ model: 'bytedance/doubao-seedream-4.0', prompt: 'Something forbidden' }), {
        status: 400,
        code: 'content_policy_violation',
      });
    } finally {
      arkOptions.failImages = undefined;
    }
  });

  it('charges nothing when the upstream fails', async () => {
    t.upstreams.enqueueFault('bytedance', { kind: 'error', status: 500, body: JSON.stringify({ error: { code: 'InternalServiceError', message: 'boom' } }) });
    await expectUnchargedError(() => client.images.generate({ model: 'bytedance/doubao-seedream-4.0', prompt: 'Unlucky' }), { status: 502, code: 'upstream_error' });
  });

  it('validates sizes, n and the model per catalog entry before calling the upstream', async () => {
    const calls = t.upstreams.callsFor('bytedance').length;
    await expectUnchargedError(() => client.images.generate({ model: 'bytedance/doubao-seedream-5.0', prompt: 'x', size: '1024x1024' }), {
      status: 400,
      param: 'size',
    });
    await expectUnchargedError(() => client.images.generate({ model: 'bytedance/doubao-seedream-4.0', prompt: 'x', n: 5 }), { status: 400, param: 'n' });
    await expectUnchargedError(() => client.images.generate({ model: 'kling/kling-v2.6', prompt: 'x' }), { status: 404, code: 'model_not_found', param: 'model' });
    await expectUnchargedError(() => client.images.generate({ model: 'bytedance/doubao-seedream-4.0', prompt: '' }), { status: 400, param: 'prompt' });
    expect(t.upstreams.callsFor('bytedance').length).toBe(calls);
  });

  it('keeps the ledger reconciled', async () => {
    expect((await t.gateway.billing.reconcile()).ok).toBe(true);
  });
});
