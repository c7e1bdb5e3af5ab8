/**
 * The one builder of request records (`request_logs` rows), for chat, images, video jobs and the plain access
 * record alike: callers state what they know about the call, the builder fills every other column the same way.
 */
import type { NormalizedUsage } from '../providers/types.js';
import { GatewayError } from '../shared/errors.js';
import type { RequestRecord } from '../store/request-log.js';

export interface RecordStatus {
  status: number;
  errorCode: string | null;
}

export interface RequestRecordFacts {
  id: string;
  requestId: string | null;
  userId: string | null;
  apiKeyId: string | null;
  /** The front door, e.g. `chat.completions`, `messages`, `responses`, `images.generations`. */
  endpoint: string;
  model: string | null;
  provider: string | null;
  channelId?: string | null;
  stream?: boolean;
  startedAt: number;
  finishedAt: number;
  firstByteAt?: number | undefined;
  outcome: RecordStatus;
  usage?: NormalizedUsage | undefined;
  costNanos?: bigint | null | undefined;
  estimated?: boolean | undefined;
  finishReason?: string | null | undefined;
  /** Parameters dropped or changed: a list, or a list already stored as JSON. */
  warnings?: ReadonlyArray<{ param: string; message: string }> | string | null | undefined;
}

/** A call that ended: 499 `client_closed` when the client left, else the error's status and code, else 200. */
export function recordStatusOf(error: unknown, clientAborted = false): RecordStatus {
  if (clientAborted) return { status: 499, errorCode: 'client_closed' };
  if (error === undefined || error === null) return { status: 200, errorCode: null };
  if (error instanceof GatewayError) return { status: error.status, errorCode: error.code };
  return { status: 500, errorCode: 'internal_error' };
}

export function buildRequestRecord(facts: RequestRecordFacts): RequestRecord {
  const usage = facts.usage;
  const warnings = facts.warnings;
  return {
    id: facts.id,
    request_id: facts.requestId,
    user_id: facts.userId,
    api_key_id: facts.apiKeyId,
    endpoint: facts.endpoint,
    model: facts.model,
    provider: facts.provider,
    channel_id: facts.channelId ?? null,
    stream: facts.stream ? 1 : 0,
    status: facts.outcome.status,
    error_code: facts.outcome.errorCode,
    latency_ms: facts.finishedAt - facts.startedAt,
    ttfb_ms: facts.firstByteAt === undefined ? null : facts.firstByteAt - facts.startedAt,
    prompt_tokens: usage?.inputTokens ?? 0,
    completion_tokens: usage?.outputTokens ?? 0,
    cached_tokens: usage?.cachedInputTokens ?? 0,
    cache_write_tokens: usage?.cacheWriteTokens ?? 0,
    reasoning_tokens: usage?.reasoningTokens ?? 0,
    cost_nanos: facts.costNanos ?? null,
    estimated: facts.estimated ? 1 : 0,
    finish_reason: facts.finishReason ?? null,
    warnings: typeof warnings === 'string' || warnings === null || warnings === undefined ? (warnings ?? null) : warnings.length > 0 ? JSON.stringify(warnings) : null,
    created_at: facts.startedAt,
  };
}
