/**
 * Runs one Anthropic fixture case (test/fixtures/anthropic) through the adapter and returns a plain JSON value to
 * compare with the committed expectation. Case kinds are recognised by the files present; see the README there.
 */
import type { CatalogModel } from '../../src/catalog/schema.js';
import { isGatewayError } from '../../src/shared/errors.js';
import { chatRequestSchema, type ChatRequest } from '../../src/providers/openai/chat-types.js';
import type { RequestContext, ResponseContext, UpstreamTarget } from '../../src/providers/types.js';
import { anthropicAdapter } from '../../src/providers/anthropic/anthropic-adapter.js';
import { decodeSseInSlices, openFixtureFolder } from './fixture-runner.js';

export const anthropicFixtures = openFixtureFolder('anthropic');

export type FixtureKind = 'request' | 'response' | 'stream' | 'upstream-error';

export interface FixtureCase {
  name: string;
  kind: FixtureKind;
  /** File holding the expected result, in the anthropic fixture folder. */
  expectedFile: string;
}

interface TargetOverrides {
  capabilities?: Partial<CatalogModel['capabilities']>;
  defaultMaxTokens?: number | null;
  maxOutputTokens?: number;
  clientHeaders?: Record<string, string>;
  pricing?: CatalogModel['pricing'];
}

export function createTestModel(overrides: Omit<TargetOverrides, 'clientHeaders'> = {}): CatalogModel {
  const model: CatalogModel = {
    id: 'anthropic/claude-sonnet-4.5',
    name: 'Claude Sonnet 4.5',
    description: 'Test model',
    provider: 'anthropic',
    family: 'anthropic',
    upstreamModel: 'claude-sonnet-4-5',
    modality: 'chat',
    created: 1759104000,
    contextLength: 200000,
    maxOutputTokens: overrides.maxOutputTokens ?? 64000,
    defaultMaxTokens: 4096,
    capabilities: { tools: true, vision: true, json_schema: false, reasoning: true, streaming: true, ...overrides.capabilities },
    pricing: overrides.pricing ?? { kind: 'tokens', inputPerMTok: '3', cacheWritePerMTok: '3.75', cacheWrite1hPerMTok: '6', outputPerMTok: '15' },
    enabled: true,
  };
  if (overrides.defaultMaxTokens === null) delete model.defaultMaxTokens;
  else if (overrides.defaultMaxTokens !== undefined) model.defaultMaxTokens = overrides.defaultMaxTokens;
  return model;
}

export function createTestTarget(model: CatalogModel = createTestModel(), baseUrl = 'https://api.anthropic.com'): UpstreamTarget {
  return { provider: 'anthropic', baseUrl, apiKey: 'test-anthropic-key-0123456789', upstreamModel: model.upstreamModel, model };
}

export function createRequestContext(clientHeaders: Record<string, string> = {}): RequestContext {
  return {
    fetchImage: async () => {
      throw new Error('The Anthropic adapter passes image URLs on and never fetches them.');
    },
    clientHeaders,
  };
}

export function createResponseContext(request: ChatRequest): ResponseContext {
  return { id: 'chatcmpl-test', created: 1767225600, model: 'anthropic/claude-sonnet-4.5', request };
}

export function listFixtureCases(): FixtureCase[] {
  const files = new Set(anthropicFixtures.files());
  const names = new Set([...files].filter((f) => f !== 'README.md' && !f.startsWith('.')).map((f) => f.split('.')[0] as string));
  return [...names].sort().map((name) => {
    const has = (suffix: string) => files.has(`${name}.${suffix}`);
    const kind: FixtureKind = has('upstream.sse')
      ? 'stream'
      : has('upstream-error.json')
        ? 'upstream-error'
        : has('upstream-response.json')
          ? 'response'
          : 'request';
    const success = { stream: 'chunks.json', response: 'openai-response.json', request: 'upstream-request.json', 'upstream-error': undefined }[kind];
    const expectedFile = success !== undefined && !has('expected-error.json') ? success : 'expected-error.json';
    return { name, kind, expectedFile: `${name}.${expectedFile}` };
  });
}

export function readFixture(file: string): string {
  return anthropicFixtures.text(file);
}

function readJson<T>(file: string): T {
  return anthropicFixtures.json(file) as T;
}

function readCaseSetup(name: string): { target: UpstreamTarget; request: ChatRequest; clientHeaders: Record<string, string> } {
  const overrides = anthropicFixtures.exists(`${name}.target.json`) ? readJson<TargetOverrides>(`${name}.target.json`) : {};
  const requestFile = `${name}.openai-request.json`;
  const raw = anthropicFixtures.exists(requestFile)
    ? readJson<unknown>(requestFile)
    : { model: 'anthropic/claude-sonnet-4.5', messages: [{ role: 'user', content: 'Hi' }] };
  return { target: createTestTarget(createTestModel(overrides)), request: chatRequestSchema.parse(raw), clientHeaders: overrides.clientHeaders ?? {} };
}

/** A GatewayError as plain JSON, undefined fields left out. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!isGatewayError(error)) throw error;
  return JSON.parse(
    JSON.stringify({
      code: error.code,
      status: error.status,
      type: error.type,
      param: error.param,
      message: error.message,
      retryable: error.retryable,
      retryAfter: error.retryAfter,
      upstreamStatus: error.upstreamStatus,
    }),
  ) as Record<string, unknown>;
}

export async function runFixtureCase(fixture: FixtureCase, splitBytes?: number): Promise<unknown> {
  const { name } = fixture;
  const { target, request, clientHeaders } = readCaseSetup(name);
  switch (fixture.kind) {
    case 'request':
      try {
        const { request: upstream, warnings } = await anthropicAdapter.toUpstream(request, target, createRequestContext(clientHeaders));
        return { ...upstream, body: JSON.parse(upstream.body ?? 'null'), warnings };
      } catch (error) {
        return describeError(error);
      }
    case 'response':
      try {
        return anthropicAdapter.fromUpstream(readJson(`${name}.upstream-response.json`), target, createResponseContext(request));
      } catch (error) {
        return describeError(error);
      }
    case 'upstream-error': {
      const { status, headers, body } = readJson<{ status: number; headers: Record<string, string>; body: string }>(`${name}.upstream-error.json`);
      return describeError(anthropicAdapter.parseError(status, headers, body, target));
    }
    case 'stream':
      return runStream(name, target, request, splitBytes);
  }
}

function runStream(name: string, target: UpstreamTarget, request: ChatRequest, splitBytes: number | undefined): unknown {
  const bytes = anthropicFixtures.bytes(`${name}.upstream.sse`);
  const translator = anthropicAdapter.createStreamTranslator(target, createResponseContext(request));
  const chunks: unknown[] = [];
  let error: Record<string, unknown> | null = null;
  let done = false;
  for (const event of decodeSseInSlices(bytes, splitBytes)) {
    const step = translator.push(event);
    chunks.push(...step.chunks);
    if (step.error !== undefined) error = describeError(step.error);
    if (step.done === true) done = true;
  }
  const end = translator.end();
  chunks.push(...end.chunks);
  return { chunks, error, done, truncated: end.truncated, finishReason: translator.finishReason, usage: translator.usage ?? null };
}
