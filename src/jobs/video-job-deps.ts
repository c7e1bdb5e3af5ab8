/** What the video job modules (submit, progress, finish) share: one object built by createVideoService. */
import type { Logger } from '../shared/logger.js';
import type { CatalogModel } from '../catalog/schema.js';
import type { ReleaseResult, ReserveInput, ReserveResult, SettleInput, SettleResult } from '../billing/holds.js';
import type { ResolvedMultiplier } from '../billing/price-multipliers.js';
import type { ChannelPick, ChannelRouter } from '../channels/channel-pick.js';
import type { RequestLogWriter } from '../store/request-log.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import type { Clock } from '../shared/clock.js';
import type { MediaAdapters } from './media-adapters.js';
import type { MediaJobsOptions } from './media-jobs-options.js';
import type { ResultStorage } from './result-storage.js';
import type { VideoJobRepository } from './video-jobs.js';

/** The slice of the billing service media calls use (billing-service.ts provides all of it). */
export interface MediaBillingPort {
  multiplierFor(groupId: string, modelId: string): Promise<ResolvedMultiplier>;
  reserve(input: ReserveInput): Promise<ReserveResult>;
  settle(holdId: string, input: SettleInput): Promise<SettleResult>;
  release(holdId: string, reason?: string): Promise<ReleaseResult>;
}

/**
 * Decrypted credentials of one channel by id. A job is polled on the channel that created it (the task lives in
 * that upstream account), whether or not the router would still pick that channel today.
 */
export type ChannelCredentials = (channelId: string) => Promise<ChannelPick | undefined>;

export interface VideoJobDeps {
  repo: VideoJobRepository;
  catalog: { get(id: string): CatalogModel | undefined };
  router: ChannelRouter;
  channelCredentials: ChannelCredentials;
  client: UpstreamClient;
  billing: MediaBillingPort;
  adapters: MediaAdapters;
  requestLog: RequestLogWriter;
  clock: Clock;
  logger: Logger;
  options: MediaJobsOptions;
  /** Present when finished videos are copied to the gateway's own storage. */
  storage: ResultStorage | undefined;
  /** [0, 1) source of the poll jitter. */
  random: () => number;
}
