/**
 * What the Gemini family does with each OpenAI request parameter, as data: mapped onto the Gemini request,
 * handled by the gateway itself, dropped with a TranslationWarning, or rejected with 400
 * `unsupported_parameter`. `isDefault` marks values that ask for nothing beyond Gemini's own behaviour
 * (e.g. `parallel_tool_calls: true`), which pass without a warning. Parameters missing from the table are
 * dropped with a warning.
 */
import { GatewayError } from '../../shared/errors.js';
import type { ChatRequest } from '../openai/chat-types.js';
import type { TranslationWarning } from '../types.js';

export type GeminiParamHandling = 'mapped' | 'gateway' | 'dropped' | 'rejected';

export interface GeminiParamRule {
  handling: GeminiParamHandling;
  /** Where it goes, or why it cannot. Shown to the client for dropped and rejected parameters. */
  note: string;
  isDefault?: (value: unknown) => boolean;
}

const isFalse = (value: unknown): boolean => value === false;

export const geminiParamSupport: Readonly<Record<string, GeminiParamRule>> = {
  model: { handling: 'gateway', note: 'Selects the catalog model; the upstream name goes into the URL.' },
  messages: { handling: 'mapped', note: 'systemInstruction and contents.' },
  stream: { handling: 'mapped', note: 'Chooses :streamGenerateContent?alt=sse.' },
  stream_options: { handling: 'gateway', note: 'The gateway builds the usage chunk.' },
  max_tokens: { handling: 'mapped', note: 'generationConfig.maxOutputTokens.' },
  max_completion_tokens: { handling: 'mapped', note: 'generationConfig.maxOutputTokens.' },
  temperature: { handling: 'mapped', note: 'generationConfig.temperature.' },
  top_p: { handling: 'mapped', note: 'generationConfig.topP.' },
  top_k: { handling: 'mapped', note: 'generationConfig.topK.' },
  n: { handling: 'mapped', note: 'generationConfig.candidateCount.' },
  stop: { handling: 'mapped', note: 'generationConfig.stopSequences.' },
  seed: { handling: 'mapped', note: 'generationConfig.seed.' },
  presence_penalty: { handling: 'mapped', note: 'generationConfig.presencePenalty.' },
  frequency_penalty: { handling: 'mapped', note: 'generationConfig.frequencyPenalty.' },
  tools: { handling: 'mapped', note: 'tools[].functionDeclarations.' },
  tool_choice: { handling: 'mapped', note: 'toolConfig.functionCallingConfig.' },
  response_format: { handling: 'mapped', note: 'generationConfig.responseMimeType and responseSchema.' },
  reasoning_effort: { handling: 'mapped', note: 'generationConfig.thinkingConfig.' },
  parallel_tool_calls: {
    handling: 'dropped',
    note: 'Gemini cannot be limited to one tool call per turn; parallel_tool_calls was not sent.',
    isDefault: (value) => value === true,
  },
  user: { handling: 'dropped', note: 'Gemini has no end-user field; user was not sent.' },
  safety_identifier: { handling: 'dropped', note: 'Gemini has no end-user field; safety_identifier was not sent.' },
  metadata: { handling: 'dropped', note: 'Gemini does not store completions; metadata was not sent.' },
  store: { handling: 'dropped', note: 'Gemini does not store completions; store was not sent.', isDefault: isFalse },
  service_tier: { handling: 'dropped', note: 'Gemini has no service tiers on this API; service_tier was not sent.' },
  prompt_cache_key: { handling: 'dropped', note: 'Gemini caches implicitly; prompt_cache_key was not sent.' },
  verbosity: { handling: 'dropped', note: 'Gemini has no verbosity control; verbosity was not sent.' },
  logit_bias: { handling: 'rejected', note: 'Gemini does not support logit_bias.' },
  logprobs: { handling: 'rejected', note: 'Log probabilities are not available for Gemini models.', isDefault: isFalse },
  top_logprobs: { handling: 'rejected', note: 'Log probabilities are not available for Gemini models.' },
  audio: { handling: 'rejected', note: 'Audio output is not available for Gemini chat models.' },
  modalities: {
    handling: 'rejected',
    note: 'Gemini chat models here produce text only.',
    isDefault: (value) => Array.isArray(value) && value.every((m) => m === 'text'),
  },
  prediction: { handling: 'rejected', note: 'Predicted outputs are not supported by Gemini.' },
  web_search_options: { handling: 'rejected', note: 'Web search is not available for Gemini models on this gateway.' },
  functions: { handling: 'rejected', note: 'Use "tools"; the deprecated "functions" is not supported.' },
  function_call: { handling: 'rejected', note: 'Use "tool_choice"; the deprecated "function_call" is not supported.' },
};

/** Throws for the first rejected parameter; returns a warning per dropped or unknown one. */
export function checkGeminiParams(request: ChatRequest): TranslationWarning[] {
  const warnings: TranslationWarning[] = [];
  for (const [param, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    const rule = geminiParamSupport[param];
    if (rule === undefined) {
      warnings.push({ param, message: `Unknown parameter "${param}" was not sent to Gemini.` });
      continue;
    }
    if (rule.isDefault?.(value) === true) continue;
    if (rule.handling === 'rejected') throw new GatewayError('unsupported_parameter', { param, message: rule.note });
    if (rule.handling === 'dropped') warnings.push({ param, message: rule.note });
  }
  return warnings;
}
