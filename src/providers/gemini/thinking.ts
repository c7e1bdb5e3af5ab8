/**
 * `reasoning_effort` → `generationConfig.thinkingConfig`. Gemini 2.5 models take a token budget, Gemini 3
 * models a discrete level, and each model accepts a different range — so the choice is a table keyed on the
 * upstream model id (first match wins). Ranges: ai.google.dev "Gemini thinking" (budgets) and the Gemini 3
 * model pages (levels). A value a model cannot take is moved to the nearest one it can, with a warning.
 */
import type { ChatRequest } from '../openai/chat-types.js';
import type { TranslationWarning } from '../types.js';
import type { GeminiThinkingConfig, GeminiThinkingLevel } from './gemini-api.js';

export type ReasoningEffort = NonNullable<ChatRequest['reasoning_effort']>;

export type GeminiThinkingProfile =
  | { style: 'budget'; minBudget: number; maxBudget: number; canDisable: boolean }
  | { style: 'level'; levels: readonly GeminiThinkingLevel[] };

export const geminiThinkingProfiles: ReadonlyArray<{ pattern: RegExp; profile: GeminiThinkingProfile }> = [
  { pattern: /^gemini-2\.5-pro/, profile: { style: 'budget', minBudget: 128, maxBudget: 32768, canDisable: false } },
  { pattern: /^gemini-2\.5-flash-lite/, profile: { style: 'budget', minBudget: 512, maxBudget: 24576, canDisable: true } },
  { pattern: /^gemini-2\.5-flash/, profile: { style: 'budget', minBudget: 1, maxBudget: 24576, canDisable: true } },
  { pattern: /^gemini-3(\.0)?-pro/, profile: { style: 'level', levels: ['LOW', 'HIGH'] } },
  { pattern: /^gemini-3\.\d+-pro/, profile: { style: 'level', levels: ['LOW', 'MEDIUM', 'HIGH'] } },
  { pattern: /^gemini-[3-9](\.\d+)?-flash/, profile: { style: 'level', levels: ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'] } },
  // Later generations: the two levels every Gemini 3+ model has accepted.
  { pattern: /^gemini-([3-9]|\d{2,})(\.\d+)?-/, profile: { style: 'level', levels: ['LOW', 'HIGH'] } },
];

const effortBudgets: Record<Exclude<ReasoningEffort, 'none'>, number | 'max'> = {
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 'max',
  max: 'max',
};

const levelOrder: readonly GeminiThinkingLevel[] = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];
const effortLevels: Record<Exclude<ReasoningEffort, 'none'>, GeminiThinkingLevel> = {
  minimal: 'MINIMAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  xhigh: 'HIGH',
  max: 'HIGH',
};

export function findGeminiThinkingProfile(upstreamModel: string): GeminiThinkingProfile | undefined {
  const id = upstreamModel.replace(/^models\//, '');
  return geminiThinkingProfiles.find((row) => row.pattern.test(id))?.profile;
}

export interface GeminiThinkingTranslation {
  config?: GeminiThinkingConfig;
  warnings: TranslationWarning[];
}

const param = 'reasoning_effort';

export function toGeminiThinkingConfig(effort: ReasoningEffort, upstreamModel: string): GeminiThinkingTranslation {
  const profile = findGeminiThinkingProfile(upstreamModel);
  if (profile === undefined) {
    return { warnings: [{ param, message: `${upstreamModel} has no thinking controls; reasoning_effort was not sent.` }] };
  }
  return profile.style === 'budget' ? toBudgetConfig(effort, profile) : toLevelConfig(effort, profile.levels, upstreamModel);
}

function toBudgetConfig(effort: ReasoningEffort, profile: Extract<GeminiThinkingProfile, { style: 'budget' }>): GeminiThinkingTranslation {
  if (effort === 'none') {
    if (profile.canDisable) return { config: { thinkingBudget: 0 }, warnings: [] };
    const config = { thinkingBudget: profile.minBudget };
    return { config, warnings: [{ param, message: `This model cannot turn thinking off; using the smallest budget (${profile.minBudget} tokens).` }] };
  }
  const wanted = effortBudgets[effort];
  const budget = wanted === 'max' ? profile.maxBudget : wanted;
  const bounded = Math.min(Math.max(budget, profile.minBudget), profile.maxBudget);
  const warnings: TranslationWarning[] =
    bounded === budget ? [] : [{ param, message: `A ${budget}-token thinking budget is outside this model's range; using ${bounded}.` }];
  return { config: { thinkingBudget: bounded, includeThoughts: true }, warnings };
}

function toLevelConfig(effort: ReasoningEffort, levels: readonly GeminiThinkingLevel[], model: string): GeminiThinkingTranslation {
  const lowest = levels[0] ?? 'LOW';
  if (effort === 'none') {
    const message = `${model} cannot turn thinking off; using thinkingLevel ${lowest}.`;
    return { config: { thinkingLevel: lowest }, warnings: [{ param, message }] };
  }
  const wanted = effortLevels[effort];
  // Round up: more thinking than asked costs tokens, less can fail a task the client sized for.
  const level = levelOrder.slice(levelOrder.indexOf(wanted)).find((l) => levels.includes(l)) ?? levels[levels.length - 1] ?? wanted;
  const warnings: TranslationWarning[] =
    level === wanted ? [] : [{ param, message: `${model} has no thinkingLevel ${wanted}; using ${level}.` }];
  return { config: { thinkingLevel: level, includeThoughts: true }, warnings };
}
