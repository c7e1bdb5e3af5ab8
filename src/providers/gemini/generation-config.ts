/**
 * Sampling, output-format and thinking parameters → `generationConfig`.
 */
import type { ChatRequest } from '../openai/chat-types.js';
import { requestedOutputTokens, withOneOutputLimit } from '../output-limit.js';
import type { TranslationWarning } from '../types.js';
import type { GeminiGenerationConfig } from './gemini-api.js';
import { toGeminiSchema } from './json-schema.js';
import { toGeminiThinkingConfig } from './thinking.js';

export interface GeminiGenerationConfigTranslation {
  config?: GeminiGenerationConfig;
  warnings: TranslationWarning[];
}

export function toGeminiGenerationConfig(request: ChatRequest, upstreamModel: string): GeminiGenerationConfigTranslation {
  const warnings: TranslationWarning[] = [];
  const config: GeminiGenerationConfig = { ...toSamplingConfig(request, warnings), ...toOutputFormat(request, warnings) };
  if (request.reasoning_effort != null) {
    const thinking = toGeminiThinkingConfig(request.reasoning_effort, upstreamModel);
    if (thinking.config !== undefined) config.thinkingConfig = thinking.config;
    warnings.push(...thinking.warnings);
  }
  return Object.keys(config).length > 0 ? { config, warnings } : { warnings };
}

function toSamplingConfig(request: ChatRequest, warnings: TranslationWarning[]): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (request.temperature != null) config.temperature = request.temperature;
  if (request.top_p != null) config.topP = request.top_p;
  if (typeof request.top_k === 'number') config.topK = request.top_k;
  // The limit the hold was sized on (providers/output-limit.ts); the one that lost is named in a warning.
  const maxTokens = requestedOutputTokens(request);
  if (maxTokens !== undefined) config.maxOutputTokens = maxTokens;
  warnings.push(...withOneOutputLimit(request).warnings);
  if (request.stop != null) config.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.n != null) config.candidateCount = request.n;
  if (request.seed != null) config.seed = request.seed;
  if (request.presence_penalty != null) config.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) config.frequencyPenalty = request.frequency_penalty;
  return config;
}

function toOutputFormat(request: ChatRequest, warnings: TranslationWarning[]): GeminiGenerationConfig {
  const format = request.response_format;
  if (format == null || format.type === 'text') return {};
  if (format.type === 'json_object') return { responseMimeType: 'application/json' };
  const schema = format.json_schema.schema;
  if (schema === undefined) return { responseMimeType: 'application/json' };
  const param = 'response_format.json_schema.schema';
  const converted = toGeminiSchema(schema, { param, propertyOrdering: true });
  for (const message of converted.warnings) warnings.push({ param, message });
  const out: GeminiGenerationConfig = { responseMimeType: 'application/json', responseSchema: converted.schema };
  // Gemini's Schema has a top-level description but no name; the name only labels the schema for the client.
  if (format.json_schema.description !== undefined && converted.schema.description === undefined) {
    out.responseSchema = { ...converted.schema, description: format.json_schema.description };
  }
  return out;
}
