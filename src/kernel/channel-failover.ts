/**
 * One retry policy for every modality: channels serving the model are tried in routing order, each at most
 * once and at most `maxAttempts` in all, until an attempt succeeds. A failed attempt moves on only when the
 * modality's classifier calls its error retryable (another channel may fare better); any other failure is
 * the call's answer. An attempt that throws ends the call at once: it means the outcome must not be retried
 * (a chat stream already started, an image call whose images may exist, a video create that may exist).
 */
import type { ChannelPick, ChannelRouter } from '../channels/channel-pick.js';
import { GatewayError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

export type AttemptResult<T> = { ok: true; value: T } | { ok: false; error: GatewayError };

export interface FailoverInput<T> {
  modelId: string;
  router: Pick<ChannelRouter, 'pick'>;
  maxAttempts: number;
  /** Whether another channel may answer where this one failed (the modality's own view of retryable). */
  isRetryable(error: GatewayError): boolean;
  attempt(channel: ChannelPick): Promise<AttemptResult<T>>;
  /** The answer when no channel could be tried at all. */
  noChannel(): GatewayError;
  logger: Pick<Logger, 'warn'>;
  /** Named in the log line of a failed attempt. */
  modality: string;
}

export type FailoverResult<T> = { ok: true; value: T; channel: ChannelPick } | { ok: false; error: GatewayError };

export async function withChannelFailover<T>(input: FailoverInput<T>): Promise<FailoverResult<T>> {
  const tried = new Set<string>();
  let lastError: GatewayError | undefined;
  for (let attempt = 0; attempt < input.maxAttempts; attempt++) {
    const channel = input.router.pick(input.modelId, tried);
    if (!channel) break;
    tried.add(channel.channelId);
    const result = await input.attempt(channel);
    if (result.ok) return { ok: true, value: result.value, channel };
    if (!input.isRetryable(result.error)) return { ok: false, error: result.error };
    input.logger.warn(
      { modality: input.modality, channel: channel.channelId, code: result.error.code, upstreamStatus: result.error.upstreamStatus },
      'upstream attempt failed; trying another channel',
    );
    lastError = result.error;
  }
  return { ok: false, error: lastError ?? input.noChannel() };
}

/** Retryable as the error catalog says: 429, 5xx, timeouts, unreachable. */
export const catalogRetryable = (error: GatewayError): boolean => error.retryable;
