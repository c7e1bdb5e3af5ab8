/**
 * Image generation (synchronous): model → validate → hold for n images → upstream call (failover on refusals
 * another channel may not share; never after a timeout, which may already have produced billable images)
 * → translate → settle for the images delivered → record. Images the upstream reports as failed inside a batch
 * are not charged; a charge never exceeds the hold (an upstream returning more than n images is charged n).
 */
import type { Logger } from '../shared/logger.js';
import type { AuthContext } from '../accounts/auth-context.js';
import type { CatalogModel } from '../catalog/schema.js';
import { GatewayError } from '../shared/errors.js';
import { MULTIPLIER_ONE, type Multiplier } from '../billing/multiplier.js';
import { priceUsage } from '../billing/price.js';
import { toUpstreamTarget, type ChannelRouter } from '../channels/channel-pick.js';
import type { RequestLogWriter } from '../store/request-log.js';
import { resolveModel } from '../kernel/resolve-model.js';
import { withChannelFailover } from '../kernel/channel-failover.js';
import { buildRequestRecord, recordStatusOf } from '../kernel/request-record.js';
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
}

export interface OpenAIImagesResponse {
  created: number;
  data: OpenAIImage[];
  usage: { images: number; failed_images: number; cost: number };
}

/**
 * A call that took its hold and wrote its request record: the images, or the refusal the client is answered
 * with. Refusals before the hold (the model, the request, the money) are thrown and leave the record to the caller.
 */
export type ImageGenerationResult =
  | { ok: true; response: OpenAIImagesResponse; costNanos: bigint; warnings: TranslationWarning[] }
  | { ok: false; error: GatewayError };

const priceImages = (model: CatalogModel, images: number, size: string, multiplier: Multiplier) =>
  priceUsage({ kind: 'image', images, size }, model.pricing, multiplier);

export async function runImageGeneration(deps: ImageGenerationDeps, call: ImageCall): Promise<ImageGenerationResult> {
  const { model, adapter } = resolveModel(deps, call.auth, call.request.model, 'image', (m) => deps.adapters.imageAdapterFor(m));
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
    return { ok: false, error: gatewayError };
  }
  const charged = Math.min(outcome.result.usage.images, valid.n);
  const costNanos = priceImages(model, charged, valid.size, multiplier);
  const upstreamCostNanos = priceImages(model, charged, valid.size, MULTIPLIER_ONE);
  const settled = await deps.billing.settle(reserved.holdId, { costNanos, upstreamCostNanos, estimated: false });
  if (!settled.ok) throw new Error(`Hold ${reserved.holdId} could not be settled: ${settled.reason}`);
  recordImageCall(deps, call, model, { costNanos: settled.chargedNanos, channelId: outcome.channelId, warnings: outcome.warnings });
  return {
    ok: true,
    response: {
      created: outcome.result.created ?? Math.floor(call.startedAt / 1000),
      data: outcome.result.data,
      usage: { images: charged, failed_images: outcome.result.failedImages, cost: nanosToUsdNumber(settled.chargedNanos) },
    },
    costNanos: settled.chargedNanos,
    warnings: outcome.warnings,
  };
}

type ImageAnswer = { result: ImageResult; channelId: string; warnings: TranslationWarning[] };

async function generateWithFailover(
  deps: ImageGenerationDeps,
  model: CatalogModel,
  adapter: ImageAdapter,
  valid: ValidatedImageRequest,
  logger: Logger,
): Promise<ImageAnswer> {
  const outcome = await withChannelFailover<Omit<ImageAnswer, 'channelId'>>({
    modality: 'image',
    modelId: model.id,
    router: deps.router,
    maxAttempts: deps.maxAttempts,
    // A timed-out image call may already have produced billable images: it is never sent again.
    isRetryable: (error) => error.retryable && error.code !== 'upstream_timeout',
    noChannel: () => new GatewayError('no_channel'),
    logger,
    attempt: async (pick) => {
      const target = toUpstreamTarget(pick, model);
      const { request, warnings } = adapter.toUpstream(valid, target);
      const exchange = await exchangeMediaRequest(deps.client, request, { timeoutMs: deps.timeoutMs, maxBytes: MAX_IMAGE_BODY_BYTES });
      // Sent, and the answer lost on the way: the images may exist, so no other channel is asked.
      if (exchange.kind === 'lost') throw exchange.error;
      if (exchange.kind === 'answered' && exchange.status >= 200 && exchange.status <= 299) {
        if (exchange.json === undefined) throw new GatewayError('upstream_bad_response');
        return { ok: true, value: { result: adapter.fromUpstream(exchange.json, target), warnings } };
      }
      const error = exchange.kind === 'not_sent' ? exchange.error : adapter.parseError(exchange.status, exchange.headers, exchange.text, target, deps.clock);
      return { ok: false, error };
    },
  });
  if (!outcome.ok) throw outcome.error;
  return { ...outcome.value, channelId: outcome.channel.channelId };
}

interface ImageRecordOutcome {
  error?: GatewayError;
  costNanos?: bigint;
  channelId?: string;
  warnings?: TranslationWarning[];
}

function recordImageCall(deps: ImageGenerationDeps, call: ImageCall, model: CatalogModel, outcome: ImageRecordOutcome): void {
  deps.requestLog.record(
    buildRequestRecord({
      id: call.generationId,
      requestId: call.requestId,
      userId: call.auth.userId,
      apiKeyId: call.auth.key?.id ?? null,
      endpoint: 'images.generations',
      model: model.id,
      provider: model.provider,
      channelId: outcome.channelId ?? null,
      startedAt: call.startedAt,
      finishedAt: deps.clock.now(),
      outcome: recordStatusOf(outcome.error),
      costNanos: outcome.costNanos,
      warnings: outcome.warnings,
    }),
  );
}
