/**
 * What happens to each OpenAI request parameter on the Anthropic wire family. Every parameter is mapped,
 * rejected with 400 `unsupported_parameter`, or dropped with a TranslationWarning; none is ignored silently.
 * The README renders this table.
 */
import { GatewayError } from '../../shared/errors.js';
import type { ChatRequest } from '../openai/chat-types.js';
import type { TranslationWarning } from '../types.js';

export type AnthropicParamHandling = 'mapped' | 'rejected' | 'dropped';

export interface AnthropicParamRule {
  param: string;
  handling: AnthropicParamHandling;
  note: string;
  /** A value that asks for the default behaviour, accepted without a warning or rejection. */
  neutral?: unknown;
}

export const anthropicParamSupport: readonly AnthropicParamRule[] = [
  { param: 'model', handling: 'mapped', note: 'Replaced by the channel’s upstream model name.' },
  { param: 'messages', handling: 'mapped', note: 'System/developer → `system`; same-role turns merged; tool results → one user turn.' },
  { param: 'stream', handling: 'mapped', note: '`stream: true`; named SSE events are translated to chunks.' },
  { param: 'stream_options', handling: 'mapped', note: 'Anthropic always reports usage; the gateway emits the usage chunk.' },
  { param: 'max_completion_tokens', handling: 'mapped', note: '`max_tokens` (required upstream; wins over `max_tokens`).' },
  { param: 'max_tokens', handling: 'mapped', note: '`max_tokens`; absent → catalog default, or derived from the thinking budget.' },
  { param: 'temperature', handling: 'mapped', note: 'Passed as given; Anthropic’s range is 0–1, other values are rejected (never clamped).' },
  { param: 'top_p', handling: 'mapped', note: 'Passed as given (0–1).' },
  { param: 'top_k', handling: 'mapped', note: 'Non-OpenAI extra, passed as given.' },
  { param: 'stop', handling: 'mapped', note: '`stop_sequences` (a string becomes a one-element list).' },
  { param: 'user', handling: 'mapped', note: '`metadata.user_id`.' },
  { param: 'tools', handling: 'mapped', note: '`tools[].input_schema` (default `{"type":"object"}`).' },
  { param: 'tool_choice', handling: 'mapped', note: 'auto/none/required/named → auto/none/any/tool.' },
  { param: 'parallel_tool_calls', handling: 'mapped', note: '`false` → `tool_choice.disable_parallel_tool_use: true`.' },
  { param: 'response_format', handling: 'mapped', note: 'json_schema → `output_config.format` where supported, else a forced tool; json_object → forced tool.' },
  { param: 'reasoning_effort', handling: 'mapped', note: '`thinking.budget_tokens` from the effort table; dropped with a warning on models without reasoning.' },
  { param: 'thinking', handling: 'mapped', note: 'Anthropic-style extra (`{type:"enabled", budget_tokens}` or `{type:"adaptive"}`), wins over reasoning_effort.' },
  { param: 'reasoning', handling: 'mapped', note: 'OpenRouter-style extra (`{max_tokens}`, `{effort}`, `{enabled}`) → `thinking`.' },
  { param: 'n', handling: 'rejected', note: 'Anthropic returns one choice; n > 1 is rejected.', neutral: 1 },
  { param: 'audio', handling: 'rejected', note: 'Anthropic cannot produce audio.' },
  { param: 'functions', handling: 'rejected', note: 'Legacy function calling; use `tools`.' },
  { param: 'function_call', handling: 'rejected', note: 'Legacy function calling; use `tool_choice`.' },
  { param: 'seed', handling: 'dropped', note: 'No deterministic sampling upstream.' },
  { param: 'presence_penalty', handling: 'dropped', note: 'No equivalent upstream.', neutral: 0 },
  { param: 'frequency_penalty', handling: 'dropped', note: 'No equivalent upstream.', neutral: 0 },
  { param: 'logit_bias', handling: 'dropped', note: 'No equivalent upstream.' },
  { param: 'logprobs', handling: 'dropped', note: 'Anthropic returns no log probabilities; `logprobs` stays null.', neutral: false },
  { param: 'top_logprobs', handling: 'dropped', note: 'Anthropic returns no log probabilities.' },
  { param: 'service_tier', handling: 'dropped', note: 'OpenAI tiers do not correspond to Anthropic’s.' },
  { param: 'store', handling: 'dropped', note: 'OpenAI stored completions only.', neutral: false },
  { param: 'metadata', handling: 'dropped', note: 'OpenAI stored-completion tags; use `user` for `metadata.user_id`.' },
  { param: 'prediction', handling: 'dropped', note: 'No predicted outputs upstream.' },
  { param: 'modalities', handling: 'dropped', note: 'Text output only.', neutral: ['text'] },
  { param: 'web_search_options', handling: 'dropped', note: 'Server tools are not exposed through chat completions.' },
  { param: 'verbosity', handling: 'dropped', note: 'No equivalent upstream.' },
  { param: 'prompt_cache_key', handling: 'dropped', note: 'Anthropic caches by `cache_control` breakpoints, not keys.' },
  { param: 'safety_identifier', handling: 'dropped', note: 'No equivalent upstream; `user` maps to `metadata.user_id`.' },
];

const rulesByParam = new Map(anthropicParamSupport.map((rule) => [rule.param, rule]));

/** Applies the table to one request: throws for rejected parameters, returns warnings for dropped ones. */
export function checkAnthropicParams(request: ChatRequest): TranslationWarning[] {
  const warnings: TranslationWarning[] = [];
  for (const [param, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    const rule = rulesByParam.get(param);
    if (rule === undefined) {
      warnings.push({ param, message: `${param} is not supported by Anthropic models and was ignored.` });
      continue;
    }
    if (rule.handling === 'mapped' || isNeutral(rule, value)) continue;
    if (rule.handling === 'rejected') {
      throw new GatewayError('unsupported_parameter', { param, message: `${param} is not supported by Anthropic models. ${rule.note}` });
    }
    warnings.push({ param, message: `${param} was ignored. ${rule.note}` });
  }
  return warnings;
}

function isNeutral(rule: AnthropicParamRule, value: unknown): boolean {
  return 'neutral' in rule && JSON.stringify(rule.neutral) === JSON.stringify(value);
}
