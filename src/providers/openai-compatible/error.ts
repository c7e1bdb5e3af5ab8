/**
 * Upstream errors → catalog GatewayErrors (shared/docs/providers.md §8.5). One mapper serves HTTP error responses,
 * `data: {"error":…}` stream events and MiniMax's HTTP 200 `base_resp` failures. Policy: the client's input
 * errors stay 400 with a sanitized upstream message; failures of our own account (credentials, balance) are 502.
 */
import { GatewayError, type ErrorCode } from '../../shared/errors.js';
import { parseRetryAfter } from '../../shared/retry-after.js';
import { channelSecrets, sanitizeUpstreamMessage } from '../../shared/upstream-message.js';
import type { Clock } from '../../shared/clock.js';
import type { UpstreamTarget } from '../types.js';
import { parseJsonText } from '../upstream-error-body.js';
import { isJsonRecord } from './json-record.js';
import type { OpenAICompatibleErrorClass, OpenAICompatibleQuirks } from './quirks.js';

/** The fields every upstream error shape boils down to. */
export interface OpenAICompatibleErrorFields {
  message?: string;
  code?: string;
  type?: string;
  param?: string;
}

/**
 * Codes and types with one meaning across OpenAI-shaped upstreams; the quirks row adds provider business codes.
 * Generic ones (`server_error`, `invalid_request_error`) are left out so the HTTP status decides.
 */
const sharedErrorCodes: Readonly<Record<string, OpenAICompatibleErrorClass>> = {
  context_length_exceeded: 'context_length',
  insufficient_quota: 'upstream_balance',
  billing_hard_limit_reached: 'upstream_balance',
  invalid_api_key: 'upstream_auth',
  authentication_error: 'upstream_auth',
  content_policy_violation: 'content_policy',
  rate_limit_exceeded: 'rate_limit',
  overloaded_error: 'overloaded',
};

const contextLengthPattern =
  /context length|context window|context_length|maximum context|prompt is too long|too many tokens|input length|exceeds the model|reduce the length/i;

const statusClasses: Readonly<Record<number, OpenAICompatibleErrorClass>> = {
  400: 'invalid_request',
  401: 'upstream_auth',
  402: 'upstream_balance',
  403: 'upstream_auth',
  404: 'upstream_error',
  408: 'timeout',
  413: 'payload_too_large',
  422: 'invalid_request',
  429: 'rate_limit',
  500: 'upstream_error',
  502: 'upstream_error',
  503: 'overloaded',
  504: 'timeout',
  529: 'overloaded',
};

const classCodes: Readonly<Record<OpenAICompatibleErrorClass, ErrorCode>> = {
  invalid_request: 'invalid_request',
  context_length: 'context_length_exceeded',
  content_policy: 'content_policy_violation',
  upstream_auth: 'upstream_auth_failed',
  upstream_balance: 'upstream_error',
  rate_limit: 'rate_limit_exceeded',
  overloaded: 'upstream_unavailable',
  timeout: 'upstream_timeout',
  payload_too_large: 'payload_too_large',
  upstream_error: 'upstream_error',
};

/** Classes whose upstream message describes the client's own request and may be shown (sanitized). */
const clientFacing = new Set<OpenAICompatibleErrorClass>(['invalid_request', 'context_length', 'content_policy']);

/** Reads an error body in any of the shapes the family uses; undefined when it is none of them. */
export function readOpenAICompatibleErrorFields(body: unknown): OpenAICompatibleErrorFields | undefined {
  if (!isJsonRecord(body)) return undefined;
  const { error } = body;
  if (isJsonRecord(error)) {
    return compact({ message: asText(error.message), code: asText(error.code), type: asText(error.type), param: asText(error.param) });
  }
  // xAI outside chat completions: {"code": "...", "error": "message"}.
  if (typeof error === 'string') return compact({ message: error, code: asText(body.code) });
  const baseResp = body.base_resp;
  if (isJsonRecord(baseResp) && isNonZero(baseResp.status_code)) {
    return compact({ message: asText(baseResp.status_msg), code: asText(baseResp.status_code) });
  }
  // DashScope native and some Zhipu gateways: {"code": "...", "message": "..."} at top level.
  if (body.code !== undefined || typeof body.message === 'string') {
    return compact({ message: asText(body.message), code: asText(body.code), type: asText(body.type) });
  }
  return undefined;
}

export function classifyOpenAICompatibleError(
  status: number,
  fields: OpenAICompatibleErrorFields | undefined,
  quirks: OpenAICompatibleQuirks,
): OpenAICompatibleErrorClass {
  for (const key of [fields?.code, fields?.type]) {
    if (key === undefined) continue;
    if (Object.hasOwn(quirks.errorCodes, key)) return quirks.errorCodes[key] as OpenAICompatibleErrorClass;
    if (Object.hasOwn(sharedErrorCodes, key)) return sharedErrorCodes[key] as OpenAICompatibleErrorClass;
  }
  const byStatus = statusClasses[status] ?? (status >= 500 ? 'upstream_error' : undefined);
  const message = fields?.message ?? '';
  if ((byStatus === undefined || byStatus === 'invalid_request') && contextLengthPattern.test(message)) return 'context_length';
  return byStatus ?? 'upstream_error';
}

export interface OpenAICompatibleErrorInput {
  status: number;
  fields: OpenAICompatibleErrorFields | undefined;
  /** Raw text to show when the body was not JSON (never HTML). */
  text?: string;
  retryAfter?: number;
}

export function toOpenAICompatibleGatewayError(
  input: OpenAICompatibleErrorInput,
  quirks: OpenAICompatibleQuirks,
  target: UpstreamTarget,
): GatewayError {
  const errorClass = classifyOpenAICompatibleError(input.status, input.fields, quirks);
  const secrets = channelSecrets(target);
  const rawMessage = input.fields?.message ?? input.text;
  const message = rawMessage === undefined ? undefined : sanitizeUpstreamMessage(rawMessage, secrets);
  const shown = clientFacing.has(errorClass) && message !== undefined && message !== '';
  const upstreamParam = clientFacing.has(errorClass) ? input.fields?.param : undefined;
  const param = upstreamParam === undefined ? undefined : sanitizeUpstreamMessage(upstreamParam, secrets);
  return new GatewayError(classCodes[errorClass], {
    ...(shown ? { message } : {}),
    ...(param !== undefined ? { param } : {}),
    ...(input.retryAfter !== undefined ? { retryAfter: input.retryAfter } : {}),
    ...(input.status > 0 ? { upstreamStatus: input.status } : {}),
    cause: { provider: target.provider, code: input.fields?.code, type: input.fields?.type, message },
  });
}

/** An HTTP error response (status ≥ 400) → GatewayError. */
export function parseOpenAICompatibleError(
  status: number,
  headers: Readonly<Record<string, string>>,
  bodyText: string,
  target: UpstreamTarget,
  quirks: OpenAICompatibleQuirks,
  clock: Clock,
): GatewayError {
  const body = parseJsonLenient(bodyText);
  const fields = readOpenAICompatibleErrorFields(body);
  const trimmed = bodyText.trim();
  const plainText = body === undefined && trimmed !== '' && !trimmed.startsWith('<') && trimmed.length <= 300 ? trimmed : undefined;
  const retryAfter = parseRetryAfter(headers, clock);
  return toOpenAICompatibleGatewayError(
    { status, fields, ...(plainText !== undefined ? { text: plainText } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}) },
    quirks,
    target,
  );
}

/**
 * An error carried inside a successful body or stream event (`{"error":…}`, MiniMax non-zero `base_resp`);
 * undefined when the payload is not an error.
 */
export function findOpenAICompatiblePayloadError(
  payload: unknown,
  target: UpstreamTarget,
  quirks: OpenAICompatibleQuirks,
): GatewayError | undefined {
  if (!isJsonRecord(payload)) return undefined;
  const hasError = payload.error !== undefined && payload.error !== null;
  const failedBaseResp = quirks.baseResp && isJsonRecord(payload.base_resp) && isNonZero(payload.base_resp.status_code);
  if (!hasError && !failedBaseResp) return undefined;
  const fields = readOpenAICompatibleErrorFields(
    hasError ? { error: payload.error, code: payload.code } : { base_resp: payload.base_resp },
  );
  return toOpenAICompatibleGatewayError({ status: statusInPayload(payload), fields }, quirks, target);
}

/** DeepSeek may send blank lines before a JSON body while a request waits in its queue. */
export function parseJsonLenient(text: string): unknown {
  return parseJsonText(text.trim());
}

/** Some streams put an HTTP-like status in the error event; 0 means "none given". */
function statusInPayload(payload: Record<string, unknown>): number {
  const error = payload.error;
  const status = isJsonRecord(error) ? (error.status ?? error.http_status) : payload.status;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 0;
}

function isNonZero(code: unknown): boolean {
  return code !== undefined && code !== null && code !== 0 && code !== '0';
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function compact(fields: OpenAICompatibleErrorFields): OpenAICompatibleErrorFields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as OpenAICompatibleErrorFields;
}
