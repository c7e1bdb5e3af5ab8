/** The model list's wire shape: OpenAI's list with OpenRouter's per-model extras. */
import type { CatalogModel, ModelPricing } from '../../catalog/schema.js';

/** USD per token (or per image / request) as decimal strings, like OpenRouter's `pricing`. */
export interface OpenRouterPricing {
  prompt: string;
  completion: string;
  request: string;
  image: string;
  input_cache_read?: string;
  input_cache_write?: string;
}

export interface OpenAIModelItem {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  name: string;
  description: string;
  context_length: number | null;
  pricing: OpenRouterPricing;
  /** The catalog's own structured price (USD per 1M tokens, per image, or per second of video). */
  pricing_detail: ModelPricing;
  architecture: { input_modalities: string[]; output_modalities: string[]; modality: string };
  top_provider: { context_length: number | null; max_completion_tokens: number | null; is_moderated: boolean };
  supported_parameters: string[];
  image_options?: CatalogModel['image'];
  video_options?: CatalogModel['video'];
}

export interface OpenAIModelList {
  object: 'list';
  data: OpenAIModelItem[];
}
