/**
 * How to read one media provider's errors, as data (in the manner of vercel/ai's ProviderErrorStructure): where
 * the code and message sit in its error body, and what each of its codes means in the catalog. The catalog code
 * decides retryability (GatewayError.retryable: 408, 429 and 5xx codes are), so a row never spells it out twice.
 * One reader serves HTTP error responses, error envelopes inside a 2xx and failed task snapshots.
 */
import { GatewayError, type ErrorCode } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import { parseRetryAfter } from '../shared/retry-after.js';
import { channelSecrets, sanitizeUpstreamMessage } from '../shared/upstream-message.js';
import { errorCodeForStatus, type TaskTarget } from './task-types.js';
import { parseJsonText } from './upstream-error-body.js';

export interface TaskErrorFields {
  /** The provider's own code as text (Kling's numeric codes too). */
  code: string | undefined;
  message: string | undefined;
}

export interface TaskErrorStructure {
  provider: string;
  /** Code and message of a parsed error body; undefined when the body is not this provider's error. */
  readError(body: unknown): TaskErrorFields | undefined;
  /** First matching rule wins; each pattern is tested against the whole code. Unknown codes fall back to the HTTP status. */
  codeRules: ReadonlyArray<readonly [RegExp, ErrorCode]>;
}

/** The catalog code for a provider code; undefined when the row does not know it. */
export function mapTaskErrorCode(structure: TaskErrorStructure, code: string): ErrorCode | undefined {
  return structure.codeRules.find(([pattern]) => pattern.test(code))?.[1];
}

/** Reads `{code, message}` from a record, or from the record under `envelope` when that is an object. */
export function readCodeAndMessage(body: unknown, envelope?: string): TaskErrorFields | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const nested = envelope === undefined ? undefined : record[envelope];
  const inner = typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>) : record;
  const code = typeof inner.code === 'string' || typeof inner.code === 'number' ? String(inner.code) : undefined;
  const message = typeof inner.message === 'string' ? inner.message : undefined;
  return code === undefined && message === undefined ? undefined : { code, message };
}

/** Upstream text for a client: the one sanitizer, with this channel's credentials and address cut out. */
export function taskMessage(text: string, target: TaskTarget): string {
  return sanitizeUpstreamMessage(text, channelSecrets(target));
}

/** Why a task failed, for the client: the upstream's words sanitized, else a generic line. */
export function taskFailureMessage(text: string | null | undefined, target: TaskTarget): string {
  return text ? taskMessage(text, target) : 'Video generation failed.';
}

/** The GatewayError for an upstream failure; its text reaches the client only when the code blames the request. */
export function toTaskGatewayError(
  code: ErrorCode,
  status: number,
  upstreamMessage: string | undefined,
  target: TaskTarget,
  retryAfter: number | undefined,
): GatewayError {
  const blamesRequest = code === 'invalid_request' || code === 'content_policy_violation';
  const message = blamesRequest && upstreamMessage ? taskMessage(upstreamMessage, target) : undefined;
  return new GatewayError(code, {
    ...(message === undefined ? {} : { message }),
    ...(status > 0 ? { upstreamStatus: status } : {}),
    retryAfter,
  });
}

/** An error read from a parsed body (an envelope inside a 2xx, or a poll answer): no headers, so no retry-after. */
export function taskErrorFromBody(structure: TaskErrorStructure, status: number, body: unknown, target: TaskTarget): GatewayError {
  const fields = structure.readError(body);
  const code = (fields?.code === undefined ? undefined : mapTaskErrorCode(structure, fields.code)) ?? errorCodeForStatus(status);
  return toTaskGatewayError(code, status, fields?.message, target, undefined);
}

/** An HTTP error response → GatewayError, by the provider's row. */
export function parseTaskError(
  structure: TaskErrorStructure,
  status: number,
  headers: Record<string, string>,
  bodyText: string,
  target: TaskTarget,
  clock: Clock,
): GatewayError {
  const fields = structure.readError(parseJsonText(bodyText));
  const code = (fields?.code === undefined ? undefined : mapTaskErrorCode(structure, fields.code)) ?? errorCodeForStatus(status);
  return toTaskGatewayError(code, status, fields?.message, target, parseRetryAfter(headers, clock));
}
