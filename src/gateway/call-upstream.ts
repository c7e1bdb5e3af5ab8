/**
 * Sends one chat call upstream with failover: channels are tried in routing order until one answers with a
 * success status. Only retryable failures (429, 5xx, timeouts, unreachable) move on to the next channel, and
 * only before anything reached the client — a started stream is never retried.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import { errors as undiciErrors } from 'undici';
import { GatewayError } from '../errors.js';
import type { CatalogModel } from '../catalog/schema.js';
import type { ChatRequest } from '../providers/openai/chat-types.js';
import type { ChatAdapter, RequestContext, TranslationWarning, UpstreamTarget } from '../providers/types.js';
import { toUpstreamTarget, type ChannelPick, type ChannelRouter } from './channel-pick.js';
import type { UpstreamClient, UpstreamResponse } from './upstream-client.js';

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

/**
 * Reads a whole (non-stream) body up to `maxBytes`. A body that goes silent past the idle timeout is a
 * timeout (504 `upstream_timeout`), whatever part of it had arrived; other read failures are left to the caller.
 */
export async function readLimitedText(body: UpstreamResponse['body'], maxBytes: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      if (size + buf.length > maxBytes) {
        parts.push(buf.subarray(0, maxBytes - size));
        body.destroy();
        break;
      }
      parts.push(buf);
      size += buf.length;
    }
  } catch (error) {
    if (error instanceof undiciErrors.BodyTimeoutError) throw new GatewayError('upstream_timeout', { message: 'The upstream stopped sending its answer.', cause: error });
    throw error;
  }
  return Buffer.concat(parts).toString('utf8');
}
