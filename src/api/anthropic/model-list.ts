/**
 * The model list as Anthropic clients read it. Claude Code's gateway model discovery and the Anthropic SDKs'
 * `models.list()` call the same `GET /v1/models` and expect Anthropic's page (`has_more`, `first_id`,
 * `last_id`) and items (`type`, `display_name`, `created_at` as RFC 3339). They are added to our list when the
 * request carries `anthropic-version`, which those clients always send; nothing of the OpenAI shape is removed.
 */
import type { OpenAIModelItem, OpenAIModelList } from '../openai/model-item.js';

export type AnthropicModelItem = OpenAIModelItem & { type: 'model'; display_name: string; created_at: string };

export interface AnthropicModelList extends OpenAIModelList {
  data: AnthropicModelItem[];
  has_more: false;
  first_id: string | null;
  last_id: string | null;
}

export function withAnthropicListFields(list: OpenAIModelList): AnthropicModelList {
  const data = list.data.map((item) => ({ ...item, type: 'model' as const, display_name: item.name, created_at: new Date(item.created * 1000).toISOString() }));
  return { ...list, data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
