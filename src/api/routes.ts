/**
 * The route table: every HTTP route of the gateway over the services services.ts built, and the authenticators
 * they share. /api/v1 takes API keys only; billing and admin routes also take a dashboard session (with CSRF
 * checks); /metrics and admin routes take the admin token or an admin's session.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiKeyService } from '../accounts/api-keys.js';
import type { DelayPolicy } from '../accounts/attempt-limiter.js';
import type { LoginThrottle } from '../accounts/login-throttle.js';
import type { SessionService } from '../accounts/sessions.js';
import type { SignupInviteService } from '../accounts/signup-invites.js';
import type { UserService } from '../accounts/users.js';
import type { BillingService } from '../billing/billing-service.js';
import type { Catalog } from '../catalog/catalog.js';
import type { ChannelService } from '../channels/channels.js';
import type { ChatPipelineDeps } from '../gateway/chat-pipeline.js';
import type { CallbackSecrets } from '../jobs/callback-secrets.js';
import type { MediaJobs } from '../jobs/media-jobs.js';
import { chatAdapterFor } from '../providers/registry.js';
import type { Clock } from '../shared/clock.js';
import type { GatewayMetrics } from '../shared/metrics.js';
import type { RequestLogWriter } from '../store/request-log.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { registerAdminBillingRoutes } from './admin/billing.js';
import { registerAdminChannelRoutes } from './admin/channels.js';
import { registerAdminKeyRoutes } from './admin/keys.js';
import { registerAdminModelRoutes } from './admin/models.js';
import { createRequireAdmin } from './admin/require-admin.js';
import { registerAdminUserRoutes } from './admin/users.js';
import { registerAnthropicMessagesRoutes } from './anthropic/messages-route.js';
import { createAuthenticate } from './authenticate.js';
import { registerBillingRoutes } from './billing/billing-routes.js';
import { registerGenerationRoute } from './billing/generation-route.js';
import type { SignupMode } from './dashboard/auth-routes.js';
import { registerDashboardRoutes } from './dashboard/dashboard-routes.js';
import { acceptSessionOr, createSessionAuth } from './dashboard/session-auth.js';
import { registerChatRoutes } from './openai/chat-completions.js';
import { registerImageRoutes } from './openai/images.js';
import { registerModelRoutes } from './openai/models.js';
import { registerVideoRoutes } from './openai/videos.js';
import { registerResponsesRoutes } from './responses/responses-route.js';
import { registerStaticWeb } from './static-web.js';

export interface RouteSettings {
  /** TOKENHUB_ADMIN_TOKEN; admin routes take only an admin's session without it. */
  adminToken: string | undefined;
  /** Wrong admin tokens allowed per address before delays. */
  adminTokenFailures?: DelayPolicy | undefined;
  signupMode: SignupMode;
  publicUrl: string | undefined;
  /** The built dashboard, served for every path not under /api. */
  webRoot: string;
}

export interface RouteDeps {
  clock: Clock;
  catalog: Catalog;
  users: UserService;
  apiKeys: ApiKeyService;
  channels: ChannelService;
  billing: BillingService;
  sessions: SessionService;
  invites: SignupInviteService;
  loginThrottle: LoginThrottle;
  callbackSecrets: CallbackSecrets;
  media: MediaJobs;
  requestLog: RequestLogWriter;
  metrics: GatewayMetrics;
  pipeline: ChatPipelineDeps;
  /** For the admin's channel "test" button. */
  upstreamClient: UpstreamClient;
  settings: RouteSettings;
}

export async function registerRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { clock, catalog, users, apiKeys, channels, billing, sessions, media, requestLog, metrics, pipeline, settings } = deps;
  const authenticate = createAuthenticate(apiKeys);
  const sessionAuth = createSessionAuth({ sessions });
  const authenticateAny = acceptSessionOr(sessionAuth, authenticate);
  const adminToken = createRequireAdmin({ adminToken: settings.adminToken, apiKeys, clock, tokenFailures: settings.adminTokenFailures });
  const requireAdmin = acceptSessionOr(sessionAuth, adminToken, { adminOnly: true });

  app.get('/metrics', { preHandler: requireAdmin }, async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  registerChatRoutes(app, { pipeline, authenticate });
  await registerAnthropicMessagesRoutes(app, { pipeline, catalog, authenticate });
  registerResponsesRoutes(app, { pipeline, authenticate });
  registerModelRoutes(app, { catalog, isServed: (id) => channels.isServed(id) });
  registerAdminUserRoutes(app, { users, apiKeys, requireAdmin });
  registerAdminKeyRoutes(app, { users, apiKeys, requireAdmin });
  registerAdminChannelRoutes(app, { channels, requireAdmin });
  registerAdminModelRoutes(app, { catalog, requireAdmin });
  registerBillingRoutes(app, { billing, authenticate: authenticateAny });
  registerGenerationRoute(app, { billing, authenticate, awaitRequestLog: () => requestLog.settled() });
  registerAdminBillingRoutes(app, { billing, requireAdmin });
  registerImageRoutes(app, { images: media.images, authenticate });
  registerVideoRoutes(app, { media, authenticate });
  registerDashboardRoutes(app, {
    clock,
    users,
    apiKeys,
    sessions,
    sessionAuth,
    invites: deps.invites,
    loginThrottle: deps.loginThrottle,
    billing,
    signupMode: settings.signupMode,
    publicUrl: settings.publicUrl,
    media,
    callbackSecrets: deps.callbackSecrets,
    channelTest: { credentials: (channelId) => channels.credentials(channelId), channels, catalog, adapterFor: chatAdapterFor, client: deps.upstreamClient, clock },
  });
  // Last: everything not matched above that is not under /api falls back to the dashboard's index.html.
  await registerStaticWeb(app, { root: settings.webRoot });
}
