/**
 * Sends one chat call upstream with the kernel's failover: channels are tried in routing order until one answers
 * with a success status. Only retryable failures (429, 5xx, timeouts, unreachable) move on to the next channel,
 * and only before anything reached the client — a started stream is never retried.
 */
import type { Logger } from '../shared/logger.js';
import { GatewayError } from '../shared/errors.js';
import type { CatalogModel } from '../catalog/schema.js';
import type { ChatRequest } from '../providers/openai/chat-types.js';
import type { ChatAdapter, RequestContext, TranslationWarning, UpstreamTarget } from '../providers/types.js';
import { toUpstreamTarget, type ChannelPick, type ChannelRouter } from '../channels/channel-pick.js';
import { withChannelFailover } from '../kernel/channel-failover.js';
import type { UpstreamClient, UpstreamResponse } from '../upstream/upstream-client.js';
import { readLimitedText } from '../upstream/read-limited-text.js';

/** Error bodies are read up to this size; the rest is irrelevant to the error and may be huge. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export interface UpstreamCallInput {
  model: CatalogModel;
  request: ChatRequest;
  adapter: ChatAdapter;
  router: ChannelRouter;
  client: UpstreamClient;
  requestContext: RequestContext;
  signal: AbortSignal;
  maxAttempts: number;
  logger: Logger;
}

export interface UpstreamCallResult {
  response: UpstreamResponse;
  target: UpstreamTarget;
  channel: ChannelPick;
  warnings: TranslationWarning[];
}

export async function callUpstreamWithFailover(input: UpstreamCallInput): Promise<UpstreamCallResult> {
  const result = await withChannelFailover<Omit<UpstreamCallResult, 'channel'>>({
    modality: 'chat',
    modelId: input.model.id,
    router: input.router,
    maxAttempts: input.maxAttempts,
    // Nothing has reached the client yet, so any retryable failure may go elsewhere, timeouts included;
    // once the client or the gateway ended the call there is no one left to answer.
    isRetryable: (error) => error.retryable && !input.signal.aborted,
    noChannel: () => new GatewayError('model_not_found', { param: 'model', message: `The model '${input.model.id}' is not available.` }),
    logger: input.logger,
    attempt: async (channel) => {
      const target = toUpstreamTarget(channel, input.model);
      const { request: upstreamRequest, warnings } = await input.adapter.toUpstream(input.request, target, input.requestContext);
      try {
        const response = await input.client.send(upstreamRequest, input.signal);
        if (response.status >= 200 && response.status < 300) return { ok: true, value: { response, target, warnings } };
        const bodyText = await readLimitedText(response.body, MAX_ERROR_BODY_BYTES);
        return { ok: false, error: input.adapter.parseError(response.status, response.headers, bodyText, target) };
      } catch (error) {
        return { ok: false, error: error instanceof GatewayError ? error : new GatewayError('upstream_error', { cause: error }) };
      }
    },
  });
  if (!result.ok) throw result.error;
  return { ...result.value, channel: result.channel };
}
