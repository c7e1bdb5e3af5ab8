import { describe, expect, it } from 'vitest';
import { readCatalogFile } from '../../../src/catalog/catalog-file.js';
import { findCatalogProblems } from '../../../src/catalog/catalog-invariants.js';
import { getProvider } from '../../../src/catalog/providers.js';
import type { CatalogModel } from '../../../src/catalog/schema.js';

const models = readCatalogFile();
const byId = new Map(models.map((m) => [m.id, m]));

/** USD decimal string → integer nano-dollars, refusing anything that is not an exact decimal. */
function usdToNanos(usd: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(usd);
  if (!match) throw new Error(`not a USD amount: ${usd}`);
  return BigInt(match[1]!) * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** The product lines the catalog promises, told apart by id prefix and upstream model name. */
function productLine(model: CatalogModel): string {
  const vendor = model.id.split('/')[0]!;
  if (vendor === 'qwen') return model.upstreamModel.startsWith('qwen3') ? 'qwen3' : 'qwen';
  if (vendor === 'bytedance') return model.modality === 'video' ? 'seedance' : 'seedream';
  return vendor;
}

describe('catalog data file', () => {
  it('holds models that all pass every invariant', () => {
    expect(models.length).toBeGreaterThan(0);
    expect(findCatalogProblems(models)).toEqual([]);
  });

  it('has the promised number of models per vendor and product line', () => {
    const counts: Record<string, number> = {};
    for (const model of models) counts[productLine(model)] = (counts[productLine(model)] ?? 0) + 1;
    expect(counts).toEqual({
      openai: 6,
      anthropic: 6,
      google: 5,
      'x-ai': 3,
      qwen: 3,
      qwen3: 3,
      'z-ai': 3,
      minimax: 2,
      xiaomi: 2,
      moonshotai: 3,
      deepseek: 6,
      seedance: 2,
      seedream: 3,
      kling: 2,
      alibaba: 2,
    });
  });

  it.each([
    'openai/gpt-4.1',
    'openai/gpt-5.4',
    'anthropic/claude-sonnet-4-6',
    'google/gemini-2.5-pro',
    'bytedance/doubao-seedance-2.0',
    'bytedance/doubao-seedream-5.0',
    'deepseek/deepseek-chat',
    'deepseek/deepseek-reasoner',
  ])('contains %s', (id) => {
    expect(byId.get(id)?.id).toBe(id);
  });

  it('maps each vendor to its provider and wire family', () => {
    const expected: Record<string, [string, string]> = {
      openai: ['openai', 'openai-compatible'],
      anthropic: ['anthropic', 'anthropic'],
      google: ['google', 'gemini'],
      'x-ai': ['xai', 'openai-compatible'],
      qwen: ['alibaba', 'openai-compatible'],
      qwen3: ['alibaba', 'openai-compatible'],
      'z-ai': ['zhipu', 'openai-compatible'],
      minimax: ['minimax', 'openai-compatible'],
      xiaomi: ['xiaomi', 'openai-compatible'],
      moonshotai: ['moonshot', 'openai-compatible'],
      deepseek: ['deepseek', 'openai-compatible'],
      seedance: ['bytedance', 'ark-video'],
      seedream: ['bytedance', 'ark-image'],
      kling: ['kling', 'kling-video'],
      alibaba: ['alibaba', 'dashscope-video'],
    };
    for (const model of models) {
      expect([model.id, model.provider, model.family]).toEqual([model.id, ...expected[productLine(model)]!]);
      expect(getProvider(model.provider)?.id).toBe(model.provider);
    }
  });

  it('prices every model with exact, positive USD amounts', () => {
    for (const model of models) {
      const p = model.pricing;
      if (p.kind === 'tokens') {
        const input = usdToNanos(p.inputPerMTok);
        expect(input, model.id).toBeGreaterThan(0n);
        expect(usdToNanos(p.outputPerMTok), model.id).toBeGreaterThan(0n);
        if (p.cachedInputPerMTok !== undefined) expect(usdToNanos(p.cachedInputPerMTok), model.id).toBeLessThan(input);
        if (p.cacheWritePerMTok !== undefined) expect(usdToNanos(p.cacheWritePerMTok), model.id).toBeGreaterThan(input);
      } else if (p.kind === 'image') {
        expect(usdToNanos(p.perImage), model.id).toBeGreaterThan(0n);
      } else {
        for (const rule of p.perSecond) expect(usdToNanos(rule.usd), model.id).toBeGreaterThan(0n);
      }
    }
  });

  it('gives Anthropic models a cache-write price and a default max_tokens', () => {
    for (const model of models.filter((m) => m.family === 'anthropic')) {
      expect(model.pricing.kind === 'tokens' && model.pricing.cacheWritePerMTok, model.id).toBeTruthy();
      expect(model.defaultMaxTokens, model.id).toBeGreaterThan(0);
    }
  });

  it('keeps reference prices for well-known models', () => {
    expect(byId.get('openai/gpt-4.1')?.pricing).toEqual({
      kind: 'tokens',
      inputPerMTok: '2.00',
      cachedInputPerMTok: '0.50',
      outputPerMTok: '8.00',
    });
    expect(byId.get('anthropic/claude-sonnet-4-6')?.pricing).toMatchObject({ inputPerMTok: '3.00', cacheWritePerMTok: '3.75' });
    expect(byId.get('kling/kling-v2.6')?.pricing).toEqual({
      kind: 'video',
      perSecond: [
        { mode: 'std', usd: '0.168' },
        { mode: 'pro', usd: '0.224' },
      ],
    });
  });

  it('describes Seedream sizes in both preset and WxH forms', () => {
    const seedreams = models.filter((m) => m.family === 'ark-image');
    const allSizes = new Set(seedreams.flatMap((m) => m.image?.sizes ?? []));
    for (const preset of ['1K', '2K', '4K']) expect(allSizes.has(preset)).toBe(true);
    for (const model of seedreams) {
      expect(model.image?.sizes.some((s) => /^\d+x\d+$/.test(s)), model.id).toBe(true);
      expect(model.image?.maxN, model.id).toBeGreaterThan(1);
      const perImage = model.pricing.kind === 'image' ? usdToNanos(model.pricing.perImage) : 0n;
      expect(perImage >= 30_000_000n && perImage <= 40_000_000n, model.id).toBe(true);
    }
  });

  it('prices Seedance by resolution and Kling by mode, with matching video options', () => {
    for (const model of models.filter((m) => m.family === 'ark-video')) {
      expect(model.video?.resolutions).toEqual(['480p', '720p', '1080p']);
      expect(model.video?.roles).toContain('first_frame');
    }
    for (const model of models.filter((m) => m.family === 'kling-video')) {
      expect(model.video?.modes).toEqual(['std', 'pro']);
      expect(model.video?.defaultMode).toBe('std');
    }
    expect(byId.get('bytedance/doubao-seedance-2.0')?.video).toMatchObject({ audio: true, defaultResolution: '720p' });
  });

  it('names real upstream models and release dates', () => {
    expect(byId.get('anthropic/claude-sonnet-4-6')?.upstreamModel).toBe('claude-sonnet-4-6');
    expect(byId.get('deepseek/deepseek-chat')?.upstreamModel).toBe('deepseek-chat');
    expect(byId.get('qwen/qwen-plus')?.upstreamModel).toBe('qwen-plus');
    expect(byId.get('z-ai/glm-4.6')?.upstreamModel).toBe('glm-4.6');
    expect(byId.get('minimax/minimax-m2')?.upstreamModel).toBe('MiniMax-M2');
    expect(byId.get('moonshotai/kimi-k2-0905')?.upstreamModel).toBe('kimi-k2-0905-preview');
    expect(byId.get('xiaomi/mimo-v2-flash')?.upstreamModel).toBe('mimo-v2-flash');
    expect(byId.get('kling/kling-v2.1')?.upstreamModel).toBe('kling-v2-1');
    for (const model of models) {
      expect(model.created, model.id).toBeGreaterThan(Date.UTC(2024, 0, 1) / 1000);
      expect(model.description.length, model.id).toBeGreaterThan(20);
    }
  });
});
