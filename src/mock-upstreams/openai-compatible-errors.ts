/**
 * Provider-shaped error bodies for the OpenAI-compatible mocks (providers.md §4 and §8.5): OpenAI's
 * `{error:{message,type,param,code}}` and each provider's variant of it, Zhipu's digit-string business codes,
 * MiniMax's `base_resp`, DashScope's `request_id`, xAI's flat `{code, error}` on authentication failures.
 */
import type { OpenAICompatibleMockProviderId } from './openai-compatible-profiles.js';

export type MockErrorKind = 'invalid_request' | 'authentication' | 'insufficient_balance' | 'not_found' | 'rate_limit' | 'server' | 'overloaded';

export function toOpenAICompatibleErrorBody(provider: OpenAICompatibleMockProviderId, kind: MockErrorKind, message: string): unknown {
  switch (provider) {
    case 'openai':
    case 'xiaomi':
      return toOpenAIErrorBody(kind, message);
    case 'xai':
      return kind === 'authentication'
        ? { code: 'The caller does not have permission to execute the specified operation', error: message }
        : toOpenAIErrorBody(kind, message);
    case 'deepseek':
      return { error: { message, type: deepSeekErrorTypes[kind], param: null, code: 'invalid_request_error' } };
    case 'alibaba':
      return {
        error: { message, type: dashScopeErrors[kind][0], param: null, code: dashScopeErrors[kind][1] },
        request_id: '8f0c1d2e-3b4a-4c5d-9e6f-7a8b9c0d1e2f',
      };
    case 'zhipu':
      return { error: { code: zhipuErrorCodes[kind], message } };
    case 'minimax':
      return { base_resp: { status_code: miniMaxStatusCodes[kind], status_msg: message } };
    case 'moonshot':
      return { error: { message, type: moonshotErrorTypes[kind] } };
    default:
      return provider satisfies never;
  }
}

export function mapMockErrorKind(status: number): MockErrorKind {
  if (status === 401 || status === 403) return 'authentication';
  if (status === 402) return 'insufficient_balance';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  return status >= 500 ? 'server' : 'invalid_request';
}

export const mockErrorMessages: Record<MockErrorKind, string> = {
  invalid_request: 'Invalid request.',
  authentication: 'Incorrect API key provided.',
  insufficient_balance: 'Insufficient balance.',
  not_found: 'The model does not exist or you do not have access to it.',
  rate_limit: 'Rate limit reached for requests. Please try again in 1s.',
  server: 'The server had an error while processing your request.',
  overloaded: 'The server is overloaded. Please try again later.',
};

const openAIErrors: Record<MockErrorKind, [type: string, code: string | null]> = {
  invalid_request: ['invalid_request_error', null],
  authentication: ['invalid_request_error', 'invalid_api_key'],
  insufficient_balance: ['insufficient_quota', 'insufficient_quota'],
  not_found: ['invalid_request_error', 'model_not_found'],
  rate_limit: ['requests', 'rate_limit_exceeded'],
  server: ['server_error', null],
  overloaded: ['server_error', null],
};

function toOpenAIErrorBody(kind: MockErrorKind, message: string) {
  return { error: { message, type: openAIErrors[kind][0], param: null, code: openAIErrors[kind][1] } };
}

const deepSeekErrorTypes: Record<MockErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  insufficient_balance: 'unknown_error',
  not_found: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  server: 'server_error',
  overloaded: 'server_error',
};

const dashScopeErrors: Record<MockErrorKind, [type: string, code: string]> = {
  invalid_request: ['invalid_request_error', 'invalid_parameter_error'],
  authentication: ['invalid_request_error', 'invalid_api_key'],
  insufficient_balance: ['Arrearage', 'Arrearage'],
  not_found: ['invalid_request_error', 'model_not_found'],
  rate_limit: ['limit_requests', 'limit_requests'],
  server: ['internal_error', 'internal_error'],
  overloaded: ['internal_error', 'ServiceUnavailable'],
};

/** Zhipu business codes travel as strings of digits (docs.z.ai api-code). */
const zhipuErrorCodes: Record<MockErrorKind, string> = {
  invalid_request: '1214',
  authentication: '1002',
  insufficient_balance: '1113',
  not_found: '1211',
  rate_limit: '1302',
  server: '500',
  overloaded: '1305',
};

const miniMaxStatusCodes: Record<MockErrorKind, number> = {
  invalid_request: 2013,
  authentication: 1004,
  insufficient_balance: 1008,
  not_found: 2013,
  rate_limit: 1002,
  server: 1000,
  overloaded: 1000,
};

const moonshotErrorTypes: Record<MockErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'invalid_authentication_error',
  insufficient_balance: 'exceeded_current_quota_error',
  not_found: 'resource_not_found_error',
  rate_limit: 'rate_limit_reached_error',
  server: 'server_error',
  overloaded: 'engine_overloaded_error',
};

const miniMaxStatusMessages: Record<number, string> = {
  1000: 'unknown error',
  1002: 'rate limit exceeded(RPM)',
  1004: 'login fail',
  1008: 'insufficient balance',
  1026: 'input new_sensitive',
  1027: 'output new_sensitive',
  2013: 'invalid params',
  2049: 'invalid api key',
};

/** MiniMax's HTTP 200 failure: an otherwise empty completion whose base_resp carries the error. */
export function toMiniMaxBaseRespBody(statusCode: number, id: string, model: string, created: number): unknown {
  return {
    id,
    choices: null,
    created,
    model,
    object: 'chat.completion',
    usage: { total_tokens: 0 },
    input_sensitive: false,
    output_sensitive: false,
    base_resp: { status_code: statusCode, status_msg: miniMaxStatusMessages[statusCode] ?? 'error' },
  };
}
