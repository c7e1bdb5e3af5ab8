/**
 * Volcengine Ark / BytePlus ModelArk errors: `{"error":{"code","message"}}` on the image and task APIs alike
 * (some gateways in front of Ark answer with a top-level `message`). Codes are dotted families such as
 * `InvalidParameter.Size` or `RateLimitExceeded.EndpointRPMExceeded`, so they are matched by prefix.
 */
import type { ErrorCode, GatewayError } from '../../errors.js';
import { errorCodeForStatus, parseJsonText, toUpstreamGatewayError } from '../task-types.js';

/** First matching rule wins; each pattern is tested against the whole upstream code. */
const arkCodeRules: ReadonlyArray<readonly [RegExp, ErrorCode]> = [
  [/SensitiveContentDetected|RiskDetection|ContentRestricted/, 'content_policy_violation'],
  [/^(InvalidParameter|MissingParameter|InvalidArgument)/, 'invalid_request'],
  [/^(AuthenticationError|InvalidAccessKey|Unauthorized)/, 'upstream_auth_failed'],
  [/RateLimitExceeded|^(QuotaExceeded|RequestBurstTooFast|InflightBatchsizeExceeded)/, 'rate_limit_exceeded'],
  [/^ServerOverloaded/, 'upstream_unavailable'],
  [/^(AccessDenied|OperationDenied|AccountOverdueError|ModelNotOpen|InvalidEndpointOrModel|SetLimitExceeded)/, 'upstream_error'],
  [/^(InternalServiceError|InternalError)/, 'upstream_error'],
];

/** Maps an Ark error code to ours; undefined when the code is unknown. */
export function mapArkErrorCode(code: string): ErrorCode | undefined {
  return arkCodeRules.find(([pattern]) => pattern.test(code))?.[1];
}

export interface ArkErrorData {
  code: string | undefined;
  message: string | undefined;
}

/** Reads `{error:{code,message}}` or a top-level `{code,message}` from a parsed body. */
export function readArkErrorData(body: unknown): ArkErrorData | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const inner = typeof record.error === 'object' && record.error !== null ? (record.error as Record<string, unknown>) : record;
  const code = typeof inner.code === 'string' ? inner.code : undefined;
  const message = typeof inner.message === 'string' ? inner.message : undefined;
  return code === undefined && message === undefined ? undefined : { code, message };
}

export function parseArkError(status: number, headers: Record<string, string>, bodyText: string): GatewayError {
  const data = readArkErrorData(parseJsonText(bodyText));
  const code = (data?.code === undefined ? undefined : mapArkErrorCode(data.code)) ?? errorCodeForStatus(status);
  return toUpstreamGatewayError(code, status, headers, data?.message);
}
