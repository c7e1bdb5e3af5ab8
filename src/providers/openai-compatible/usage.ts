/**
 * Upstream `usage` objects → NormalizedUsage: prompt includes cached tokens, output includes reasoning tokens,
 * whatever field names and inclusivity rules the provider uses (shared/docs/providers.md §8.4).
 */
import type { NormalizedUsage } from '../types.js';
import { isJsonRecord } from './json-record.js';
import type { OpenAICompatibleQuirks } from './quirks.js';

export function toOpenAICompatibleNormalizedUsage(raw: unknown, quirks: OpenAICompatibleQuirks): NormalizedUsage | undefined {
  if (!isJsonRecord(raw)) return undefined;
  const prompt = readNumberAt(raw, 'prompt_tokens');
  const completion = readNumberAt(raw, 'completion_tokens');
  if (prompt === undefined && completion === undefined) return undefined;
  const promptTokens = prompt ?? 0;
  const completionTokens = completion ?? 0;
  const cached = firstNumberAt(raw, quirks.usage.cachedTokens) ?? 0;
  const cacheWrite = firstNumberAt(raw, quirks.usage.cacheWriteTokens) ?? 0;
  const reasoning = readNumberAt(raw, 'completion_tokens_details.reasoning_tokens') ?? 0;
  const total = readNumberAt(raw, 'total_tokens');

  // A cached count above the prompt count can only mean the prompt count left the cached part out.
  const inputTokens = quirks.usage.promptMayExcludeCached && cached > promptTokens ? promptTokens + cached : promptTokens;
  // When the total already equals prompt + completion, reasoning was inside completion after all.
  const reasoningOutside =
    quirks.usage.completionExcludesReasoning && reasoning > 0 && total !== promptTokens + completionTokens;
  const outputTokens = reasoningOutside ? completionTokens + reasoning : completionTokens;

  return {
    inputTokens,
    cachedInputTokens: cached,
    cacheWriteTokens: cacheWrite,
    outputTokens,
    reasoningTokens: reasoning,
  };
}

function firstNumberAt(source: Record<string, unknown>, paths: readonly string[]): number | undefined {
  for (const path of paths) {
    const value = readNumberAt(source, path);
    if (value !== undefined) return value;
  }
  return undefined;
}

function readNumberAt(source: Record<string, unknown>, path: string): number | undefined {
  let current: unknown = source;
  for (const key of path.split('.')) {
    if (!isJsonRecord(current)) return undefined;
    current = current[key];
  }
  return typeof current === 'number' && Number.isFinite(current) ? current : undefined;
}
