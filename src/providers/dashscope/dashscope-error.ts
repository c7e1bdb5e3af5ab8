/**
 * DashScope native errors: `{"code": "InvalidParameter", "message", "request_id"}`. A create call may also
 * answer 200 with a non-empty `code`, which is an error all the same.
 */
import { readCodeAndMessage, type TaskErrorStructure } from '../task-error-structure.js';

export const dashScopeErrorStructure: TaskErrorStructure = {
  provider: 'dashscope',
  // Only a non-empty string `code` marks an error: a task body carries `output`, not `code`.
  readError: (body) => {
    const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
    return typeof code === 'string' && code !== '' ? readCodeAndMessage(body) : undefined;
  },
  codeRules: [
    [/^InvalidApiKey/, 'upstream_auth_failed'],
    [/^AccessDenied/, 'upstream_auth_failed'],
    [/^(DataInspection|IPInfringementSuspect)|^data_inspection_failed$/, 'content_policy_violation'],
    [/^(InvalidParameter|InvalidURL|InvalidFile|MissingParameter)|^invalid_parameter_error$/, 'invalid_request'],
    [/^Throttling/, 'rate_limit_exceeded'],
    [/^(Arrearage|Model\.AccessDenied|ModelNotFound|InternalError|SystemError)/, 'upstream_error'],
  ],
};
