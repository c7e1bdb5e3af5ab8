/**
 * The model catalog's shape. Prices are decimal strings in USD (never floats) and become integer
 * nano-dollars in billing/money.ts; see the README's "Money" section for the rounding rule.
 */
import { z } from 'zod';

/** A non-negative USD amount as a decimal string, at most 9 fractional digits: "2.50", "0.075". */
export const usdSchema = z.string().regex(/^\d+(\.\d{1,9})?$/, 'USD amount as a decimal string with at most 9 decimals');

/** One set of per-token rates. */
const tokenRatesShape = {
  /** USD per 1M input tokens not read from or written to a cache. */
  inputPerMTok: usdSchema,
  /** USD per 1M cached input tokens; defaults to the input price. */
  cachedInputPerMTok: usdSchema.optional(),
  /** USD per 1M tokens written to a prompt cache (Anthropic's 5-minute cache: 1.25× input); defaults to the input price. */
  cacheWritePerMTok: usdSchema.optional(),
  /**
   * USD per 1M tokens written to Anthropic's 1-hour cache (2× input). Absent: the model takes no 1-hour cache
   * writes, and a request asking for one is refused rather than billed at the 5-minute rate.
   */
  cacheWrite1hPerMTok: usdSchema.optional(),
  /** USD per 1M output tokens (reasoning included). */
  outputPerMTok: usdSchema,
};

/**
 * Rates for a request whose prompt (cached and cache-write tokens included) is longer than `aboveInputTokens`:
 * the whole request is then priced at these rates, as Anthropic (1M context), Gemini Pro and OpenAI do.
 */
export const longContextTierSchema = z.object({ aboveInputTokens: z.number().int().positive(), ...tokenRatesShape });

/** Base rates plus long-context tiers, in increasing `aboveInputTokens` order. */
const tieredRatesShape = { ...tokenRatesShape, longContext: z.array(longContextTierSchema).min(1).optional() };

export const serviceTierPricingSchema = z.object(tieredRatesShape);

/** Service-tier values that ask for the standard rates (OpenAI's `auto` and `default`; the gateway's upstream accounts default to standard). */
export const STANDARD_SERVICE_TIERS: readonly string[] = ['auto', 'default'];

export const tokenPricingSchema = z.object({
  kind: z.literal('tokens'),
  ...tieredRatesShape,
  /**
   * Rates of an upstream service tier a client may ask for (`service_tier: "priority"`), replacing the base
   * rates. A tier not named here is refused, so no request is billed below what its tier costs upstream.
   */
  serviceTiers: z.record(z.string().regex(/^[a-z_]+$/), serviceTierPricingSchema).optional(),
  /** USD per 1,000 web-search calls (`web_search_options`, one call per request); absent: search is refused. */
  webSearchPerKCalls: usdSchema.optional(),
});

export const imagePricingSchema = z.object({
  kind: z.literal('image'),
  /** USD per generated image. */
  perImage: usdSchema,
  /** USD per image for specific sizes (`1024x1024`, `2K`), overriding perImage. */
  perImageBySize: z.record(z.string(), usdSchema).optional(),
});

export const videoPricingSchema = z.object({
  kind: z.literal('video'),
  /** USD per second of video, chosen by the first rule whose mode and resolution match (absent = any). */
  perSecond: z
    .array(z.object({ mode: z.string().optional(), resolution: z.string().optional(), usd: usdSchema }))
    .min(1),
});

export const pricingSchema = z.discriminatedUnion('kind', [tokenPricingSchema, imagePricingSchema, videoPricingSchema]);

export const capabilitiesSchema = z.object({
  tools: z.boolean().default(false),
  vision: z.boolean().default(false),
  json_schema: z.boolean().default(false),
  reasoning: z.boolean().default(false),
  streaming: z.boolean().default(true),
});

export const videoOptionsSchema = z.object({
  durations: z.array(z.number().int().positive()).min(1),
  defaultDuration: z.number().int().positive(),
  resolutions: z.array(z.string()).min(1),
  defaultResolution: z.string(),
  aspectRatios: z.array(z.string()).default([]),
  /** Roles allowed in the `content` array: first_frame, last_frame, reference_image, reference_video, reference_audio. */
  roles: z.array(z.string()).default([]),
  modes: z.array(z.string()).optional(),
  /** Mode used when a request names none (Kling: `std`); one of `modes`. */
  defaultMode: z.string().optional(),
  audio: z.boolean().default(false),
});

export const imageOptionsSchema = z.object({
  sizes: z.array(z.string()).min(1),
  defaultSize: z.string(),
  maxN: z.number().int().positive().default(1),
});

export const catalogModelSchema = z.object({
  /** `vendor/model`, e.g. `openai/gpt-4.1`. */
  id: z.string().regex(/^[a-z0-9-]+\/[A-Za-z0-9._:-]+$/),
  name: z.string(),
  description: z.string(),
  /** Provider id from catalog/providers.ts. */
  provider: z.string(),
  family: z.enum([
    'openai-compatible',
    'anthropic',
    'gemini',
    'ark-image',
    'ark-video',
    'kling-video',
    'dashscope-video',
    'openai-image',
    'gemini-image',
  ]),
  upstreamModel: z.string(),
  modality: z.enum(['chat', 'image', 'video']),
  /** Release date, unix seconds (OpenAI's `created`). */
  created: z.number().int(),
  contextLength: z.number().int().nonnegative(),
  maxOutputTokens: z.number().int().nonnegative(),
  /** `max_tokens` sent when a protocol requires one and the client gave none (Anthropic). */
  defaultMaxTokens: z.number().int().positive().optional(),
  capabilities: capabilitiesSchema,
  pricing: pricingSchema,
  video: videoOptionsSchema.optional(),
  image: imageOptionsSchema.optional(),
  enabled: z.boolean().default(true),
});

export const catalogFileSchema = z.object({ models: z.array(catalogModelSchema) });

export type CatalogModel = z.infer<typeof catalogModelSchema>;
export type ModelPricing = z.infer<typeof pricingSchema>;
export type TokenPricing = z.infer<typeof tokenPricingSchema>;
export type TokenRates = z.infer<typeof serviceTierPricingSchema>;
export type LongContextTier = z.infer<typeof longContextTierSchema>;
export type VideoOptions = z.infer<typeof videoOptionsSchema>;
