/**
 * What each OpenAI-compatible provider does differently on the wire, as data (see providers.md §4): where it
 * mounts its routes, how its chunks look, where usage goes and how it is counted. Error bodies live in
 * openai-compatible-errors.ts.
 */
import type { MockTokenCounts } from './mock-chat-answer.js';

export type OpenAICompatibleMockProviderId = 'openai' | 'xai' | 'deepseek' | 'alibaba' | 'zhipu' | 'minimax' | 'xiaomi' | 'moonshot';

export interface OpenAICompatibleProfile {
  /** Route prefixes before `/chat/completions` and `/models` (DashScope lives under `/compatible-mode/v1`). */
  pathPrefixes: string[];
  models: string[];
  ownedBy: string;
  idPrefix: string;
  /**
   * Where reasoning text goes. OpenAI never returns it on chat completions (only reasoning_tokens); MiniMax M2
   * puts it in `<think>` tags inside content unless `reasoning_split` is set.
   */
  reasoning: 'reasoning_content' | 'think-tags' | 'hidden';
  /** separate: a first `{role, content: ""}` chunk; merged: role rides on the first real delta. */
  roleChunk: 'separate' | 'merged';
  /** finish_reason on the last content delta instead of a trailing `delta: {}` chunk. */
  finishOnLastDelta: boolean;
  /** xAI sends each tool call whole (no index); Zhipu too unless `tool_stream:true`. */
  toolStreaming: 'incremental' | 'whole-without-index' | 'whole-unless-tool-stream';
  /** separate-chunk: `choices: []` chunk when include_usage; finish-chunk: top-level on the finish chunk; in-choice: `choices[0].usage`. */
  usagePlacement: 'separate-chunk' | 'finish-chunk' | 'in-choice';
  /** explicitNulls: DeepSeek sends `content: null` beside reasoning deltas and `reasoning_content: null` beside text. */
  chunk: { object: boolean; nullFinishReason: boolean; logprobs: boolean; usageNull: boolean; explicitNulls: boolean };
  /** DeepSeek: `: keep-alive` comments in streams and blank lines before JSON bodies. */
  keepAlive: boolean;
  /** OpenAI: `obfuscation` padding on chunks, `system_fingerprint`, `service_tier`. */
  openaiExtras: boolean;
  toUsage(counts: MockTokenCounts): Record<string, unknown>;
}

const plainChunk = { object: true, nullFinishReason: true, logprobs: false, usageNull: false, explicitNulls: false };

/** What most of these providers do; each profile below states only where it differs. */
const usual: Omit<OpenAICompatibleProfile, 'models' | 'ownedBy' | 'toUsage'> = {
  pathPrefixes: [''],
  idPrefix: '',
  reasoning: 'reasoning_content',
  roleChunk: 'merged',
  finishOnLastDelta: false,
  toolStreaming: 'incremental',
  usagePlacement: 'separate-chunk',
  chunk: plainChunk,
  keepAlive: false,
  openaiExtras: false,
};

type ProfileDifferences = Pick<OpenAICompatibleProfile, 'models' | 'ownedBy' | 'toUsage'> & Partial<OpenAICompatibleProfile>;
const profile = (differences: ProfileDifferences): OpenAICompatibleProfile => ({ ...usual, ...differences });

/** The usual counting: reasoning is part of completion_tokens, and the total adds it once. */
const totals = (c: MockTokenCounts) => ({
  prompt_tokens: c.prompt,
  completion_tokens: c.completion + c.reasoning,
  total_tokens: c.prompt + c.completion + c.reasoning,
});
const openAICompletionDetails = (c: MockTokenCounts) => ({
  reasoning_tokens: c.reasoning,
  audio_tokens: 0,
  accepted_prediction_tokens: 0,
  rejected_prediction_tokens: 0,
});
/** DeepSeek and DashScope report reasoning details only when there was reasoning. */
const reasoningDetailsIfAny = (c: MockTokenCounts) => (c.reasoning > 0 ? { completion_tokens_details: { reasoning_tokens: c.reasoning } } : {});

export const openAICompatibleProfiles: Record<OpenAICompatibleMockProviderId, OpenAICompatibleProfile> = {
  openai: profile({
    models: ['gpt-5.4', 'gpt-5.4-mini', 'gpt-5.4-nano', 'gpt-5.2', 'gpt-4.1', 'gpt-4.1-mini', 'o4-mini'],
    ownedBy: 'openai',
    idPrefix: 'chatcmpl-',
    reasoning: 'hidden',
    roleChunk: 'separate',
    chunk: { ...plainChunk, logprobs: true, usageNull: true },
    openaiExtras: true,
    toUsage: (c) => ({
      ...totals(c),
      prompt_tokens_details: { cached_tokens: c.cached, audio_tokens: 0 },
      completion_tokens_details: openAICompletionDetails(c),
    }),
  }),
  xai: profile({
    models: ['grok-4', 'grok-4-1-fast-reasoning', 'grok-3-mini'],
    ownedBy: 'xai',
    toolStreaming: 'whole-without-index',
    usagePlacement: 'finish-chunk',
    // xAI reports reasoning outside completion_tokens; the total includes it.
    toUsage: (c) => ({
      ...totals(c),
      completion_tokens: c.completion,
      prompt_tokens_details: { text_tokens: c.prompt, audio_tokens: 0, image_tokens: 0, cached_tokens: c.cached },
      completion_tokens_details: openAICompletionDetails(c),
    }),
  }),
  deepseek: profile({
    pathPrefixes: ['', '/v1'],
    models: ['deepseek-chat', 'deepseek-reasoner'],
    ownedBy: 'deepseek',
    finishOnLastDelta: true,
    chunk: { ...plainChunk, logprobs: true, usageNull: true, explicitNulls: true },
    keepAlive: true,
    toUsage: (c) => ({
      ...totals(c),
      prompt_cache_hit_tokens: c.cached,
      prompt_cache_miss_tokens: c.prompt - c.cached,
      ...reasoningDetailsIfAny(c),
    }),
  }),
  alibaba: profile({
    pathPrefixes: ['/compatible-mode/v1'],
    models: ['qwen-max', 'qwen-plus', 'qwen-flash', 'qwen3-max', 'qwen3-coder-plus', 'qwen3-vl-plus'],
    ownedBy: 'system',
    idPrefix: 'chatcmpl-',
    finishOnLastDelta: true,
    toUsage: (c) => ({ ...totals(c), prompt_tokens_details: { cached_tokens: c.cached }, ...reasoningDetailsIfAny(c) }),
  }),
  zhipu: profile({
    models: ['glm-4.7', 'glm-4.6', 'glm-4.5-air'],
    ownedBy: 'z-ai',
    toolStreaming: 'whole-unless-tool-stream',
    usagePlacement: 'finish-chunk',
    chunk: { ...plainChunk, object: false, nullFinishReason: false },
    toUsage: (c) => ({ ...totals(c), prompt_tokens_details: { cached_tokens: c.cached } }),
  }),
  minimax: profile({
    models: ['MiniMax-M2', 'MiniMax-M2.1'],
    ownedBy: 'minimax',
    reasoning: 'think-tags',
    finishOnLastDelta: true,
    usagePlacement: 'finish-chunk',
    chunk: { ...plainChunk, nullFinishReason: false },
    toUsage: totals,
  }),
  xiaomi: profile({
    models: ['mimo-v2-flash', 'mimo-v2-pro'],
    ownedBy: 'xiaomi',
    roleChunk: 'separate',
    toUsage: (c) => ({ ...totals(c), completion_tokens_details: { reasoning_tokens: c.reasoning }, prompt_tokens_details: null }),
  }),
  moonshot: profile({
    models: ['kimi-k2-0905-preview', 'kimi-k2-thinking', 'kimi-k2.5'],
    ownedBy: 'moonshot',
    idPrefix: 'chatcmpl-',
    roleChunk: 'separate',
    usagePlacement: 'in-choice',
    toUsage: (c) => ({ ...totals(c), cached_tokens: c.cached }),
  }),
};
