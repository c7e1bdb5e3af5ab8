/**
 * A hold is never smaller than the most the upstream can be asked to produce. For random combinations of
 * max_tokens, max_completion_tokens, max_output_tokens, n, thinking and model ceilings, through every front door
 * (/chat/completions, /messages, /responses), each request is translated by the real adapter of every channel
 * that could serve it, and the output limit in the body it would send is compared with the hold's. Images (n)
 * and videos (duration) are checked the same way against what their adapters send.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitOutputLimit } from '../../../src/api/anthropic/fit-output-limit.js';
import { anthropicMessagesRequestSchema } from '../../../src/api/anthropic/messages-schema.js';
import { toChatRequest as fromMessages } from '../../../src/api/anthropic/to-chat-request.js';
import { responsesRequestSchema } from '../../../src/api/responses/responses-schema.js';
import { toChatRequest as fromResponses } from '../../../src/api/responses/to-chat-request.js';
import { worstCaseChatUsage } from '../../../src/billing/hold-estimate.js';
import { priceUsage } from '../../../src/billing/price.js';
import { readCatalogFile } from '../../../src/catalog/catalog-file.js';
import type { CatalogModel } from '../../../src/catalog/schema.js';
import { GatewayError } from '../../../src/shared/errors.js';
import { arkImageAdapter } from '../../../src/providers/ark/seedream-adapter.js';
import { arkVideoAdapter } from '../../../src/providers/ark/seedance-adapter.js';
import { dashscopeVideoAdapter } from '../../../src/providers/dashscope/wan-adapter.js';
import { createKlingVideoAdapter } from '../../../src/providers/kling/kling-adapter.js';
import { chatRequestSchema, type ChatRequest } from '../../../src/providers/openai/chat-types.js';
import { openAICompatibleProviderIds } from '../../../src/providers/openai-compatible/param-support.js';
import { chatAdapterFor } from '../../../src/providers/registry.js';
import type { ImageAdapter, VideoTaskAdapter } from '../../../src/providers/task-types.js';
import type { UpstreamTarget } from '../../../src/providers/types.js';

const catalog = readCatalogFile();
const chatModels = catalog.filter((model) => model.modality === 'chat');

/** Channels that may serve a model of this family: any OpenAI-compatible provider can front any such model. */
function channelProviders(model: CatalogModel): string[] {
  if (model.family === 'openai-compatible') return [...openAICompatibleProviderIds, 'some-compatible-server'];
  return [model.provider];
}

function targetFor(provider: string, model: CatalogModel): UpstreamTarget {
  return { provider, baseUrl: 'http://127.0.0.1:9', apiKey: 'k', secretKey: 's', upstreamModel: model.upstreamModel, model };
}

const requestContext = {
  fetchImage: () => Promise.reject(new Error('no images in these requests')),
  clientHeaders: {},
};

/** The most output tokens the body asks for; an upstream left without a limit writes at most the model's maximum. */
function askedOutputTokens(family: CatalogModel['family'], body: Record<string, unknown>, model: CatalogModel): number {
  const num = (value: unknown) => (typeof value === 'number' ? value : undefined);
  if (family === 'anthropic') return num(body.max_tokens) ?? Number.POSITIVE_INFINITY;
  if (family === 'gemini') {
    const config = (body.generationConfig ?? {}) as Record<string, unknown>;
    return (num(config.maxOutputTokens) ?? model.maxOutputTokens) * (num(config.candidateCount) ?? 1);
  }
  const limits = [num(body.max_tokens), num(body.max_completion_tokens)].filter((v): v is number => v !== undefined);
  const perChoice = limits.length > 0 ? Math.max(...limits) : model.maxOutputTokens;
  return perChoice * (num(body.n) ?? 1);
}

/** The upstream body for one channel, or undefined when the adapter refuses the request (nothing is asked). */
async function upstreamBody(request: ChatRequest, provider: string, model: CatalogModel): Promise<Record<string, unknown> | undefined> {
  const adapter = chatAdapterFor(model);
  if (adapter === undefined) throw new Error(`no adapter for ${model.family}`);
  try {
    const { request: upstream } = await adapter.toUpstream(request, targetFor(provider, model), requestContext);
    return JSON.parse(upstream.body ?? '{}') as Record<string, unknown>;
  } catch (error) {
    if (error instanceof GatewayError && error.status === 400) return undefined;
    throw error;
  }
}

const limit = fc.option(fc.integer({ min: 1, max: 300_000 }), { nil: undefined });
const effort = fc.option(fc.constantFrom('none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'), { nil: undefined });
const thinking = fc.option(
  fc.oneof(
    fc.integer({ min: 1024, max: 40_000 }).map((budget) => ({ type: 'enabled', budget_tokens: budget })),
    fc.constant({ type: 'disabled' }),
  ),
  { nil: undefined },
);

/** A catalog chat model with a random output ceiling (and a default under it, as the catalog invariants demand). */
const modelArb = fc
  .tuple(fc.constantFrom(...chatModels), fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 200_000 }))
  .map(([model, ceiling, fallback]): CatalogModel => ({
    ...model,
    maxOutputTokens: ceiling,
    contextLength: Math.max(model.contextLength, ceiling),
    ...(model.defaultMaxTokens !== undefined ? { defaultMaxTokens: Math.min(fallback, ceiling) } : {}),
  }));

type FrontDoor = 'chat' | 'messages' | 'responses';

/** The pipeline's request as each front door builds it, or undefined when the front door refuses the body. */
function frontDoorRequest(door: FrontDoor, model: CatalogModel, input: FrontDoorInput): ChatRequest | undefined {
  const messages = [{ role: 'user', content: 'Write as much as you may.' }];
  if (door === 'chat') {
    const parsed = chatRequestSchema.safeParse({
      model: model.id,
      messages,
      max_tokens: input.maxTokens,
      max_completion_tokens: input.maxCompletionTokens,
      n: input.n,
      reasoning_effort: input.effort,
      ...(input.thinking !== undefined ? { thinking: input.thinking } : {}),
    });
    return parsed.success ? parsed.data : undefined;
  }
  if (door === 'messages') {
    const parsed = anthropicMessagesRequestSchema.safeParse({ model: model.id, max_tokens: input.maxTokens ?? 1024, messages, thinking: input.thinking });
    return parsed.success ? fitOutputLimit({ ...fromMessages(parsed.data), model: model.id }, model).request : undefined;
  }
  const parsed = responsesRequestSchema.safeParse({
    model: model.id,
    input: 'Write as much as you may.',
    max_output_tokens: input.maxOutputTokens,
    ...(input.effort !== undefined ? { reasoning: { effort: input.effort } } : {}),
  });
  return parsed.success ? fromResponses(parsed.data).request : undefined;
}

interface FrontDoorInput {
  maxTokens: number | undefined;
  maxCompletionTokens: number | undefined;
  maxOutputTokens: number | undefined;
  n: number | undefined;
  effort: string | undefined;
  thinking: Record<string, unknown> | undefined;
}

const inputArb: fc.Arbitrary<FrontDoorInput> = fc.record({
  maxTokens: limit,
  maxCompletionTokens: limit,
  maxOutputTokens: limit,
  n: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  effort,
  thinking,
});

describe('holds cover the most the upstream can be asked to produce', () => {
  it.each<FrontDoor>(['chat', 'messages', 'responses'])('through %s, on every channel of every chat family', async (door) => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(modelArb, inputArb, async (model, input) => {
        const request = frontDoorRequest(door, model, input);
        if (request === undefined) return;
        const held = worstCaseChatUsage(request, model);
        if (held.kind !== 'tokens') throw new Error('chat holds are in tokens');
        for (const provider of channelProviders(model)) {
          const body = await upstreamBody(request, provider, model);
          if (body === undefined) continue;
          compared += 1;
          expect(held.usage.outputTokens, `${provider} ${JSON.stringify(request)}`).toBeGreaterThanOrEqual(askedOutputTokens(model.family, body, model));
        }
      }),
      { numRuns: 250, seed: 20_260_107 },
    );
    expect(compared).toBeGreaterThan(100);
  });

  it('holds an image request for the images and size its adapter asks for', () => {
    const imageModels = catalog.filter((model) => model.family === 'ark-image');
    const adapters: Record<string, ImageAdapter> = { 'ark-image': arkImageAdapter };
    fc.assert(
      fc.property(
        fc.constantFrom(...imageModels),
        fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
        fc.option(fc.constantFrom('1K', '2K', '4K', '2048x2048', '1024x1024', '3024x1296'), { nil: undefined }),
        (model, n, size) => {
          const adapter = adapters[model.family]!;
          let valid;
          try {
            valid = adapter.validate({ model: model.id, prompt: 'A lighthouse', ...(n !== undefined ? { n } : {}), ...(size !== undefined ? { size } : {}) }, model);
          } catch (error) {
            if (error instanceof GatewayError) return;
            throw error;
          }
          const held = priceUsage({ kind: 'image', images: valid.n, size: valid.size }, model.pricing);
          const body = JSON.parse(adapter.toUpstream(valid, targetFor(model.provider, model)).request.body ?? '{}') as Record<string, unknown>;
          const options = body.sequential_image_generation_options as { max_images?: number } | undefined;
          const asked = priceUsage({ kind: 'image', images: options?.max_images ?? 1, size: String(body.size) }, model.pricing);
          expect(held).toBeGreaterThanOrEqual(asked);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('holds a video request for the duration its adapter asks for', async () => {
    const adapters: Record<string, VideoTaskAdapter> = {
      'ark-video': arkVideoAdapter,
      'kling-video': createKlingVideoAdapter(),
      'dashscope-video': dashscopeVideoAdapter,
    };
    const videoModels = catalog.filter((model) => model.modality === 'video');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...videoModels), fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }), async (model, duration) => {
        const adapter = adapters[model.family]!;
        const request = {
          model: model.id,
          prompt: `A lighthouse at dusk --dur ${duration ?? 30} --frames 999`,
          ...(duration !== undefined ? { duration } : {}),
          ...(model.video?.roles.includes('first_frame') && !model.upstreamModel.includes('t2v') ? { content: [{ type: 'image_url' as const, image_url: { url: 'https://example.com/a.png' }, role: 'first_frame' }] } : {}),
        };
        let valid;
        try {
          valid = adapter.validate(request, model);
        } catch (error) {
          if (error instanceof GatewayError) return;
          throw error;
        }
        const submission = await adapter.submit(valid, targetFor(model.provider, model), { now: () => 1_700_000_000_000 });
        const body = JSON.parse(submission.request.body ?? '{}') as Record<string, unknown>;
        expect(valid.duration).toBeGreaterThanOrEqual(askedSeconds(model.family, body));
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});

/**
 * Every duration the body names (Kling's string, Wan's parameter, Seedance's field or the text commands Seedance
 * reads in its prompt): the longest.
 */
function askedSeconds(family: CatalogModel['family'], body: Record<string, unknown>): number {
  const found: number[] = [];
  const text = JSON.stringify(body);
  if (family === 'ark-video') for (const match of text.matchAll(/--(?:dur|duration)\s+(\d+)/g)) found.push(Number(match[1]));
  for (const match of text.matchAll(/"duration":"?(\d+)"?/g)) found.push(Number(match[1]));
  if (found.length === 0) throw new Error(`no duration in ${text}`);
  return Math.max(...found);
}
