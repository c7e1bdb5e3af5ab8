/**
 * Kling errors: `{"code": <int>, "message", "request_id"}`. HTTP 429 carries both rate limits (1302/1303)
 * and billing problems (1101/1102), so the numeric code decides, not the status.
 */
import type { ErrorCode, GatewayError } from '../../errors.js';
import { errorCodeForStatus, parseJsonText, toUpstreamGatewayError } from '../task-types.js';

/** Maps a Kling business code to ours; undefined when the code is unknown. */
export function mapKlingErrorCode(code: number): ErrorCode | undefined {
  if (code >= 1000 && code <= 1004) return 'upstream_auth_failed';
  if (code >= 1100 && code <= 1103) return 'upstream_error';
  if (code === 1200 || code === 1201 || code === 1300) return 'invalid_request';
  if (code === 1202 || code === 1203 || code === 1304) return 'upstream_error';
  if (code === 1301) return 'content_policy_violation';
  if (code === 1302 || code === 1303) return 'rate_limit_exceeded';
  if (code === 5001) return 'upstream_unavailable';
  if (code === 5002) return 'upstream_timeout';
  if (code >= 5000) return 'upstream_error';
  return undefined;
}

export interface KlingErrorData {
  code: number;
  message: string | undefined;
}

export function readKlingErrorData(body: unknown): KlingErrorData | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.code !== 'number') return undefined;
  return { code: record.code, message: typeof record.message === 'string' ? record.message : undefined };
}

export function parseKlingError(status: number, headers: Record<string, string>, bodyText: string): GatewayError {
  const data = readKlingErrorData(parseJsonText(bodyText));
  const code = (data === undefined ? undefined : mapKlingErrorCode(data.code)) ?? errorCodeForStatus(status);
  return toUpstreamGatewayError(code, status, headers, data?.message);
}
