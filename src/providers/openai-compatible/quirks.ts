/**
 * Per-provider deviations from OpenAI's chat wire format, as data. Code in this folder reads these rows and never
 * branches on a provider id. Sources: shared/docs/providers.md §4 (one subsection per provider), §8.2–8.5.
 */
import type { OpenAIFinishReason } from '../openai/chat-types.js';
import {
  openAICompatibleDefaultParams,
  openAICompatibleParamSupport,
  type OpenAICompatibleParamTable,
  type OpenAICompatibleProviderId,
} from './param-support.js';

/** What an upstream error or business code means for the client. */
export type OpenAICompatibleErrorClass =
  | 'invalid_request'
  | 'context_length'
  | 'content_policy'
  | 'upstream_auth'
  /** The upstream account is out of money: our problem, not the client's. */
  | 'upstream_balance'
  | 'rate_limit'
  | 'overloaded'
  | 'timeout'
  | 'payload_too_large'
  | 'upstream_error';

export interface OpenAICompatibleUsageQuirks {
  /** Dotted paths into `usage`, first present wins. */
  cachedTokens: readonly string[];
  cacheWriteTokens: readonly string[];
  /** xAI reports reasoning tokens outside `completion_tokens`. */
  completionExcludesReasoning: boolean;
  /** xAI may report `prompt_tokens` without the cached part. */
  promptMayExcludeCached: boolean;
  /** Moonshot puts usage in `choices[0].usage` of the final chunk. */
  inChoice: boolean;
}

export interface OpenAICompatibleQuirks {
  /** Appended to the channel base URL. */
  chatPath: string;
  /** Whether the upstream accepts `stream_options: {include_usage: true}`. */
  streamUsageOption: boolean;
  /**
   * Fields the parameter table does not name: dropped with a warning, or refused with 400. Nothing unnamed is
   * ever forwarded, since an upstream extra may cost more than the tokens the catalog prices.
   */
  unknownFields: 'drop' | 'reject';
  params: OpenAICompatibleParamTable;
  /** Body fields set when the call is not streamed and the client did not set them. */
  nonStreamDefaults: Readonly<Record<string, unknown>>;
  developerRole: 'keep' | 'system';
  /** Zhipu wants raw base64 where OpenAI takes a `data:` URL. */
  imageDataUrl: 'keep' | 'strip-prefix';
  /** Content part types the upstream takes; 'any' passes everything. */
  contentParts: readonly string[] | 'any';
  /** How a previous turn's `reasoning_content` goes back upstream. */
  assistantReasoning: 'field' | 'think-tags' | 'strip';
  /** Message/delta fields carrying reasoning text, first present wins. */
  reasoningFields: readonly string[];
  /** MiniMax `reasoning_details: [{text}]` (with `reasoning_split`). */
  reasoningDetails: boolean;
  /** MiniMax M2 inlines reasoning in `content` inside `<think>…</think>`. */
  thinkTagsInContent: boolean;
  usage: OpenAICompatibleUsageQuirks;
  /** Finish reasons beyond OpenAI's, mapped to OpenAI's. */
  finishReasons: Readonly<Record<string, OpenAIFinishReason>>;
  /** Error `code`/`type` values (business codes as strings) and what they mean. */
  errorCodes: Readonly<Record<string, OpenAICompatibleErrorClass>>;
  /** MiniMax wraps results in `base_resp: {status_code, status_msg}`; non-zero is an error even on HTTP 200. */
  baseResp: boolean;
  /**
   * Anthropic's `cache_control` hint on content parts and tools. DashScope honours it (explicit caching); strict
   * upstreams reject the unknown field with a 400 and cache prompts automatically, so it is silently removed.
   */
  cacheControl: 'keep' | 'strip';
}

const standardUsage: OpenAICompatibleUsageQuirks = {
  cachedTokens: ['prompt_tokens_details.cached_tokens'],
  cacheWriteTokens: [],
  completionExcludesReasoning: false,
  promptMayExcludeCached: false,
  inChoice: false,
};

const base: Omit<OpenAICompatibleQuirks, 'params'> = {
  chatPath: '/chat/completions',
  streamUsageOption: true,
  unknownFields: 'drop',
  nonStreamDefaults: {},
  developerRole: 'keep',
  imageDataUrl: 'keep',
  contentParts: ['text', 'image_url'],
  assistantReasoning: 'field',
  reasoningFields: ['reasoning_content', 'reasoning'],
  reasoningDetails: false,
  thinkTagsInContent: false,
  usage: standardUsage,
  finishReasons: {},
  errorCodes: {},
  baseResp: false,
  cacheControl: 'strip',
};

export const openAICompatibleQuirks: Readonly<Record<OpenAICompatibleProviderId, OpenAICompatibleQuirks>> = {
  openai: {
    ...base,
    params: openAICompatibleParamSupport.openai,
    // OpenAI's clients expect what they send to take effect; a field that would be left out is refused instead.
    unknownFields: 'reject',
    // Audio input is billed at audio-token rates the catalog does not price; files bill as text and image tokens.
    contentParts: ['text', 'image_url', 'file'],
    // OpenAI has no reasoning_content input field; strict servers reject unknown message fields.
    assistantReasoning: 'strip',
  },
  xai: {
    ...base,
    params: openAICompatibleParamSupport.xai,
    assistantReasoning: 'strip',
    usage: { ...standardUsage, completionExcludesReasoning: true, promptMayExcludeCached: true },
  },
  deepseek: {
    ...base,
    params: openAICompatibleParamSupport.deepseek,
    developerRole: 'system',
    usage: { ...standardUsage, cachedTokens: ['prompt_cache_hit_tokens', 'prompt_tokens_details.cached_tokens'] },
    finishReasons: { insufficient_system_resource: 'length' },
  },
  alibaba: {
    ...base,
    params: openAICompatibleParamSupport.alibaba,
    // The channel base URL is the bare DashScope host, shared with the native video API.
    chatPath: '/compatible-mode/v1/chat/completions',
    // Hybrid Qwen3 models fail non-streamed calls while thinking is on.
    nonStreamDefaults: { enable_thinking: false },
    developerRole: 'system',
    contentParts: ['text', 'image_url', 'input_audio', 'video_url'],
    // Explicit context cache: `cache_control: {type: 'ephemeral'}` on text parts, at most 4 per request.
    cacheControl: 'keep',
    usage: {
      ...standardUsage,
      cacheWriteTokens: ['prompt_tokens_details.cache_creation_input_tokens'],
    },
    errorCodes: {
      DataInspectionFailed: 'content_policy',
      data_inspection_failed: 'content_policy',
      Arrearage: 'upstream_balance',
      InvalidApiKey: 'upstream_auth',
      invalid_api_key: 'upstream_auth',
      AccessDenied: 'upstream_auth',
      Throttling: 'rate_limit',
      'Throttling.RateQuota': 'rate_limit',
      'Throttling.AllocationQuota': 'rate_limit',
      limit_requests: 'rate_limit',
    },
  },
  zhipu: {
    ...base,
    params: openAICompatibleParamSupport.zhipu,
    streamUsageOption: false,
    developerRole: 'system',
    imageDataUrl: 'strip-prefix',
    contentParts: ['text', 'image_url', 'video_url', 'file_url'],
    finishReasons: { sensitive: 'content_filter', network_error: 'stop', model_context_window_exceeded: 'length' },
    errorCodes: {
      '1000': 'upstream_auth',
      '1001': 'upstream_auth',
      '1002': 'upstream_auth',
      '1003': 'upstream_auth',
      '1004': 'upstream_auth',
      '1113': 'upstream_balance',
      '1211': 'upstream_error',
      '1214': 'invalid_request',
      '1261': 'context_length',
      '1301': 'content_policy',
      '1302': 'rate_limit',
      '1303': 'rate_limit',
    },
  },
  minimax: {
    ...base,
    params: openAICompatibleParamSupport.minimax,
    streamUsageOption: false,
    developerRole: 'system',
    assistantReasoning: 'think-tags',
    reasoningDetails: true,
    thinkTagsInContent: true,
    baseResp: true,
    errorCodes: {
      '1002': 'rate_limit',
      '1004': 'upstream_auth',
      '2049': 'upstream_auth',
      '1008': 'upstream_balance',
      '1026': 'content_policy',
      '1027': 'content_policy',
      '2013': 'invalid_request',
    },
  },
  xiaomi: {
    ...base,
    params: openAICompatibleParamSupport.xiaomi,
  },
  moonshot: {
    ...base,
    params: openAICompatibleParamSupport.moonshot,
    developerRole: 'system',
    contentParts: ['text', 'image_url', 'video_url'],
    usage: { ...standardUsage, cachedTokens: ['cached_tokens', 'prompt_tokens_details.cached_tokens'], inChoice: true },
    errorCodes: {
      exceeded_current_quota_error: 'upstream_balance',
      rate_limit_reached_error: 'rate_limit',
      invalid_authentication_error: 'upstream_auth',
      content_filter: 'content_policy',
    },
  },
};

/** A provider without a row of its own: a plain OpenAI-compatible server. */
export const openAICompatibleDefaultQuirks: OpenAICompatibleQuirks = { ...base, params: openAICompatibleDefaultParams };

export function getOpenAICompatibleQuirks(provider: string): OpenAICompatibleQuirks {
  return Object.hasOwn(openAICompatibleQuirks, provider)
    ? openAICompatibleQuirks[provider as OpenAICompatibleProviderId]
    : openAICompatibleDefaultQuirks;
}
