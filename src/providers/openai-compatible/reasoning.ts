/**
 * Reads reasoning text from a message or delta under whichever name the provider uses: `reasoning_content`,
 * `reasoning`, or MiniMax `reasoning_details: [{text}]`. `<think>` tags in content are think-tag-splitter.ts's job.
 */
import type { JsonRecord } from './json-record.js';
import { isJsonRecord } from './json-record.js';
import type { OpenAICompatibleQuirks } from './quirks.js';

export function readOpenAICompatibleReasoning(source: JsonRecord, quirks: OpenAICompatibleQuirks): string | undefined {
  for (const field of quirks.reasoningFields) {
    const value = source[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  if (!quirks.reasoningDetails || !Array.isArray(source.reasoning_details)) return undefined;
  const text = source.reasoning_details
    .map((detail: unknown) => (isJsonRecord(detail) && typeof detail.text === 'string' ? detail.text : ''))
    .join('');
  return text === '' ? undefined : text;
}
