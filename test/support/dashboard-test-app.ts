/** A Fastify app with only the dashboard routes over a fresh store, and a cookie-keeping client for inject(). */
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { createApiKeyService, type ApiKeyService } from '../../src/accounts/api-keys.js';
import { createLoginThrottle, type LoginThrottleOptions } from '../../src/accounts/login-throttle.js';
import { createSessionService, type SessionService } from '../../src/accounts/sessions.js';
import { createSignupInviteService, type SignupInviteService } from '../../src/accounts/signup-invites.js';
import { createUserService, type User, type UserService } from '../../src/accounts/users.js';
import type { SignupMode } from '../../src/api/dashboard/auth-routes.js';
import { registerDashboardRoutes, type DashboardRouteDeps } from '../../src/api/dashboard/dashboard-routes.js';
import { createSessionAuth } from '../../src/api/dashboard/session-auth.js';
import { installErrorHandling } from '../../src/api/error-handler.js';
import { createBillingService, type BillingService } from '../../src/billing/billing-service.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { DialectName } from '../../src/store/db.js';
import { openTestStore, type TestStore } from './store-fixture.js';

export interface DashboardTestApp {
  app: FastifyInstance;
  t: TestStore;
  clock: ManualClock;
  users: UserService;
  apiKeys: ApiKeyService;
  sessions: SessionService;
  invites: SignupInviteService;
  billing: BillingService;
  createdUsers: User[];
  close(): Promise<void>;
}

export interface DashboardTestOptions {
  dialect?: DialectName;
  signupMode?: SignupMode;
  throttle?: LoginThrottleOptions;
  publicUrl?: string;
  media?: DashboardRouteDeps['media'];
}

export async function startDashboardTestApp(options: DashboardTestOptions = {}): Promise<DashboardTestApp> {
  const t = await openTestStore(options.dialect ?? 'sqlite', 'dash');
  const clock = new ManualClock(Date.UTC(2026, 2, 15, 12));
  const users = createUserService(t.store.db, clock);
  const apiKeys = createApiKeyService(t.store.db, clock, { users });
  const sessions = createSessionService(t.store.db, clock);
  const invites = createSignupInviteService(t.store.db, clock);
  const billing = createBillingService({ db: t.store.db, clock, options: { signupBonusNanos: 1_000_000_000n } });
  const createdUsers: User[] = [];
  // Like the real app: behind a proxy, X-Forwarded-Proto decides whether the cookie is Secure.
  const app = Fastify({ logger: false, trustProxy: true });
  installErrorHandling(app);
  registerDashboardRoutes(app, {
    clock,
    users,
    apiKeys,
    sessions,
    sessionAuth: createSessionAuth({ sessions }),
    invites,
    loginThrottle: createLoginThrottle(clock, options.throttle),
    signupMode: options.signupMode ?? 'open',
    publicUrl: options.publicUrl,
    media: options.media,
    billing,
    onUserCreated: async (user) => {
      createdUsers.push(user);
      await billing.openAccount(user.id);
    },
  });
  await app.ready();
  return {
    app,
    t,
    clock,
    users,
    apiKeys,
    sessions,
    invites,
    billing,
    createdUsers,
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** Keeps the session cookie and CSRF token between calls, as the browser app does. */
export class DashboardClient {
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(private readonly app: FastifyInstance) {}

  async request(options: InjectOptions & { csrf?: boolean }): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && options.csrf !== false) headers['x-csrf-token'] = this.csrf;
    const response = await this.app.inject({ ...options, headers });
    const setCookie = response.headers['set-cookie'];
    const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (first) {
      const value = first.split(';')[0] ?? '';
      this.cookie = value.endsWith('=') ? undefined : value;
    }
    const body = response.headers['content-type']?.toString().includes('json') ? (response.json() as { csrf_token?: string }) : undefined;
    if (body?.csrf_token) this.csrf = body.csrf_token;
    return response;
  }

  async login(email: string, password: string): Promise<LightMyRequestResponse> {
    return this.request({ method: 'POST', url: '/api/dashboard/auth/login', payload: { email, password } });
  }

  async signup(email: string, password: string, extra: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.request({ method: 'POST', url: '/api/dashboard/auth/signup', payload: { email, password, ...extra } });
  }
}
