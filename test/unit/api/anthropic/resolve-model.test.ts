import { describe, expect, it } from 'vitest';
import { resolveAnthropicModelId } from '../../../../src/api/anthropic/resolve-model.js';
import type { CatalogModel } from '../../../../src/catalog/schema.js';

function model(id: string, upstreamModel: string, enabled = true): CatalogModel {
  return { id, provider: id.split('/')[0]!, upstreamModel, enabled } as CatalogModel;
}

const models = [
  model('anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5'),
  model('anthropic/claude-sonnet-4', 'claude-sonnet-4-20250514'),
  model('anthropic/claude-opus-4-1', 'claude-opus-4-1', false),
  model('deepseek/deepseek-chat', 'deepseek-chat'),
];
const catalog = { get: (id: string) => models.find((m) => m.id === id), list: () => models };

describe('resolveAnthropicModelId', () => {
  it.each([
    ['anthropic/claude-sonnet-4-5', 'anthropic/claude-sonnet-4-5'],
    ['claude-sonnet-4-5', 'anthropic/claude-sonnet-4-5'],
    ['claude-sonnet-4-5-20250929', 'anthropic/claude-sonnet-4-5'],
    ['claude-sonnet-4-20250514', 'anthropic/claude-sonnet-4'],
    ['claude-sonnet-4', 'anthropic/claude-sonnet-4'],
    ['deepseek/deepseek-chat', 'deepseek/deepseek-chat'],
  ])('%s → %s', (requested, expected) => {
    expect(resolveAnthropicModelId(catalog, requested)).toBe(expected);
  });

  it('leaves unknown ids, slash ids and disabled models to the catalog check', () => {
    expect(resolveAnthropicModelId(catalog, 'claude-nonexistent-9')).toBe('claude-nonexistent-9');
    expect(resolveAnthropicModelId(catalog, 'openai/gpt-x')).toBe('openai/gpt-x');
    expect(resolveAnthropicModelId(catalog, 'claude-opus-4-1')).toBe('claude-opus-4-1');
  });
});
