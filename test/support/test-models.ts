import type { CatalogModel } from '../../src/catalog/schema.js';

/** A chat model with round prices ($2 / $0.50 cached / $8 per 1M tokens) for billing tests. */
export function testChatModel(overrides: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id: 'openai/gpt-test',
    name: 'GPT Test',
    description: '',
    provider: 'openai',
    family: 'openai-compatible',
    upstreamModel: 'gpt-test',
    modality: 'chat',
    created: 0,
    contextLength: 128_000,
    maxOutputTokens: 16_000,
    capabilities: { tools: true, vision: true, json_schema: true, reasoning: false, streaming: true },
    pricing: { kind: 'tokens', inputPerMTok: '2', cachedInputPerMTok: '0.5', outputPerMTok: '8' },
    enabled: true,
    ...overrides,
  };
}
