/**
 * The media composition: the video service, its poller and callback dispatcher, result storage, and the
 * image generation deps, built once per gateway process from the shared services. Nothing runs until start();
 * close() stops the timers and waits for passes in progress (call it before the store closes).
 */
import { hostname } from 'node:os';
import path from 'node:path';
import type { Logger } from '../shared/logger.js';
import type { Kysely } from 'kysely';
import type { CatalogModel } from '../catalog/schema.js';
import type { ChannelRouter } from '../channels/channel-pick.js';
import type { RequestLogWriter } from '../store/request-log.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import type { Clock } from '../shared/clock.js';
import { randomHex } from '../shared/ids.js';
import type { Database } from '../store/schema.js';
import type { CallbackSecrets } from './callback-secrets.js';
import { createCallbackDispatcher } from './callbacks.js';
import type { ImageGenerationDeps } from './image-generation.js';
import { createMediaAdapters, type MediaAdapters } from './media-adapters.js';
import { defaultMediaJobsOptions, type MediaJobsOptions } from './media-jobs-options.js';
import { createVideoPoller, type PeriodicWorker } from './poller.js';
import { createLocalResultStorage, createSignedFileUrls, deriveFileUrlKey, type ResultStorage, type SignedFileUrls } from './result-storage.js';
import { createVideoJobRepository, type VideoJob } from './video-jobs.js';
import type { ChannelCredentials, MediaBillingPort, VideoJobDeps } from './video-job-deps.js';
import { createVideoService, type VideoService } from './video-service.js';
import { toVideoTask, type VideoTask } from './video-task-view.js';

export interface MediaJobsDeps {
  db: Kysely<Database>;
  catalog: { get(id: string): CatalogModel | undefined };
  router: ChannelRouter;
  channelCredentials: ChannelCredentials;
  client: UpstreamClient;
  billing: MediaBillingPort;
  requestLog: RequestLogWriter;
  clock: Clock;
  logger: Logger;
  /** The gateway's 32-byte master key: signed video URLs. */
  masterKey: Buffer;
  /** Stored videos go to `<dataDir>/videos`. */
  dataDir: string;
  options?: Partial<MediaJobsOptions> | undefined;
  /** Each user's callback signing secret. */
  callbackSecrets: CallbackSecrets;
  /** TOKENHUB_PUBLIC_URL: the origin in signed video URLs sent by callbacks (routes use the request's origin otherwise). */
  publicBaseUrl?: string | undefined;
  /** Lease owner id of this process; generated when absent. */
  ownerId?: string | undefined;
  random?: (() => number) | undefined;
  /** Another result backend (an S3-compatible bucket); the local directory when absent. */
  storage?: ResultStorage | undefined;
}

export interface MediaFiles {
  storage: ResultStorage;
  urls: SignedFileUrls;
}

export interface MediaJobs {
  videos: VideoService;
  images: ImageGenerationDeps;
  poller: PeriodicWorker;
  callbacks: PeriodicWorker;
  /** Present when result storage is on. */
  files: MediaFiles | undefined;
  options: MediaJobsOptions;
  ownerId: string;
  publicBaseUrl: string | undefined;
  /** The public task object; `baseUrl` is the origin for signed video URLs. */
  taskOf(job: VideoJob, baseUrl: string | undefined): VideoTask;
  /** Starts the poller and the callback dispatcher timers. */
  start(): void;
  close(): Promise<void>;
}

function createMediaFiles(deps: MediaJobsDeps, options: MediaJobsOptions): MediaFiles | undefined {
  if (!options.storeResults) return undefined;
  return {
    storage: deps.storage ?? createLocalResultStorage(path.join(deps.dataDir, 'videos')),
    urls: createSignedFileUrls({ key: deriveFileUrlKey(deps.masterKey), ttlMs: options.urlTtlMs, clock: deps.clock }),
  };
}

function toImageGenerationDeps(deps: MediaJobsDeps, adapters: MediaAdapters, options: MediaJobsOptions): ImageGenerationDeps {
  const { catalog, router, client, billing, requestLog, clock } = deps;
  return { catalog, router, client, billing, adapters, requestLog, clock, timeoutMs: options.imageTimeoutMs, maxAttempts: options.maxSubmitAttempts };
}

export function createMediaJobs(deps: MediaJobsDeps): MediaJobs {
  const options: MediaJobsOptions = { ...defaultMediaJobsOptions, ...deps.options };
  const ownerId = deps.ownerId ?? `${hostname()}:${process.pid}:${randomHex(4)}`;
  const random = deps.random ?? Math.random;
  const adapters: MediaAdapters = createMediaAdapters();
  const repo = createVideoJobRepository(deps.db);
  const files = createMediaFiles(deps, options);
  const jobDeps: VideoJobDeps = {
    repo,
    catalog: deps.catalog,
    router: deps.router,
    channelCredentials: deps.channelCredentials,
    client: deps.client,
    billing: deps.billing,
    adapters,
    requestLog: deps.requestLog,
    clock: deps.clock,
    logger: deps.logger,
    options,
    storage: files?.storage,
    random,
  };
  const videos = createVideoService(jobDeps, ownerId);
  const taskOf = (job: VideoJob, baseUrl: string | undefined) =>
    toVideoTask(job, { fileUrl: files !== undefined && baseUrl !== undefined ? (name) => files.urls.sign(name, baseUrl) : undefined });
  const poller = createVideoPoller(
    { repo, advance: videos.advance, logger: deps.logger },
    { clock: deps.clock, intervalMs: options.pollIntervalMs, batch: options.batch, leaseMs: options.leaseMs, ownerId },
  );
  const callbacks = createCallbackDispatcher({
    repo,
    clock: deps.clock,
    logger: deps.logger,
    secretFor: async (userId) => (await deps.callbackSecrets.get(userId)).secret,
    options,
    ownerId: `${ownerId}/callbacks`,
    taskOf: (job) => taskOf(job, deps.publicBaseUrl),
    random,
  });
  return {
    videos,
    images: toImageGenerationDeps(deps, adapters, options),
    poller,
    callbacks,
    files,
    options,
    ownerId,
    publicBaseUrl: deps.publicBaseUrl,
    taskOf,
    start() {
      poller.start();
      callbacks.start();
    },
    async close() {
      await poller.stop();
      await callbacks.stop();
    },
  };
}
