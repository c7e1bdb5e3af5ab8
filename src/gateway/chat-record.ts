/**
 * The request record of one chat call: started when the hold is placed, finished once with the outcome, and
 * queued for the batched writer (never written on the streaming path). The row is built by the kernel's one
 * record builder; the endpoint is the front door the client called.
 */
import type { CatalogModel } from '../catalog/schema.js';
import type { GatewayError } from '../shared/errors.js';
import type { NormalizedUsage, TranslationWarning } from '../providers/types.js';
import { buildRequestRecord, recordStatusOf } from '../kernel/request-record.js';
import type { Clock } from '../shared/clock.js';
import type { GatewayMetrics } from '../shared/metrics.js';
import type { RequestLogWriter } from '../store/request-log.js';
import type { ChatDialect } from './chat-dialect.js';

/** What writing a record needs of the pipeline's dependencies. */
export interface RecordDeps {
  requestLog: RequestLogWriter;
  clock: Clock;
  metrics?: Pick<GatewayMetrics, 'upstreamCalls' | 'timeToFirstChunk'>;
}

/** What a record says of the call: who, through which front door, since when. */
export interface RecordedCall {
  generationId: string;
  requestId: string;
  auth: { userId: string; key?: { id: string } };
  request: { stream?: boolean | null };
  dialect: Pick<ChatDialect, 'endpoint'>;
  startedAt: number;
}

export interface PendingRecord {
  readonly model: CatalogModel;
  provider: string;
  channelId: string | null;
  warnings: TranslationWarning[];
  /** Set once the record is written: a call leaves exactly one. */
  finished: boolean;
}

export function startRecord(model: CatalogModel): PendingRecord {
  return { model, provider: model.provider, channelId: null, warnings: [], finished: false };
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

export function finishRecord(deps: RecordDeps, log: PendingRecord, call: RecordedCall, outcome: RecordOutcome): void {
  const stream = call.request.stream === true;
  log.finished = true;
  const status = recordStatusOf(outcome.error, outcome.clientAborted);
  deps.metrics?.upstreamCalls.inc({ provider: log.provider, outcome: status.errorCode ?? 'ok' });
  if (stream && outcome.firstByteAt !== undefined) deps.metrics?.timeToFirstChunk.observe({ provider: log.provider }, (outcome.firstByteAt - call.startedAt) / 1000);
  deps.requestLog.record(
    buildRequestRecord({
      id: call.generationId,
      requestId: call.requestId,
      userId: call.auth.userId,
      apiKeyId: call.auth.key?.id ?? null,
      endpoint: call.dialect.endpoint,
      model: log.model.id,
      provider: log.provider,
      channelId: log.channelId,
      stream,
      startedAt: call.startedAt,
      finishedAt: deps.clock.now(),
      firstByteAt: outcome.firstByteAt,
      outcome: status,
      usage: outcome.usage,
      costNanos: outcome.costNanos,
      estimated: outcome.estimated,
      finishReason: outcome.finishReason,
      warnings: log.warnings,
    }),
  );
}
