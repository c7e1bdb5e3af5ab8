/** Wire family → chat adapter. Media families have task adapters of their own (see task-types.ts). */
import type { CatalogModel } from '../catalog/schema.js';
import { anthropicAdapter } from './anthropic/anthropic-adapter.js';
import { geminiAdapter } from './gemini/adapter.js';
import { openAICompatibleAdapter } from './openai-compatible/adapter.js';
import type { ChatAdapter } from './types.js';

const chatAdapters: Partial<Record<CatalogModel['family'], ChatAdapter>> = {
  'openai-compatible': openAICompatibleAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};

export function chatAdapterFor(model: CatalogModel): ChatAdapter | undefined {
  return chatAdapters[model.family];
}
