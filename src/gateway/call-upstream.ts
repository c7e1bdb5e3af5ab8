/**
 * Sends one chat call upstream with failover: channels are tried in routing order until one answers with a
 * success status. Only retryable failures (429, 5xx, timeouts, unreachable) move on to the next channel, and
 * only before anything reached the client — a started stream is never retried.
 */
import type { Logger } from '../shared/logger.js';
import { GatewayError } from '../shared/errors.js';
import type { CatalogModel } from '../catalog/schema.js';
import type { ChatRequest } from '../providers/openai/chat-types.js';
import type { ChatAdapter, RequestContext, TranslationWarning, UpstreamTarget } from '../providers/types.js';
import { toUpstreamTarget, type ChannelPick, type ChannelRouter } from '../channels/channel-pick.js';
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
  const tried = new Set<string>();
  let lastError: GatewayError | undefined;
  for (let attempt = 0; attempt < input.maxAttempts; attempt++) {
    const channel = input.router.pick(input.model.id, tried);
    if (!channel) break;
    tried.add(channel.channelId);
    const target = toUpstreamTarget(channel, input.model);
    const { request: upstreamRequest, warnings } = await input.adapter.toUpstream(input.request, target, input.requestContext);
    try {
      const response = await input.client.send(upstreamRequest, input.signal);
      if (response.status >= 200 && response.status < 300) return { response, target, channel, warnings };
      const bodyText = await readLimitedText(response.body, MAX_ERROR_BODY_BYTES);
      throw input.adapter.parseError(response.status, response.headers, bodyText, target);
    } catch (error) {
      const gatewayError = error instanceof GatewayError ? error : new GatewayError('upstream_error', { cause: error });
      if (input.signal.aborted || !gatewayError.retryable) throw gatewayError;
      input.logger.warn({ channel: channel.channelId, code: gatewayError.code, upstreamStatus: gatewayError.upstreamStatus }, 'upstream attempt failed');
      lastError = gatewayError;
    }
  }
  throw lastError ?? new GatewayError('model_not_found', { param: 'model', message: `The model '${input.model.id}' is not available.` });
}

