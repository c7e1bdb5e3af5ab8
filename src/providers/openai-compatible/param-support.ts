/**
 * What each OpenAI-compatible upstream does with every top-level request parameter, as data the README renders.
 * A parameter is passed on, renamed, dropped with a TranslationWarning, or rejected with 400
 * `unsupported_parameter`; `accept` rejects values the upstream cannot take instead of clamping them.
 * Sources: shared/docs/providers.md §4 and §8.2, plus the provider pages named in test/fixtures/openai-compatible/README.md.
 */

/** A condition a value must meet; a value that fails it is rejected, never adjusted. */
export type OpenAICompatibleValueCheck =
  | { kind: 'range'; min: number; max: number; minExclusive?: boolean }
  /** Compared against the value itself, or its `type` for objects (`{type:'function'}` → `function`). */
  | { kind: 'oneOf'; values: readonly string[] }
  /** For string-or-array fields: a string counts as one item. */
  | { kind: 'maxItems'; max: number };

/**
 * An extra the upstream bills beyond tokens, passed only where the model's catalog price covers it:
 * `serviceTier` values other than the standard tier need `pricing.serviceTiers`, `webSearch` needs
 * `pricing.webSearchPerKCalls`. Anything else is refused with 400 rather than billed at the plain token price.
 */
export type OpenAICompatiblePricedExtra = 'serviceTier' | 'webSearch';

export type OpenAICompatibleParamRule =
  | { action: 'pass'; accept?: OpenAICompatibleValueCheck; asArray?: boolean; priced?: OpenAICompatiblePricedExtra; note?: string }
  | { action: 'rename'; to: string; accept?: OpenAICompatibleValueCheck; note?: string }
  | { action: 'drop'; note: string; accept?: OpenAICompatibleValueCheck }
  | { action: 'reject'; note: string };

export type OpenAICompatibleParamTable = Readonly<Record<string, OpenAICompatibleParamRule>>;

export const openAICompatibleProviderIds = ['openai', 'xai', 'deepseek', 'alibaba', 'zhipu', 'minimax', 'xiaomi', 'moonshot'] as const;
export type OpenAICompatibleProviderId = (typeof openAICompatibleProviderIds)[number];

/** Fields of chatRequestSchema every table row covers (model, messages, stream, stream_options are structural). */
export const openAICompatibleStandardParams = [
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'n',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'user',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
] as const;

const pass: OpenAICompatibleParamRule = { action: 'pass' };

function allStandardPass(): Record<string, OpenAICompatibleParamRule> {
  return Object.fromEntries(openAICompatibleStandardParams.map((p) => [p, pass]));
}

function passAll(names: readonly string[]): Record<string, OpenAICompatibleParamRule> {
  return Object.fromEntries(names.map((p) => [p, pass]));
}

const oneChoiceOnly = { kind: 'range', min: 1, max: 1 } as const;

const openai: OpenAICompatibleParamTable = {
  ...allStandardPass(),
  // OpenAI's own extras that cost nothing beyond tokens; anything unlisted is refused (quirks.unknownFields).
  ...passAll(['logprobs', 'top_logprobs', 'logit_bias', 'metadata', 'store', 'prompt_cache_key', 'safety_identifier', 'prediction', 'verbosity']),
  service_tier: { action: 'pass', priced: 'serviceTier' },
  web_search_options: { action: 'pass', priced: 'webSearch' },
  modalities: { action: 'pass', accept: { kind: 'oneOf', values: ['["text"]'] } },
  audio: { action: 'reject', note: 'audio output is billed at audio-token rates this gateway does not price' },
};

const xai: OpenAICompatibleParamTable = {
  ...allStandardPass(),
  max_tokens: { action: 'rename', to: 'max_completion_tokens', note: 'xAI takes max_completion_tokens' },
  ...passAll(['logprobs', 'top_logprobs']),
  service_tier: { action: 'pass', priced: 'serviceTier' },
  search_parameters: { action: 'reject', note: 'Live Search is billed per source used, which this gateway does not price' },
};

const deepseek: OpenAICompatibleParamTable = {
  ...allStandardPass(),
  max_completion_tokens: { action: 'rename', to: 'max_tokens', note: 'DeepSeek takes max_tokens' },
  n: { action: 'drop', accept: oneChoiceOnly, note: 'DeepSeek always returns one choice' },
  seed: { action: 'drop', note: 'DeepSeek has no seed parameter' },
  response_format: { action: 'pass', accept: { kind: 'oneOf', values: ['text', 'json_object'] } },
  ...passAll(['thinking', 'logprobs', 'top_logprobs']),
};

const alibaba: OpenAICompatibleParamTable = {
  ...allStandardPass(),
  max_completion_tokens: { action: 'rename', to: 'max_tokens', note: 'DashScope takes max_tokens' },
  reasoning_effort: { action: 'drop', note: 'DashScope controls thinking with enable_thinking and thinking_budget' },
  ...passAll(['enable_thinking', 'thinking_budget', 'top_k', 'repetition_penalty', 'logprobs', 'top_logprobs', 'vl_high_resolution_images']),
  enable_search: { action: 'reject', note: 'web search is billed per call, which this gateway does not price' },
  search_options: { action: 'reject', note: 'web search is billed per call, which this gateway does not price' },
};

const zhipu: OpenAICompatibleParamTable = {
  ...allStandardPass(),
  max_completion_tokens: { action: 'rename', to: 'max_tokens', note: 'Zhipu takes max_tokens' },
  temperature: { action: 'pass', accept: { kind: 'range', min: 0, max: 1 } },
  top_p: { action: 'pass', accept: { kind: 'range', min: 0.01, max: 1 } },
  n: { action: 'drop', accept: oneChoiceOnly, note: 'Zhipu always returns one choice' },
  stop: { action: 'pass', asArray: true, accept: { kind: 'maxItems', max: 1 }, note: 'Zhipu takes one stop word, as an array' },
  seed: { action: 'drop', note: 'Zhipu has no seed parameter' },
  presence_penalty: { action: 'drop', note: 'Zhipu has no presence_penalty' },
  frequency_penalty: { action: 'drop', note: 'Zhipu has no frequency_penalty' },
  user: { action: 'drop', note: 'Zhipu takes an end-user id only as user_id (6-128 characters)' },
  tool_choice: { action: 'pass', accept: { kind: 'oneOf', values: ['auto'] } },
  parallel_tool_calls: { action: 'drop', note: 'Zhipu has no parallel_tool_calls switch' },
  response_format: { action: 'pass', accept: { kind: 'oneOf', values: ['text', 'json_object'] } },
  reasoning_effort: { action: 'drop', note: 'Zhipu controls thinking with thinking: {type}' },
  ...passAll(['thinking', 'tool_stream', 'do_sample', 'request_id', 'user_id']),
};

const minimax: OpenAICompatibleParamTable = {
  ...allStandardPass(),
  max_tokens: { action: 'rename', to: 'max_completion_tokens', note: 'MiniMax deprecates max_tokens' },
  temperature: { action: 'pass', accept: { kind: 'range', min: 0, max: 1, minExclusive: true } },
  top_p: { action: 'pass', accept: { kind: 'range', min: 0, max: 1, minExclusive: true } },
  n: { action: 'pass', accept: oneChoiceOnly },
  seed: { action: 'drop', note: 'MiniMax has no seed parameter' },
  presence_penalty: { action: 'drop', note: 'MiniMax M2 ignores presence_penalty' },
  frequency_penalty: { action: 'drop', note: 'MiniMax M2 ignores frequency_penalty' },
  tool_choice: { action: 'drop', accept: { kind: 'oneOf', values: ['auto'] }, note: 'MiniMax always chooses tools itself' },
  parallel_tool_calls: { action: 'drop', note: 'MiniMax has no parallel_tool_calls switch' },
  response_format: { action: 'drop', accept: { kind: 'oneOf', values: ['text'] }, note: 'MiniMax M2 has no JSON mode' },
  reasoning_effort: { action: 'drop', note: 'MiniMax M2 always thinks' },
  ...passAll(['reasoning_split', 'thinking']),
};

const xiaomi: OpenAICompatibleParamTable = {
  ...allStandardPass(),
  max_tokens: { action: 'rename', to: 'max_completion_tokens', note: 'MiMo documents max_completion_tokens' },
  reasoning_effort: { action: 'drop', note: 'MiMo controls thinking with thinking: {type}' },
  ...passAll(['thinking']),
};

const moonshot: OpenAICompatibleParamTable = {
  ...allStandardPass(),
  max_completion_tokens: { action: 'rename', to: 'max_tokens', note: 'Moonshot takes max_tokens' },
  temperature: { action: 'pass', accept: { kind: 'range', min: 0, max: 1 } },
  ...passAll(['thinking', 'prompt_cache_key', 'safety_identifier']),
};

/** Per provider, per parameter: the README's parameter-support matrix. */
export const openAICompatibleParamSupport: Readonly<Record<OpenAICompatibleProviderId, OpenAICompatibleParamTable>> = {
  openai,
  xai,
  deepseek,
  alibaba,
  zhipu,
  minimax,
  xiaomi,
  moonshot,
};

/** Rules for a provider this table does not know: standard parameters pass, anything else is dropped. */
export const openAICompatibleDefaultParams: OpenAICompatibleParamTable = allStandardPass();
