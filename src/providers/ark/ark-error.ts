/**
 * Volcengine Ark / BytePlus ModelArk errors: `{"error":{"code","message"}}` on the image and task APIs alike
 * (some gateways in front of Ark answer with a top-level `message`). Codes are dotted families such as
 * `InvalidParameter.Size` or `RateLimitExceeded.EndpointRPMExceeded`, so they are matched by prefix.
 */
import { readCodeAndMessage, type TaskErrorStructure } from '../task-error-structure.js';

export const arkErrorStructure: TaskErrorStructure = {
  provider: 'ark',
  readError: (body) => readCodeAndMessage(body, 'error'),
  codeRules: [
    [/SensitiveContentDetected|RiskDetection|ContentRestricted/, 'content_policy_violation'],
    [/^(InvalidParameter|MissingParameter|InvalidArgument)/, 'invalid_request'],
    [/^(AuthenticationError|InvalidAccessKey|Unauthorized)/, 'upstream_auth_failed'],
    [/RateLimitExceeded|^(QuotaExceeded|RequestBurstTooFast|InflightBatchsizeExceeded)/, 'rate_limit_exceeded'],
    [/^ServerOverloaded/, 'upstream_unavailable'],
    [/^(AccessDenied|OperationDenied|AccountOverdueError|ModelNotOpen|InvalidEndpointOrModel|SetLimitExceeded)/, 'upstream_error'],
    [/^(InternalServiceError|InternalError)/, 'upstream_error'],
  ],
};
