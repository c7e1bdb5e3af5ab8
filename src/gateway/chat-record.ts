/**
 * The request record of one chat call: started when the hold is placed, finished once with the outcome, and
 * queued for the batched writer (never written on the streaming path).
 */
import type { CatalogModel } from '../catalog/schema.js';
import { GatewayError } from '../shared/errors.js';
import type { NormalizedUsage } from '../providers/types.js';
import { emptyUsage } from '../providers/usage.js';
import type { ChatCall, ChatPipelineDeps } from './chat-pipeline.js';

export type PendingRecord = ReturnType<typeof startRecord>;

export function startRecord(call: ChatCall, model: CatalogModel) {
  return {
    id: call.generationId,
    request_id: call.requestId,
    user_id: call.auth.userId,
    api_key_id: call.auth.key?.id ?? null,
    endpoint: 'chat.completions',
    model: model.id,
    provider: model.provider as string | null,
    channel_id: null as string | null,
    stream: call.request.stream ? 1 : 0,
    warnings: null as string | null,
  };
}

export interface RecordOutcome {
  usage?: NormalizedUsage;
  estimated?: boolean;
  costNanos?: bigint;
  finishReason?: string | null;
  error?: GatewayError | undefined;
  clientAborted?: boolean;
  firstByteAt?: number | undefined;
}

export function finishRecord(deps: ChatPipelineDeps, log: PendingRecord, call: ChatCall, outcome: RecordOutcome): void {
  const now = deps.clock.now();
  const usage = outcome.usage ?? emptyUsage();
  const error = outcome.error;
  call.markRecorded();
  const provider = log.provider ?? 'unknown';
  deps.metrics?.upstreamCalls.inc({ provider, outcome: outcome.clientAborted ? 'client_closed' : (error?.code ?? 'ok') });
  if (log.stream && outcome.firstByteAt !== undefined) deps.metrics?.timeToFirstChunk.observe({ provider }, (outcome.firstByteAt - call.startedAt) / 1000);
  deps.requestLog.record({
    ...log,
    status: outcome.clientAborted ? 499 : error ? (error instanceof GatewayError ? error.status : 500) : 200,
    error_code: outcome.clientAborted ? 'client_closed' : error instanceof GatewayError ? error.code : error ? 'internal_error' : null,
    latency_ms: now - call.startedAt,
    ttfb_ms: outcome.firstByteAt === undefined ? null : outcome.firstByteAt - call.startedAt,
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    cached_tokens: usage.cachedInputTokens,
    cache_write_tokens: usage.cacheWriteTokens,
    reasoning_tokens: usage.reasoningTokens,
    cost_nanos: outcome.costNanos ?? null,
    estimated: outcome.estimated ? 1 : 0,
    finish_reason: outcome.finishReason ?? null,
    created_at: call.startedAt,
  });
}
