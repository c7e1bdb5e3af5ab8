/**
 * Extended thinking and `max_tokens`. Sources of a thinking request, strongest first: an Anthropic-style
 * `thinking` extra, an OpenRouter-style `reasoning` extra, then `reasoning_effort` via anthropicReasoningBudgets.
 * Anthropic needs 1024 ≤ budget_tokens < max_tokens: a client max_tokens that leaves no room is rejected, never
 * raised; without one, max_tokens is derived as budget + the model's usual answer allowance. An explicit "no
 * thinking" is sent as `{type:"disabled"}` because newer models think by default; saying nothing sends nothing.
 */
import { z } from 'zod';
import { GatewayError } from '../../shared/errors.js';
import type { CatalogModel } from '../../catalog/schema.js';
import type { ChatRequest } from '../openai/chat-types.js';
import { requestedOutputTokens } from '../output-limit.js';
import type { TranslationWarning } from '../types.js';
import type { AnthropicThinkingConfig } from './anthropic-api.js';

export type AnthropicEffort = 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/**
 * Thinking budget per effort level. Every level up to `xhigh` fits under a 32K-output model with room for the
 * answer; `max` needs a model with more than 32K output tokens.
 */
export const anthropicReasoningBudgets: Record<AnthropicEffort, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 24576,
  max: 32768,
};

export const ANTHROPIC_MIN_THINKING_BUDGET = 1024;

const effortSchema = z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']);
const thinkingExtraSchema = z.union([
  z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int() }),
  z.looseObject({ type: z.enum(['disabled', 'adaptive']) }),
]);
const reasoningExtraSchema = z.looseObject({
  max_tokens: z.number().int().nullish(),
  effort: effortSchema.nullish(),
  enabled: z.boolean().nullish(),
  exclude: z.boolean().nullish(),
});

type ThinkingAsk = { kind: 'none' } | { kind: 'off' } | { kind: 'adaptive' } | { kind: 'budget'; budget: number; param: string };

export interface AnthropicThinkingPlan {
  thinking: AnthropicThinkingConfig | undefined;
  maxTokens: number;
  warnings: TranslationWarning[];
}

export function resolveAnthropicThinking(
  request: ChatRequest,
  model: CatalogModel,
  clientHeaders: Record<string, string>,
): AnthropicThinkingPlan {
  const warnings: TranslationWarning[] = [];
  let ask = readThinkingAsk(request, warnings);
  if (!model.capabilities.reasoning && ask.kind !== 'none') {
    if (ask.kind !== 'off') warnings.push({ param: askParam(ask), message: 'This model does not support extended thinking; reasoning was not enabled.' });
    ask = { kind: 'none' };
  }
  if (ask.kind === 'budget' && ask.budget < ANTHROPIC_MIN_THINKING_BUDGET) {
    throw new GatewayError('invalid_request', { param: ask.param, message: `The thinking budget must be at least ${ANTHROPIC_MIN_THINKING_BUDGET} tokens.` });
  }
  const maxTokens = resolveMaxTokens(request, model, ask, clientHeaders);
  return { thinking: toThinkingConfig(ask), maxTokens, warnings };
}

function toThinkingConfig(ask: ThinkingAsk): AnthropicThinkingConfig | undefined {
  switch (ask.kind) {
    case 'budget':
      return { type: 'enabled', budget_tokens: ask.budget };
    case 'adaptive':
      return { type: 'adaptive' };
    case 'off':
      return { type: 'disabled' };
    case 'none':
      return undefined;
  }
}

function readThinkingAsk(request: ChatRequest, warnings: TranslationWarning[]): ThinkingAsk {
  if (request.thinking != null) {
    const parsed = thinkingExtraSchema.safeParse(request.thinking);
    if (!parsed.success) throw invalidExtra('thinking', 'thinking must be {"type":"enabled","budget_tokens":N}, {"type":"adaptive"} or {"type":"disabled"}.');
    const value = parsed.data;
    if (value.type === 'enabled') return { kind: 'budget', budget: value.budget_tokens as number, param: 'thinking.budget_tokens' };
    return value.type === 'adaptive' ? { kind: 'adaptive' } : { kind: 'off' };
  }
  if (request.reasoning != null) {
    const parsed = reasoningExtraSchema.safeParse(request.reasoning);
    if (!parsed.success) throw invalidExtra('reasoning', 'reasoning must be an object with max_tokens, effort or enabled.');
    const value = parsed.data;
    if (value.exclude === true) warnings.push({ param: 'reasoning.exclude', message: 'reasoning.exclude is not supported; reasoning is returned.' });
    if (value.enabled === false) return { kind: 'off' };
    if (value.max_tokens != null) return { kind: 'budget', budget: value.max_tokens, param: 'reasoning.max_tokens' };
    if (value.effort != null) return fromEffort(value.effort, 'reasoning.effort');
    return value.enabled === true ? fromEffort('medium', 'reasoning.enabled') : { kind: 'none' };
  }
  return request.reasoning_effort != null ? fromEffort(request.reasoning_effort, 'reasoning_effort') : { kind: 'none' };
}

function fromEffort(effort: z.infer<typeof effortSchema>, param: string): ThinkingAsk {
  return effort === 'none' ? { kind: 'off' } : { kind: 'budget', budget: anthropicReasoningBudgets[effort], param };
}

function askParam(ask: ThinkingAsk): string {
  return ask.kind === 'budget' ? ask.param.split('.')[0] ?? ask.param : 'thinking';
}

function resolveMaxTokens(request: ChatRequest, model: CatalogModel, ask: ThinkingAsk, clientHeaders: Record<string, string>): number {
  // The limit the hold was sized on (providers/output-limit.ts); without one, the derived max_tokens stays within
  // maxOutputTokens, which is what the hold falls back to.
  const clientMax = requestedOutputTokens(request);
  const allowance = model.defaultMaxTokens ?? model.maxOutputTokens;
  if (ask.kind !== 'budget') return clientMax ?? requirePositive(allowance);
  // With interleaved thinking the budget spans the whole turn and may exceed max_tokens.
  const interleaved = (clientHeaders['anthropic-beta'] ?? '').includes('interleaved-thinking');
  if (clientMax !== undefined) {
    if (ask.budget >= clientMax && !interleaved) {
      const param = request.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
      throw new GatewayError('invalid_request', {
        param,
        message: `${param} (${clientMax}) must be greater than the thinking budget (${ask.budget} tokens).`,
      });
    }
    return clientMax;
  }
  const limit = model.maxOutputTokens > 0 ? model.maxOutputTokens : Number.POSITIVE_INFINITY;
  const derived = Math.min(ask.budget + requirePositive(allowance), limit);
  if (ask.budget >= derived && !interleaved) {
    throw new GatewayError('invalid_request', {
      param: ask.param,
      message: `A thinking budget of ${ask.budget} tokens leaves no room for an answer within this model's ${limit} output tokens.`,
    });
  }
  return derived;
}

function requirePositive(allowance: number): number {
  if (allowance > 0) return allowance;
  throw new GatewayError('internal_error', { message: 'The model has no output token limit configured.' });
}

function invalidExtra(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', { param, message });
}
