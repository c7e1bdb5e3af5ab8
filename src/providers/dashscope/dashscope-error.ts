/**
 * DashScope native errors: `{"code": "InvalidParameter", "message", "request_id"}`. A create call may also
 * answer 200 with a non-empty `code`, which is an error all the same.
 */
import type { ErrorCode, GatewayError } from '../../errors.js';
import { errorCodeForStatus, parseJsonText, toUpstreamGatewayError } from '../task-types.js';

const dashScopeCodeRules: ReadonlyArray<readonly [RegExp, ErrorCode]> = [
  [/^InvalidApiKey/, 'upstream_auth_failed'],
  [/^AccessDenied/, 'upstream_auth_failed'],
  [/^(DataInspection|IPInfringementSuspect)|^data_inspection_failed$/, 'content_policy_violation'],
  [/^(InvalidParameter|InvalidURL|InvalidFile|MissingParameter)|^invalid_parameter_error$/, 'invalid_request'],
  [/^Throttling/, 'rate_limit_exceeded'],
  [/^(Arrearage|Model\.AccessDenied|ModelNotFound|InternalError|SystemError)/, 'upstream_error'],
];

export function mapDashScopeErrorCode(code: string): ErrorCode | undefined {
  return dashScopeCodeRules.find(([pattern]) => pattern.test(code))?.[1];
}

export interface DashScopeErrorData {
  code: string;
  message: string | undefined;
}

export function readDashScopeErrorData(body: unknown): DashScopeErrorData | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.code !== 'string' || record.code === '') return undefined;
  return { code: record.code, message: typeof record.message === 'string' ? record.message : undefined };
}

export function parseDashScopeError(status: number, headers: Record<string, string>, bodyText: string): GatewayError {
  const data = readDashScopeErrorData(parseJsonText(bodyText));
  const code = (data === undefined ? undefined : mapDashScopeErrorCode(data.code)) ?? errorCodeForStatus(status);
  return toUpstreamGatewayError(code, status, headers, data?.message);
}
