/**
 * Kling errors: `{"code": <int>, "message", "request_id"}`. HTTP 429 carries both rate limits (1302/1303)
 * and billing problems (1101/1102), so the numeric code decides, not the status.
 */
import { readCodeAndMessage, type TaskErrorStructure } from '../task-error-structure.js';

export const klingErrorStructure: TaskErrorStructure = {
  provider: 'kling',
  // Only a numeric `code` marks a Kling error body; a bare message is not one.
  readError: (body) =>
    typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'number' ? readCodeAndMessage(body) : undefined,
  codeRules: [
    [/^100[0-4]$/, 'upstream_auth_failed'],
    [/^110[0-3]$/, 'upstream_error'],
    [/^(1200|1201|1300)$/, 'invalid_request'],
    [/^(1202|1203|1304)$/, 'upstream_error'],
    [/^1301$/, 'content_policy_violation'],
    [/^130[23]$/, 'rate_limit_exceeded'],
    [/^5001$/, 'upstream_unavailable'],
    [/^5002$/, 'upstream_timeout'],
    // Any other code from 5000 up is a server-side failure.
    [/^([5-9]\d{3}|[1-9]\d{4,})$/, 'upstream_error'],
  ],
};
