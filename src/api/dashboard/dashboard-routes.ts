/**
 * Everything under /api/dashboard: the browser dashboard's own JSON API, authenticated by the session cookie
 * (CSRF token on every state-changing call). Billing, admin and model routes that exist elsewhere are called
 * by the browser directly; these are the ones only the dashboard needs.
 *   GET /api/dashboard/config   public: sign-up mode, API base URL, top-up settings
 */
import type { FastifyInstance } from 'fastify';
import type { ApiKeyService } from '../../accounts/api-keys.js';
import type { LoginThrottle } from '../../accounts/login-throttle.js';
import type { SessionService } from '../../accounts/sessions.js';
import type { SignupInviteService } from '../../accounts/signup-invites.js';
import type { User, UserService } from '../../accounts/users.js';
import type { BillingService } from '../../billing/billing-service.js';
import type { MediaJobs } from '../../jobs/media-jobs.js';
import type { CallbackSecrets } from '../../jobs/callback-secrets.js';
import { formatUsd, usdToNanos } from '../../billing/money.js';
import type { Clock } from '../../shared/clock.js';
import { registerAdminHelperRoutes } from './admin-routes.js';
import { registerAuthRoutes, type SignupMode } from './auth-routes.js';
import { registerCallbackSecretRoutes } from './callback-secret-routes.js';
import type { ChannelTestDeps } from './channel-test.js';
import { registerInviteRoutes } from './invite-routes.js';
import { registerKeyRoutes } from './key-routes.js';
import { registerOverviewRoutes } from './overview-routes.js';
import { resolvePublicOrigin } from './public-origin.js';
import type { SessionAuth } from './session-auth.js';
import { registerVideoTaskRoutes } from './video-task-routes.js';

export type DashboardBilling = Pick<
  BillingService,
  'options' | 'stripeEnabled' | 'getBalance' | 'platformTotals' | 'spendTotal' | 'spendByDay' | 'spendByModel' | 'keySpendOfUser' | 'setKeySpendLimit'
>;

export interface DashboardRouteDeps {
  clock: Clock;
  users: UserService;
  apiKeys: ApiKeyService;
  sessions: SessionService;
  sessionAuth: SessionAuth;
  invites: SignupInviteService;
  loginThrottle: LoginThrottle;
  billing: DashboardBilling;
  signupMode: SignupMode;
  /** Public base URL of the gateway (`https://ai.example.com`); the request's own origin when absent. */
  publicUrl?: string | undefined;
  /** Runs after a sign-up creates a user (the user service has already opened its credit account). */
  onUserCreated?: (user: User) => Promise<void>;
  /** Enables the admin's channel "test" button. */
  channelTest?: ChannelTestDeps | undefined;
  /** Enables the video task list. */
  media?: Pick<MediaJobs, 'videos' | 'taskOf'> | undefined;
  /** Enables the user's video callback secret (shown and rotated). */
  callbackSecrets?: CallbackSecrets | undefined;
}

/** Top-up buttons offered on the billing page, kept to those inside the configured min–max. */
const TOP_UP_PRESETS_USD = ['10', '25', '50', '100'];

function topUpSettings(billing: DashboardBilling) {
  const { topUpMinNanos, topUpMaxNanos } = billing.options;
  const presets = TOP_UP_PRESETS_USD.map(usdToNanos).filter((nanos) => nanos >= topUpMinNanos && nanos <= topUpMaxNanos);
  return {
    stripe_enabled: billing.stripeEnabled(),
    min_usd: formatUsd(topUpMinNanos),
    max_usd: formatUsd(topUpMaxNanos),
    presets_usd: (presets.length > 0 ? presets : [topUpMinNanos]).map(formatUsd),
  };
}

export function registerDashboardRoutes(app: FastifyInstance, deps: DashboardRouteDeps): void {
  const topUp = topUpSettings(deps.billing);
  app.get('/api/dashboard/config', async (request) => ({
    signup_mode: deps.signupMode,
    api_base_url: `${resolvePublicOrigin(request, deps.publicUrl)}/api/v1`,
    top_up: topUp,
  }));

  registerAuthRoutes(app, { ...deps, secureCookies: deps.publicUrl?.startsWith('https://') ?? false });
  registerKeyRoutes(app, deps);
  registerOverviewRoutes(app, deps);
  registerInviteRoutes(app, deps);
  registerAdminHelperRoutes(app, deps);
  if (deps.media) registerVideoTaskRoutes(app, { media: deps.media, sessionAuth: deps.sessionAuth, publicUrl: deps.publicUrl });
  if (deps.callbackSecrets) registerCallbackSecretRoutes(app, { callbackSecrets: deps.callbackSecrets, sessionAuth: deps.sessionAuth });
}
