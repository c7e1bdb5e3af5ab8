/**
 * The extras of a chat request that cost more than its tokens: an upstream service tier and web search. Both
 * the hold and the charge read them from the request, so the two are priced alike. Extras the catalog does not
 * price never get here: the adapters refuse them with 400 `unsupported_parameter` before anything is sent.
 */
import { STANDARD_SERVICE_TIERS, type TokenPricing } from '../catalog/schema.js';
import type { ChatRequest } from '../providers/openai/chat-types.js';

export interface PricedFeatures {
  serviceTier?: string;
  webSearchCalls?: number;
}

export function pricedFeaturesOf(request: ChatRequest, pricing: TokenPricing): PricedFeatures {
  const features: PricedFeatures = {};
  const tier = request.service_tier;
  if (typeof tier === 'string' && !STANDARD_SERVICE_TIERS.includes(tier) && Object.hasOwn(pricing.serviceTiers ?? {}, tier)) {
    features.serviceTier = tier;
  }
  // A chat-completions web search is one search call per request (OpenAI's search models).
  if (request.web_search_options != null && pricing.webSearchPerKCalls !== undefined) features.webSearchCalls = 1;
  return features;
}
