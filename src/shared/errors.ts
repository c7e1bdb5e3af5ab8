/**
 * The one error catalog. Every failure that leaves the gateway is a GatewayError with a code from this table,
 * rendered by api/error-handler.ts as OpenAI's `{"error":{"message","type","code","param"}}`.
 * The README's "Errors" section documents each code; keep the two in step.
 */

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'upstream_error'
  | 'server_error';

interface CatalogEntry {
  status: number;
  type: OpenAIErrorType;
  message: string;
}

export const errorCatalog = {
  invalid_json: { status: 400, type: 'invalid_request_error', message: 'The request body is not valid JSON.' },
  invalid_request: { status: 400, type: 'invalid_request_error', message: 'The request is invalid.' },
  unsupported_parameter: { status: 400, type: 'invalid_request_error', message: 'A parameter is not supported by this model.' },
  context_length_exceeded: { status: 400, type: 'invalid_request_error', message: 'The prompt exceeds the model context length.' },
  content_policy_violation: { status: 400, type: 'invalid_request_error', message: 'The request was rejected by the provider content policy.' },
  image_fetch_failed: { status: 400, type: 'invalid_request_error', message: 'An image URL could not be fetched.' },
  missing_api_key: { status: 401, type: 'authentication_error', message: 'No API key was provided. Send it as "Authorization: Bearer th-...".' },
  invalid_api_key: { status: 401, type: 'authentication_error', message: 'The API key is invalid.' },
  invalid_credentials: { status: 401, type: 'authentication_error', message: 'Invalid email or password.' },
  insufficient_quota: { status: 402, type: 'insufficient_quota', message: 'The account balance is too low for this request.' },
  spend_limit_exceeded: { status: 402, type: 'insufficient_quota', message: 'The API key spend limit is reached.' },
  key_disabled: { status: 403, type: 'permission_error', message: 'The API key is revoked or expired.' },
  user_disabled: { status: 403, type: 'permission_error', message: 'The account is disabled.' },
  forbidden: { status: 403, type: 'permission_error', message: 'Not allowed.' },
  model_not_allowed: { status: 403, type: 'permission_error', message: 'This API key may not use this model.' },
  ip_not_allowed: { status: 403, type: 'permission_error', message: 'This API key may not be used from this address.' },
  not_found: { status: 404, type: 'not_found_error', message: 'Not found.' },
  model_not_found: { status: 404, type: 'not_found_error', message: 'The model does not exist or is not available.' },
  conflict: { status: 409, type: 'invalid_request_error', message: 'The request conflicts with the current state.' },
  payload_too_large: { status: 413, type: 'invalid_request_error', message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', message: 'Content-Type must be application/json.' },
  rate_limit_exceeded: { status: 429, type: 'rate_limit_error', message: 'Rate limit exceeded. Retry later.' },
  internal_error: { status: 500, type: 'server_error', message: 'Something unexpected happened.' },
  upstream_error: { status: 502, type: 'upstream_error', message: 'The upstream provider returned an error.' },
  upstream_auth_failed: { status: 502, type: 'upstream_error', message: 'The gateway could not authenticate with the upstream provider.' },
  upstream_bad_response: { status: 502, type: 'upstream_error', message: 'The upstream provider returned an unreadable response.' },
  stream_truncated: { status: 502, type: 'upstream_error', message: 'The upstream stream ended before it was complete.' },
  upstream_unavailable: { status: 503, type: 'upstream_error', message: 'The upstream provider is overloaded or unavailable.' },
  no_channel: { status: 503, type: 'upstream_error', message: 'No upstream channel is available for this model.' },
  shutting_down: { status: 503, type: 'server_error', message: 'The gateway is shutting down; retry the request.' },
  upstream_timeout: { status: 504, type: 'upstream_error', message: 'The upstream provider did not answer in time.' },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof errorCatalog;

export interface GatewayErrorOptions {
  message?: string;
  param?: string | null;
  /** Overrides the catalog status (e.g. an upstream 4xx passed through with its own status). */
  status?: number;
  retryable?: boolean;
  /** Seconds, passed on as the `retry-after` header. */
  retryAfter?: number;
  /** Status the upstream answered with, for logs only. */
  upstreamStatus?: number;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly retryAfter: number | undefined;
  readonly upstreamStatus: number | undefined;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    const entry = errorCatalog[code];
    super(options.message ?? entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.type = entry.type;
    this.param = options.param ?? null;
    this.retryable = options.retryable ?? (this.status === 408 || this.status === 429 || this.status >= 500);
    this.retryAfter = options.retryAfter;
    this.upstreamStatus = options.upstreamStatus;
  }

  toBody(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, code: this.code, param: this.param } };
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
