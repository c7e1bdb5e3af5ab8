/**
 * Image generation (synchronous): model → validate → hold for n images → upstream call (failover on refusals
 * another channel may not share; never after a timeout, which may already have produced billable images)
 * → translate → settle for the images delivered → record. Images the upstream reports as failed inside a batch
 * are not charged; a charge never exceeds the hold (an upstream returning more than n images is charged n).
 */
import type { Logger } from '../shared/logger.js';
import type { AuthContext } from '../accounts/auth-context.js';
import { isModelAllowed } from '../accounts/api-keys.js';
import type { CatalogModel } from '../catalog/schema.js';
import { GatewayError } from '../shared/errors.js';
import { MULTIPLIER_ONE, type Multiplier } from '../billing/multiplier.js';
import { priceUsage } from '../billing/price.js';
import { toUpstreamTarget, type ChannelRouter } from '../channels/channel-pick.js';
import { noTokenUsage, type RequestLogWriter } from '../store/request-log.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { nanosToUsdNumber } from '../billing/money.js';
import type { ImageAdapter, ImageRequest, ImageResult, OpenAIImage, TranslationWarning, ValidatedImageRequest } from '../providers/task-types.js';
import type { Clock } from '../shared/clock.js';
import type { MediaAdapters } from './media-adapters.js';
import { exchangeMediaRequest } from './media-exchange.js';
import type { MediaBillingPort } from './video-job-deps.js';

/** Four 4K PNGs in base64 fit comfortably. */
const MAX_IMAGE_BODY_BYTES = 128 * 1024 * 1024;

export interface ImageGenerationDeps {
  catalog: { get(id: string): CatalogModel | undefined };
  router: ChannelRouter;
  client: UpstreamClient;
  billing: MediaBillingPort;
  adapters: MediaAdapters;
  requestLog: RequestLogWriter;
  clock: Clock;
  timeoutMs: number;
  maxAttempts: number;
}

export interface ImageCall {
  auth: AuthContext;
  request: ImageRequest;
  generationId: string;
  requestId: string;
  startedAt: number;
  logger: Logger;
  /** Called when this call's request record is written, so the generic access record is skipped. */
  markRecorded(): void;
}

export interface OpenAIImagesResponse {
  created: number;
  data: OpenAIImage[];
  usage: { images: number; failed_images: number; cost: number };
}

export interface ImageGenerationResult {
  response: OpenAIImagesResponse;
  costNanos: bigint;
  warnings: TranslationWarning[];
}

function resolveImageModel(deps: ImageGenerationDeps, auth: AuthContext, modelId: string): { model: CatalogModel; adapter: ImageAdapter } {
  const model = deps.catalog.get(modelId);
  const adapter = model === undefined ? undefined : deps.adapters.imageAdapterFor(model);
  if (!model || !adapter || !model.enabled || model.modality !== 'image' || !deps.router.isServed(model.id)) {
    throw new GatewayError('model_not_found', { param: 'model', message: `The model '${modelId}' does not exist or is not an image model.` });
  }
  if (!isModelAllowed(auth, model.id)) throw new GatewayError('model_not_allowed', { param: 'model' });
  return { model, adapter };
}

const priceImages = (model: CatalogModel, images: number, size: string, multiplier: Multiplier) =>
  priceUsage({ kind: 'image', images, size }, model.pricing, multiplier);

export async function runImageGeneration(deps: ImageGenerationDeps, call: ImageCall): Promise<ImageGenerationResult> {
  const { model, adapter } = resolveImageModel(deps, call.auth, call.request.model);
  const valid = adapter.validate(call.request, model);
  const { multiplier } = await deps.billing.multiplierFor(call.auth.groupId, model.id);
  const holdNanos = priceImages(model, valid.n, valid.size, multiplier);
  const reserved = await deps.billing.reserve({ userId: call.auth.userId, apiKeyId: call.auth.key?.id ?? null, requestId: call.generationId, amountNanos: holdNanos });
  if (!reserved.ok) throw reserved.error;
  let outcome: { result: ImageResult; channelId: string; warnings: TranslationWarning[] };
  try {
    outcome = await generateWithFailover(deps, model, adapter, valid, call.logger);
  } catch (error) {
    await deps.billing.release(reserved.holdId, 'image generation failed');
    const gatewayError = error instanceof GatewayError ? error : new GatewayError('internal_error', { cause: error });
    recordImageCall(deps, call, model, { error: gatewayError });
    throw gatewayError;
  }
  const charged = Math.min(outcome.result.usage.images, valid.n);
  const costNanos = priceImages(model, charged, valid.size, multiplier);
  const upstreamCostNanos = priceImages(model, charged, valid.size, MULTIPLIER_ONE);
  const settled = await deps.billing.settle(reserved.holdId, { costNanos, upstreamCostNanos, estimated: false });
  if (!settled.ok) throw new Error(`Hold ${reserved.holdId} could not be settled: ${settled.reason}`);
  recordImageCall(deps, call, model, { costNanos: settled.chargedNanos, channelId: outcome.channelId, warnings: outcome.warnings });
  return {
    response: {
      created: outcome.result.created ?? Math.floor(call.startedAt / 1000),
      data: outcome.result.data,
      usage: { images: charged, failed_images: outcome.result.failedImages, cost: nanosToUsdNumber(settled.chargedNanos) },
    },
    costNanos: settled.chargedNanos,
    warnings: outcome.warnings,
  };
}

async function generateWithFailover(
  deps: ImageGenerationDeps,
  model: CatalogModel,
  adapter: ImageAdapter,
  valid: ValidatedImageRequest,
  logger: Logger,
): Promise<{ result: ImageResult; channelId: string; warnings: TranslationWarning[] }> {
  const tried = new Set<string>();
  let lastError: GatewayError | undefined;
  for (let attempt = 0; attempt < deps.maxAttempts; attempt++) {
    const pick = deps.router.pick(model.id, tried);
    if (!pick) break;
    tried.add(pick.channelId);
    const target = toUpstreamTarget(pick, model);
    const { request, warnings } = adapter.toUpstream(valid, target);
    const exchange = await exchangeMediaRequest(deps.client, request, { timeoutMs: deps.timeoutMs, maxBytes: MAX_IMAGE_BODY_BYTES });
    if (exchange.kind === 'lost') throw exchange.error;
    if (exchange.kind === 'answered' && exchange.status >= 200 && exchange.status <= 299) {
      if (exchange.json === undefined) throw new GatewayError('upstream_bad_response');
      return { result: adapter.fromUpstream(exchange.json, target), channelId: pick.channelId, warnings };
    }
    lastError = exchange.kind === 'not_sent' ? exchange.error : adapter.parseError(exchange.status, exchange.headers, exchange.text, target, deps.clock);
    if (!lastError.retryable || lastError.code === 'upstream_timeout') throw lastError;
    logger.warn({ channel: pick.channelId, code: lastError.code }, 'image upstream attempt failed');
  }
  throw lastError ?? new GatewayError('no_channel');
}

interface ImageRecordOutcome {
  error?: GatewayError;
  costNanos?: bigint;
  channelId?: string;
  warnings?: TranslationWarning[];
}

function recordImageCall(deps: ImageGenerationDeps, call: ImageCall, model: CatalogModel, outcome: ImageRecordOutcome): void {
  const now = deps.clock.now();
  call.markRecorded();
  deps.requestLog.record({
    id: call.generationId,
    request_id: call.requestId,
    user_id: call.auth.userId,
    api_key_id: call.auth.key?.id ?? null,
    endpoint: 'images.generations',
    model: model.id,
    provider: model.provider,
    channel_id: outcome.channelId ?? null,
    stream: 0,
    status: outcome.error ? outcome.error.status : 200,
    error_code: outcome.error ? outcome.error.code : null,
    latency_ms: now - call.startedAt,
    ttfb_ms: null,
    ...noTokenUsage,
    cost_nanos: outcome.costNanos ?? null,
    estimated: 0,
    finish_reason: null,
    warnings: outcome.warnings && outcome.warnings.length > 0 ? JSON.stringify(outcome.warnings) : null,
    created_at: call.startedAt,
  });
}
