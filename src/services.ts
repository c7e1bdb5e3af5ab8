/**
 * The composition root. createServices builds the domain services from a Config (the server and the CLI
 * share it); createGateway adds what only a server needs (start-up steps, the pipeline, background work, the
 * route table in api/routes.ts) and owns the shutdown order. main.ts and the test harness start it here.
 */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createUserService, type UserService } from './accounts/users.js';
import { createApiKeyService, type ApiKeyService } from './accounts/api-keys.js';
import { bootstrapFirstStart, type BootstrapCredentials } from './accounts/bootstrap.js';
import { createCatalog, type Catalog } from './catalog/catalog.js';
import { createChannelService, type ChannelService } from './channels/channels.js';
import { createRequestLogWriter, type RequestLogWriter } from './store/request-log.js';
import { createUpstreamClient } from './upstream/upstream-client.js';
import { createImageFetcher } from './upstream/fetch-image.js';
import { createRequestImages } from './gateway/request-images.js';
import { createCallbackSecrets, type CallbackSecrets } from './jobs/callback-secrets.js';
import type { ChatBillingPort } from './billing/chat-billing-port.js';
import { createBillingService, type BillingService } from './billing/billing-service.js';
import { toBillingOptions } from './billing/billing-options.js';
import { usdToNanos } from './billing/money.js';
import { holdReaperIntervalMs, startHoldReaper } from './billing/hold-reaper.js';
import { releaseRequestHoldsOfDeadProcess } from './billing/restart-holds.js';
import { renewHolds } from './billing/holds.js';
import { LiveRequests } from './kernel/live-requests.js';
import { startHoldRenewal } from './kernel/hold-renewal.js';
import { startLiveAuthCheck } from './kernel/live-auth-check.js';
import { drainAndClose, Readiness } from './api/drain.js';
import { DEFAULT_KEY_CACHE_TTL_MS } from './accounts/api-keys.js';
import type { ChatPipelineDeps } from './gateway/chat-pipeline.js';
import { chatAdapterFor } from './providers/registry.js';
import type { DelayPolicy } from './accounts/attempt-limiter.js';
import { openStore, type Store } from './store/db.js';
import { createMediaJobs, type MediaJobs } from './jobs/media-jobs.js';
import { toMediaJobsOptions, type MediaJobsOptions } from './jobs/media-jobs-options.js';
import { createSessionService, type SessionService } from './accounts/sessions.js';
import { createLoginThrottle, type LoginThrottle } from './accounts/login-throttle.js';
import { createSignupInviteService, type SignupInviteService } from './accounts/signup-invites.js';
import { registerRoutes } from './api/routes.js';
import { loadOrCreateMasterKey, SecretBox } from './shared/crypto.js';
import { systemClock, type Clock } from './shared/clock.js';
import { sha256Hex } from './shared/crypto.js';
import { createGatewayMetrics } from './shared/metrics.js';
import { createRedisClusterEvents, singleInstanceEvents, type ClusterEvent, type ClusterEvents } from './shared/cluster-events.js';

export interface GatewayOptions {
  clock?: Clock;
  logger?: Logger;
  /** Lets image URLs on loopback and private addresses through (tests and demo mode only). */
  allowPrivateImageUrls?: boolean;
  /** Node process metrics (off in tests, which start many gateways in one process). */
  defaultMetrics?: boolean;
  /** Billing for chat calls; defaults to the ledger-backed billing service. */
  chatBilling?: ChatBillingPort;
  /** How often expired holds are released (ms); default a quarter of the hold TTL, 1 s to 1 min. */
  holdReaperIntervalMs?: number;
  /** Wrong admin tokens allowed per address before delays (tests that sweep every admin route raise it). */
  adminTokenFailures?: DelayPolicy;
  /** How often running requests re-check their key and account against the store (ms); default the key cache TTL. */
  liveAuthCheckIntervalMs?: number;
  /** Video job overrides (tests drive the poller by hand with `start: false`). */
  media?: { options?: Partial<MediaJobsOptions>; ownerId?: string; random?: () => number; start?: boolean };
}

export interface Gateway {
  app: FastifyInstance;
  config: Config;
  store: Store;
  catalog: Catalog;
  users: UserService;
  apiKeys: ApiKeyService;
  channels: ChannelService;
  requestLog: RequestLogWriter;
  billing: BillingService;
  media: MediaJobs;
  /** The chat requests alive in this process. */
  live: LiveRequests;
  /** Cache invalidation shared with other instances (Redis pub/sub when configured); `ready()` also waits
   * until every event received so far has been applied. */
  events: ClusterEvents;
  /** Admin login and first API key, present only on the very first start of an empty store. */
  firstStart: BootstrapCredentials | undefined;
  /** Closes at once (running requests are cut); idempotent. */
  close(): Promise<void>;
  /** SIGTERM: unready and no new connections at once, running requests get up to `deadlineMs`, then close. */
  drain(deadlineMs: number): Promise<void>;
}

export async function createGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: config.logLevel });
  const store = await openConfiguredStore(config);
  const { db } = store;
  const services = createServices(store, config, { clock });
  const { masterKey, catalog, billing, users, apiKeys, channels, callbackSecrets } = services;
  const { events, firstStart } = await prepareToServe(services, config, logger);

  const requestLog = createRequestLogWriter(db, logger, config.requestLog);
  const upstreamClient = createUpstreamClient(config.timeouts);
  const fetchImage = createImageFetcher({
    maxBytes: 20 * 1024 * 1024,
    timeoutMs: 15_000,
    allowPrivateAddresses: options.allowPrivateImageUrls ?? false,
  });

  const channelCredentials = (channelId: string) => channels.credentials(channelId);
  const { callbackSecret, ...mediaSettings } = config.media;
  // One shared key would let every tenant forge every other tenant's callbacks; each user now has their own.
  if (callbackSecret !== undefined) logger.warn('TOKENHUB_CALLBACK_SECRET is no longer used: each user signs with their own callback secret, shown in the dashboard');
  const media = createMediaJobs({
    db,
    catalog,
    router: channels,
    channelCredentials,
    client: upstreamClient,
    billing,
    requestLog,
    clock,
    logger,
    masterKey,
    dataDir: config.dataDir,
    callbackSecrets,
    publicBaseUrl: config.publicUrl,
    options: { ...toMediaJobsOptions(mediaSettings), allowPrivateAddresses: options.allowPrivateImageUrls ?? false, ...options.media?.options },
    ownerId: options.media?.ownerId,
    random: options.media?.random,
  });

  const metrics = createGatewayMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const live = new LiveRequests(config.streams.maxPerUser);
  const pipeline: ChatPipelineDeps = {
    catalog,
    router: channels,
    adapterFor: chatAdapterFor,
    client: upstreamClient,
    billing: options.chatBilling ?? billing.chat,
    requestLog,
    imagesForRequest: (signal) => createRequestImages(fetchImage, config.imageUrls, signal),
    clock,
    maxAttempts: 3,
    metrics,
    live,
    streams: { deadlineMs: config.streams.deadlineMs, stallTimeoutMs: config.streams.stallTimeoutMs },
  };

  const background = startBackgroundWork({ services, media, live, logger, options });

  const readiness = new Readiness();
  const app = await buildApp({
    readiness,
    logger,
    clock,
    bodyLimitBytes: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestLog,
    metrics,
    routes: [
      (a) =>
        registerRoutes(a, {
          ...services,
          media,
          requestLog,
          metrics,
          pipeline,
          upstreamClient,
          settings: {
            adminToken: config.adminToken,
            adminTokenFailures: options.adminTokenFailures,
            signupMode: config.signupMode,
            publicUrl: config.publicUrl,
            webRoot: config.webRoot,
          },
        }),
    ],
    onClose: async () => {
      // Jobs first: a poll in progress still needs the store and the request log.
      await background.stop();
      await apiKeys.flushLastUsed();
      await requestLog.close();
      await upstreamClient.close();
      await events.close();
      await store.close();
    },
  });

  let closing: Promise<void> | undefined;
  const close = () => (closing ??= app.close());
  const drain = (deadlineMs: number) => drainAndClose({ app, live, readiness, logger: app.log, close }, deadlineMs);
  return { app, config, store, catalog, users, apiKeys, channels, requestLog, billing, media, live, events, firstStart, close, drain };
}

/** The configured store: PostgreSQL when a database URL is set, else SQLite in the data directory. */
export function openConfiguredStore(config: Config): Promise<Store> {
  return openStore({
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
    sqliteFile: path.join(config.dataDir, 'tokenhub.db'),
  });
}

/** The domain services over one store, as the server and the CLI both use them. */
export interface Services {
  store: Store;
  clock: Clock;
  masterKey: Buffer;
  catalog: Catalog;
  billing: BillingService;
  users: UserService;
  apiKeys: ApiKeyService;
  channels: ChannelService;
  sessions: SessionService;
  invites: SignupInviteService;
  loginThrottle: LoginThrottle;
  callbackSecrets: CallbackSecrets;
}

/**
 * Builds the services without touching the store: the catalog is not loaded and channels are not read until
 * the caller asks (prepareToServe does both for the server).
 */
export function createServices(store: Store, config: Config, options: { clock?: Clock } = {}): Services {
  const clock = options.clock ?? systemClock;
  const { db } = store;
  const masterKey = loadOrCreateMasterKey(config.secretKey, config.dataDir);
  const secretBox = new SecretBox(masterKey);
  const catalog = createCatalog(db, { clock });
  const modelsForProvider = (provider: string) => catalog.list().filter((m) => m.provider === provider).map((m) => m.id);
  const billing = createBillingService({
    db,
    clock,
    options: toBillingOptions({ ...config.billing, publicUrl: config.publicUrl, instanceId: config.instanceId }),
  });
  // Every new user gets a ledger account at once, with the sign-up bonus when one is configured: the one place
  // this is wired, whether the user signs up, is made by an admin, the CLI or the first start.
  const users = createUserService(db, clock, { onCreated: async (user) => void (await billing.openAccount(user.id)) });
  return {
    store,
    clock,
    masterKey,
    catalog,
    billing,
    users,
    apiKeys: createApiKeyService(db, clock, { users }),
    channels: createChannelService(db, secretBox, clock, { modelsForProvider }),
    sessions: createSessionService(db, clock),
    invites: createSignupInviteService(db, clock),
    loginThrottle: createLoginThrottle(clock),
    callbackSecrets: createCallbackSecrets(db, secretBox, clock),
  };
}

/**
 * What a server start does before it serves: load the catalog, release the holds a dead process left open,
 * seed channels from the environment, join the other instances' cache events, and on the very first start of
 * an empty store create the admin with their credit.
 */
async function prepareToServe(
  services: Services,
  config: Config,
  logger: Logger,
): Promise<{ events: ClusterEvents; firstStart: BootstrapCredentials | undefined }> {
  const { store, catalog, billing, users, apiKeys, channels } = services;
  const catalogReport = await catalog.load();
  for (const skipped of catalogReport.skipped) logger.warn(skipped, 'model override skipped');
  const released = await releaseRequestHoldsOfDeadProcess(store.db, (holdId, reason) => billing.release(holdId, reason), {
    dialect: store.dialect,
    instanceId: config.instanceId,
  });
  if (released > 0) logger.warn({ released }, 'released request holds left open by the previous process');
  const modelsForProvider = (provider: string) => catalog.list().filter((m) => m.provider === provider).map((m) => m.id);
  await channels.seedFromConfig(
    config.upstreams.map((u) => ({ provider: u.provider, apiKey: u.apiKey, secretKey: u.secretKey, baseUrl: u.baseUrl })),
    modelsForProvider,
  );
  await channels.reload();
  const events = await connectClusterEvents(config, logger, { apiKeys, channels, catalog, billing });
  const firstStart = await bootstrapFirstStart({ db: store.db, users, apiKeys, adminEmail: config.adminEmail });
  if (firstStart) await grantOperatorCredit(billing, users, firstStart.email, config.billing.adminInitialCreditUsd);
  return { events, firstStart };
}

/**
 * The server's periodic work: the video job poller, renewing the holds of running requests, ending requests
 * whose key or account was revoked, releasing expired holds, and flushing keys' last-used times. `stop()`
 * ends all of it, the jobs first (a poll in progress still needs the store and the request log).
 */
function startBackgroundWork(input: {
  services: Services;
  media: MediaJobs;
  live: LiveRequests;
  logger: Logger;
  options: Pick<GatewayOptions, 'media' | 'holdReaperIntervalMs' | 'liveAuthCheckIntervalMs'>;
}): { stop(): Promise<void> } {
  const { services, media, live, logger, options } = input;
  const { store, clock, billing, apiKeys } = services;
  if (options.media?.start !== false) media.start();
  const stopHoldRenewal = startHoldRenewal({
    live,
    renewHolds: (ids) => renewHolds(store.db, ids, clock.now() + billing.options.holdTtlMs),
    holdTtlMs: billing.options.holdTtlMs,
    onError: (err: unknown) => logger.error({ err }, 'hold renewal failed'),
  });
  // A revoked key or disabled account ends its running requests: at once for changes made here, within one
  // interval for changes this instance never hears of.
  const liveAuthCheck = startLiveAuthCheck({
    db: store.db,
    live,
    intervalMs: options.liveAuthCheckIntervalMs ?? DEFAULT_KEY_CACHE_TTL_MS,
    onError: (err: unknown) => logger.error({ err }, 'live request auth check failed'),
  });
  apiKeys.onInvalidate(() => void liveAuthCheck.checkNow());
  const stopReaper = startHoldReaper({
    reapExpiredHolds: () => billing.reapExpiredHolds(),
    intervalMs: options.holdReaperIntervalMs ?? holdReaperIntervalMs(billing.options.holdTtlMs),
    onError: (err: unknown) => logger.error({ err }, 'hold reaper failed'),
  });
  const lastUsedTimer = setInterval(() => void apiKeys.flushLastUsed().catch((err) => logger.error({ err }, 'last-used flush failed')), 10_000);
  lastUsedTimer.unref();
  return {
    async stop() {
      await media.close();
      clearInterval(lastUsedTimer);
      stopReaper();
      stopHoldRenewal();
      liveAuthCheck.stop();
    },
  };
}

/** Publishes this instance's cache-relevant changes and applies other instances' (no-op without Redis). */
async function connectClusterEvents(
  config: Config,
  logger: Logger,
  caches: { apiKeys: ApiKeyService; channels: ChannelService; catalog: Catalog; billing: BillingService },
): Promise<ClusterEvents> {
  if (!config.redisUrl) return singleInstanceEvents;
  const namespace = config.databaseSchema ?? sha256Hex(config.databaseUrl ?? config.dataDir).slice(0, 16);
  const events = createRedisClusterEvents({ url: config.redisUrl, namespace, onError: (err) => logger.error({ err }, 'cluster events') });
  await events.ready();
  const { apiKeys, channels, catalog, billing } = caches;
  apiKeys.onInvalidate((e) => events.publish(e.kind === 'key' ? { kind: 'api-key', keyHash: e.keyHash } : { kind: 'user', userId: e.userId }));
  channels.onChange(() => events.publish({ kind: 'channels' }));
  catalog.onChange((modelId) => events.publish({ kind: 'catalog', modelId }));
  billing.onMultipliersChange(() => events.publish({ kind: 'multipliers' }));
  const apply = async (event: ClusterEvent): Promise<unknown> => {
    switch (event.kind) {
      case 'api-key':
        return apiKeys.invalidate(event.keyHash, { fromRemote: true });
      case 'user':
        return apiKeys.invalidateUser(event.userId, { fromRemote: true });
      case 'channels':
        return channels.reload();
      case 'catalog':
        return catalog.refresh();
      case 'multipliers':
        return billing.reloadMultipliers();
      default:
        return event satisfies never;
    }
  };
  let applying: Promise<unknown> = Promise.resolve();
  events.subscribe((event) => {
    applying = applying.then(() => apply(event)).catch((err: unknown) => logger.error({ err, event }, 'applying a cluster event failed'));
  });
  return { ...events, ready: () => applying.then(() => events.ready()) };
}

/** The first admin's own credit (a recorded grant), so the key printed on first start can call models at once. */
async function grantOperatorCredit(billing: BillingService, users: UserService, email: string, usd: string): Promise<void> {
  const amountNanos = usdToNanos(usd);
  if (amountNanos === 0n) return;
  const admin = await users.getByEmail(email);
  if (!admin) throw new Error('The first-start admin vanished');
  const granted = await billing.grant({ userId: admin.id, amountNanos, reason: 'initial operator credit (TOKENHUB_ADMIN_INITIAL_CREDIT_USD)', actor: 'system' });
  if (!granted.ok) throw granted.error;
}
