/**
 * Shared setup for the Gemini family tests: a channel target, a request context whose image fetcher is a
 * table of known URLs, a response context, and a stable JSON view of GatewayErrors for fixtures.
 */
import { GatewayError } from '../../../../src/shared/errors.js';
import type { CatalogModel } from '../../../../src/catalog/schema.js';
import type { ChatRequest } from '../../../../src/providers/openai/chat-types.js';
import type { FetchedImage, RequestContext, ResponseContext, UpstreamTarget } from '../../../../src/providers/types.js';
import { openFixtureFolder } from '../../../support/fixture-runner.js';

export const TEST_API_KEY = 'test-gemini-key-0000';

export function readFixture(relative: string): string {
  return openFixtureFolder('gemini').text(relative);
}

export function makeGeminiTarget(upstreamModel: string, baseUrl = 'https://generativelanguage.googleapis.com/v1beta'): UpstreamTarget {
  const model: CatalogModel = {
    id: `google/${upstreamModel}`,
    name: upstreamModel,
    description: '',
    provider: 'google',
    family: 'gemini',
    upstreamModel,
    modality: 'chat',
    created: 0,
    contextLength: 1_048_576,
    maxOutputTokens: 65_536,
    capabilities: { tools: true, vision: true, json_schema: true, reasoning: true, streaming: true },
    pricing: { kind: 'tokens', inputPerMTok: '0.30', outputPerMTok: '2.50' },
    enabled: true,
  };
  return { provider: 'google', baseUrl, apiKey: TEST_API_KEY, upstreamModel, model };
}

const knownImages: Record<string, FetchedImage> = {
  'https://images.example/cat.png': { mimeType: 'image/png', data: 'iVBORw0KGgo=' },
};

/** Answers known URLs; refuses the rest the way the gateway's SSRF-safe fetcher would. */
export function makeRequestContext(fetched: string[] = []): RequestContext {
  return {
    clientHeaders: {},
    fetchImage: async (url) => {
      fetched.push(url);
      const image = knownImages[url];
      if (image === undefined) throw new GatewayError('image_fetch_failed', { message: 'The image URL resolves to a metadata address, which is not allowed.' });
      return image;
    },
  };
}

export function makeResponseContext(request: Partial<ChatRequest> = {}): ResponseContext {
  return {
    id: 'chatcmpl-test',
    created: 1_760_000_000,
    model: 'google/gemini-test',
    request: { model: 'google/gemini-test', messages: [{ role: 'user', content: 'x' }], ...request } as ChatRequest,
  };
}

export function describeGatewayError(err: GatewayError): Record<string, unknown> {
  return {
    code: err.code,
    status: err.status,
    type: err.type,
    message: err.message,
    param: err.param,
    retryable: err.retryable,
    retryAfter: err.retryAfter ?? null,
    upstreamStatus: err.upstreamStatus ?? null,
    // A schema failure's message is the whole issue list; its kind is what a fixture should pin.
    cause: err.cause instanceof Error ? (err.cause.name === 'ZodError' ? 'ZodError' : err.cause.message) : null,
  };
}
