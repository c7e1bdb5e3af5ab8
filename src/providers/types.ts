/**
 * The adapter contract. Adapters are pure translators between OpenAI's shapes and one native protocol:
 * they never do I/O of their own (what they need, like fetching an image, is injected), never read config,
 * and never import from api/, gateway/, store/ or billing/.
 */
import type { GatewayError } from '../shared/errors.js';
import type { CatalogModel } from '../catalog/schema.js';
import type { ChatRequest, OpenAIChatChunk, OpenAIChatCompletion, OpenAIFinishReason } from './openai/chat-types.js';
import type { SseEvent } from './sse-decoder.js';
// The wire request an adapter describes and the image bytes it may embed are plumbing types: the upstream layer
// below owns them, the translators only fill them in.
import type { UpstreamRequest } from '../upstream/upstream-client.js';
import type { FetchedImage } from '../upstream/fetch-image.js';
import type { TranslationWarning } from './translation-warning.js';
export type { UpstreamRequest, FetchedImage, TranslationWarning };

/** Token usage in one normalized form, the input billing needs. */
export interface NormalizedUsage {
  /** All prompt tokens, cached and cache-write included (OpenAI's `prompt_tokens`). */
  inputTokens: number;
  /** Prompt tokens read from a cache (a subset of inputTokens). */
  cachedInputTokens: number;
  /** Prompt tokens written to a cache (a subset of inputTokens). */
  cacheWriteTokens: number;
  /** Of cacheWriteTokens, those written to Anthropic's 1-hour cache, billed at a higher rate than 5-minute writes. */
  cacheWrite1hTokens?: number;
  /** All generated tokens, reasoning included (OpenAI's `completion_tokens`). */
  outputTokens: number;
  /** Reasoning tokens (a subset of outputTokens). */
  reasoningTokens: number;
}

/** Where and as what to call the upstream: one channel, one model. */
export interface UpstreamTarget {
  provider: string;
  /** Channel base URL without a trailing slash. */
  baseUrl: string;
  /** Decrypted credential. */
  apiKey: string;
  /** Second credential where the provider needs one (Kling secret key). */
  secretKey?: string | undefined;
  /** Model name the upstream knows. */
  upstreamModel: string;
  model: CatalogModel;
}


/** I/O and request facts an adapter may use while building the upstream request. */
export interface RequestContext {
  /** Fetches an http(s) image with the gateway's SSRF guard, size limit and timeout. */
  fetchImage(url: string): Promise<FetchedImage>;
  /** Selected incoming headers (lower-case names) the adapter may pass on, e.g. `anthropic-beta`. */
  clientHeaders: Record<string, string>;
}

/** Facts about the response being built: what the client sees as id, creation time and model. */
export interface ResponseContext {
  id: string;
  created: number;
  /** Public model id (`vendor/model`), never the upstream name. */
  model: string;
  request: ChatRequest;
}

export interface ChatTranslation {
  completion: OpenAIChatCompletion;
  usage: NormalizedUsage | undefined;
}

export interface StreamStep {
  chunks: OpenAIChatChunk[];
  /** A mid-stream upstream error: the gateway sends it as the final event and stops. */
  error?: GatewayError;
  /** The upstream said the stream is complete (e.g. `[DONE]`, `message_stop`). */
  done?: boolean;
}

export interface StreamEnd {
  /** Chunks still owed to the client (e.g. a final finish_reason chunk for Gemini). */
  chunks: OpenAIChatChunk[];
  /** True when the upstream closed before its protocol's end marker. */
  truncated: boolean;
  error?: GatewayError;
}

/**
 * A pure state machine: push each decoded SSE event in order, then call end() once when the upstream body
 * closes. It never emits the usage-only chunk: the gateway builds that from `usage` (adding cost) when the
 * client asked for it.
 */
export interface StreamTranslator {
  push(event: SseEvent): StreamStep;
  end(): StreamEnd;
  /** Latest usage the upstream reported, if any. */
  readonly usage: NormalizedUsage | undefined;
  readonly finishReason: OpenAIFinishReason | null;
}

export interface ChatAdapter {
  /** Builds the upstream request. Parameters it cannot honour are rejected (throws GatewayError 400) or warned. */
  toUpstream(
    request: ChatRequest,
    target: UpstreamTarget,
    ctx: RequestContext,
  ): Promise<{ request: UpstreamRequest; warnings: TranslationWarning[] }>;
  /** Translates a successful non-stream body (already JSON-parsed). */
  fromUpstream(body: unknown, target: UpstreamTarget, ctx: ResponseContext): ChatTranslation;
  createStreamTranslator(target: UpstreamTarget, ctx: ResponseContext): StreamTranslator;
  /** Translates an upstream error response into a catalog error; never leaks URLs or keys. */
  parseError(status: number, headers: Record<string, string>, bodyText: string, target: UpstreamTarget): GatewayError;
}
