/**
 * Fixed targets and contexts for the openai-compatible family, and the stream run its fixture cases record.
 * A case's provider is the part of its name before the first `-`.
 */
import type { CatalogModel } from '../../../../src/catalog/schema.js';
import { getProvider } from '../../../../src/catalog/providers.js';
import { isGatewayError, type GatewayError } from '../../../../src/shared/errors.js';
import { chatRequestSchema, type OpenAIChatChunk } from '../../../../src/providers/openai/chat-types.js';
import { openAICompatibleProviderIds, type OpenAICompatibleProviderId } from '../../../../src/providers/openai-compatible/param-support.js';
import { createOpenAICompatibleStreamTranslator } from '../../../../src/providers/openai-compatible/stream.js';
import type { ResponseContext, UpstreamTarget } from '../../../../src/providers/types.js';
import { decodeSseInSlices } from '../../../support/fixture-runner.js';

export const TEST_API_KEY = 'test-upstream-key-0001';

export function providerOf(caseName: string): OpenAICompatibleProviderId {
  const prefix = caseName.split('-')[0];
  const id = openAICompatibleProviderIds.find((p) => p === prefix);
  if (id === undefined) throw new Error(`fixture case ${caseName} does not start with a provider id`);
  return id;
}

export interface TargetOverrides {
  upstreamModel?: string;
  capabilities?: Partial<CatalogModel['capabilities']>;
}

export function makeTarget(provider: OpenAICompatibleProviderId, overrides: TargetOverrides = {}): UpstreamTarget {
  const baseUrl = getProvider(provider)?.defaultBaseUrl;
  if (baseUrl === undefined) throw new Error(`unknown provider ${provider}`);
  const upstreamModel = overrides.upstreamModel ?? 'upstream-model';
  const model: CatalogModel = {
    id: `${provider}/test-model`,
    name: 'Test model',
    description: 'Fixture model',
    provider,
    family: 'openai-compatible',
    upstreamModel,
    modality: 'chat',
    created: 1_700_000_000,
    contextLength: 128_000,
    maxOutputTokens: 8192,
    capabilities: { tools: true, vision: true, json_schema: true, reasoning: true, streaming: true, ...overrides.capabilities },
    pricing: { kind: 'tokens', inputPerMTok: '1', outputPerMTok: '2' },
    enabled: true,
  };
  return { provider, baseUrl, apiKey: TEST_API_KEY, upstreamModel, model };
}

export function makeResponseContext(provider: OpenAICompatibleProviderId): ResponseContext {
  return {
    id: 'chatcmpl-th-fixture',
    created: 1_760_000_000,
    model: `${provider}/test-model`,
    request: chatRequestSchema.parse({ model: `${provider}/test-model`, messages: [{ role: 'user', content: 'Hi' }] }),
  };
}

/** The catalog error fields a fixture pins down. */
export function describeGatewayError(error: unknown): Record<string, unknown> {
  if (!isGatewayError(error)) throw error;
  const e: GatewayError = error;
  return {
    code: e.code,
    status: e.status,
    type: e.type,
    param: e.param,
    message: e.message,
    retryable: e.retryable,
    retryAfter: e.retryAfter ?? null,
    upstreamStatus: e.upstreamStatus ?? null,
  };
}

export interface StreamRun {
  chunks: OpenAIChatChunk[];
  done: boolean;
  error: Record<string, unknown> | null;
  truncated: boolean | null;
  finishReason: string | null;
  usage: unknown;
}

/** Feeds raw bytes to the SSE decoder in `sliceSize` pieces (0 = all at once), then the events to a translator. */
export function runStreamFixture(bytes: Uint8Array, sliceSize: number, provider: OpenAICompatibleProviderId): StreamRun {
  const events = decodeSseInSlices(bytes, sliceSize);
  const translator = createOpenAICompatibleStreamTranslator(makeTarget(provider), makeResponseContext(provider));
  const run: StreamRun = { chunks: [], done: false, error: null, truncated: null, finishReason: null, usage: null };
  for (const event of events) {
    const result = translator.push(event);
    run.chunks.push(...result.chunks);
    if (result.done === true) run.done = true;
    if (result.error !== undefined) {
      run.error = describeGatewayError(result.error);
      break;
    }
  }
  if (run.error === null) {
    const end = translator.end();
    run.chunks.push(...end.chunks);
    run.truncated = end.truncated;
  }
  run.finishReason = translator.finishReason;
  run.usage = translator.usage ?? null;
  return run;
}
