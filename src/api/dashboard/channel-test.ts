/**
 * The admin's channel check: one tiny chat request (`max_tokens` 8) straight to one channel, bypassing routing,
 * billing and the request log. It answers whether the credentials and base URL work, never the reply itself.
 */
import type { CatalogModel } from '../../catalog/schema.js';
import { GatewayError } from '../../shared/errors.js';
import { toUpstreamTarget } from '../../channels/channel-pick.js';
import type { ChannelService } from '../../channels/channels.js';
import type { ChannelCredentials } from '../../jobs/video-job-deps.js';
import { readLimitedText } from '../../upstream/read-limited-text.js';
import type { UpstreamClient } from '../../upstream/upstream-client.js';
import type { ChatRequest } from '../../providers/openai/chat-types.js';
import type { ChatAdapter, FetchedImage } from '../../providers/types.js';
import type { Clock } from '../../shared/clock.js';

export interface ChannelTestDeps {
  /** By channel id, disabled channels included: a channel is often tested before it is switched on. */
  credentials: ChannelCredentials;
  channels: Pick<ChannelService, 'get'>;
  catalog: { get(id: string): CatalogModel | undefined };
  adapterFor(model: CatalogModel): ChatAdapter | undefined;
  client: Pick<UpstreamClient, 'send'>;
  clock: Clock;
  timeoutMs?: number;
}

export interface ChannelTestResult {
  ok: boolean;
  model: string | null;
  status: number | null;
  latency_ms: number | null;
  error_code: string | null;
  message: string | null;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const MAX_ERROR_BYTES = 16 * 1024;

const noImages = async (): Promise<FetchedImage> => {
  throw new GatewayError('image_fetch_failed', { message: 'The channel test sends no images.' });
};

/** Undefined when there is no such channel. */
export async function runChannelTest(deps: ChannelTestDeps, channelId: string): Promise<ChannelTestResult | undefined> {
  const [channel, credentials] = await Promise.all([deps.channels.get(channelId), deps.credentials(channelId)]);
  if (!channel || !credentials) return undefined;
  const model = channel.models.map((id) => deps.catalog.get(id)).find((m): m is CatalogModel => m?.modality === 'chat' && deps.adapterFor(m) !== undefined);
  const adapter = model && deps.adapterFor(model);
  if (!model || !adapter) return { ok: false, model: null, status: null, latency_ms: null, error_code: 'no_chat_model', message: null };

  const request: ChatRequest = { model: model.id, messages: [{ role: 'user', content: 'Reply with the word "ok".' }], max_tokens: 8, stream: false };
  const target = toUpstreamTarget(credentials, model);
  const startedAt = deps.clock.now();
  try {
    const { request: upstream } = await adapter.toUpstream(request, target, { fetchImage: noImages, clientHeaders: {} });
    const response = await deps.client.send(upstream, AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    const body = await readLimitedText(response.body, MAX_ERROR_BYTES);
    const latency = deps.clock.now() - startedAt;
    if (response.status >= 200 && response.status < 300) {
      return { ok: true, model: model.id, status: response.status, latency_ms: latency, error_code: null, message: null };
    }
    const error = adapter.parseError(response.status, response.headers, body, target);
    return { ok: false, model: model.id, status: response.status, latency_ms: latency, error_code: error.code, message: error.message };
  } catch (error) {
    const gatewayError = error instanceof GatewayError ? error : new GatewayError('upstream_unavailable', { cause: error });
    return { ok: false, model: model.id, status: null, latency_ms: deps.clock.now() - startedAt, error_code: gatewayError.code, message: gatewayError.message };
  }
}
