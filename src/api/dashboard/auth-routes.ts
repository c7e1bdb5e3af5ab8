/**
 * Dashboard sign-up, log-in, log-out and password change.
 *   POST   /api/dashboard/auth/signup     {email, password, invite_code?}   → 202, then log in
 *   POST   /api/dashboard/auth/login      {email, password}                 → sets the session cookie
 *   POST   /api/dashboard/auth/logout
 *   GET    /api/dashboard/auth/session                                      → {user, csrf_token} or 401
 *   POST   /api/dashboard/auth/password   {current_password, new_password}  (ends the user's other sessions)
 *   GET    /api/dashboard/auth/sessions
 *   DELETE /api/dashboard/auth/sessions/:id
 * Sign-up answers a registered email exactly as a new one (202, the same body, no session): the dashboard logs
 * in next, as for any account. Failed log-ins answer one generic error whether or not the email exists, and are
 * throttled per (account,
 * address) and per address with growing delays (accounts/login-throttle.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AttemptLimiter, fixedWindow } from '../../accounts/attempt-limiter.js';
import type { LoginThrottle } from '../../accounts/login-throttle.js';
import type { CreatedSession, SessionInfo, SessionService } from '../../accounts/sessions.js';
import type { SignupInviteService } from '../../accounts/signup-invites.js';
import type { User, UserService } from '../../accounts/users.js';
import { GatewayError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { parseAdminInput as parseInput } from '../admin/parse-admin-input.js';
import { assertSameOrigin, currentSession, type SessionAuth } from './session-auth.js';
import { serializeClearedSessionCookie, serializeSessionCookie } from './session-cookie.js';

export type SignupMode = 'open' | 'invite' | 'closed';

export interface AuthRouteDeps {
  users: UserService;
  sessions: SessionService;
  invites: SignupInviteService;
  loginThrottle: LoginThrottle;
  sessionAuth: SessionAuth;
  clock: Clock;
  signupMode: SignupMode;
  /** Runs after a sign-up creates a user (e.g. opens the credit account with a bonus). */
  onUserCreated?: (user: User) => Promise<void>;
  /** Always mark the cookie Secure (the public URL is https), even when a proxy in front does not say so. */
  secureCookies?: boolean;
  /** Sign-ups allowed per address per hour. Default 10. */
  signupsPerIpPerHour?: number;
}

export interface DashboardUserJson {
  id: string;
  email: string;
  role: User['role'];
  group: string;
  created_at: number;
}

const credentialsSchema = z.strictObject({ email: z.string().max(320), password: z.string().max(1024) });
const signupSchema = credentialsSchema.extend({ invite_code: z.string().max(100).optional() });
const passwordSchema = z.strictObject({ current_password: z.string().max(1024), new_password: z.string().max(1024) });

export function toDashboardUserJson(user: User): DashboardUserJson {
  return { id: user.id, email: user.email, role: user.role, group: user.groupId, created_at: user.createdAt };
}

function toSessionJson(session: SessionInfo, currentId: string | undefined) {
  return {
    id: session.id,
    ip: session.ip,
    user_agent: session.userAgent,
    created_at: session.createdAt,
    last_seen_at: session.lastSeenAt,
    expires_at: session.expiresAt,
    current: session.id === currentId,
  };
}

/** The one answer to a sign-up that passed its checks, whether it created an account or the email was taken. */
const SIGNUP_ACCEPTED = { object: 'signup', status: 'accepted', message: 'If this email can be used, its account is ready: log in with it.' } as const;

const genericLoginError = () => new GatewayError('invalid_credentials', { message: 'Invalid email or password.' });

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const { users, sessions, loginThrottle, sessionAuth } = deps;
  const isHttps = (request: FastifyRequest) => deps.secureCookies === true || request.protocol === 'https';
  const signups = new AttemptLimiter(fixedWindow({ maxFailures: deps.signupsPerIpPerHour ?? 10, windowMs: 3600_000 }), 100_000);

  async function startSession(request: FastifyRequest, reply: FastifyReply, user: User): Promise<CreatedSession> {
    const userAgent = request.headers['user-agent'];
    const created = await sessions.create(user.id, { ip: request.ip, ...(typeof userAgent === 'string' ? { userAgent } : {}) });
    reply.header('set-cookie', serializeSessionCookie(created.token, { secure: isHttps(request), maxAgeSeconds: Math.floor(sessions.ttlMs / 1000) }));
    return created;
  }

  app.post('/api/dashboard/auth/signup', async (request, reply) => {
    assertSameOrigin(request);
    if (deps.signupMode === 'closed') throw new GatewayError('forbidden', { message: 'Sign-up is closed. Ask an administrator for an account.' });
    const body = parseInput(signupSchema, request.body);
    const check = signups.attempt(request.ip, deps.clock.now());
    if (!check.ok) throw new GatewayError('rate_limit_exceeded', { retryAfter: check.retryAfterSeconds, message: 'Too many sign-ups from this address. Try again later.' });
    const user = await createSignupUser(deps, body);
    if (user) await deps.onUserCreated?.(user);
    reply.status(202);
    return SIGNUP_ACCEPTED;
  });

  app.post('/api/dashboard/auth/login', async (request, reply) => {
    assertSameOrigin(request);
    const body = parseInput(credentialsSchema, request.body);
    const allowed = loginThrottle.begin(body.email, request.ip);
    if (!allowed.ok) {
      throw new GatewayError('rate_limit_exceeded', { retryAfter: allowed.retryAfterSeconds, message: 'Too many failed log-ins. Try again later.' });
    }
    const check = await users.verifyCredentials(body.email, body.password);
    if (!check.ok) {
      if (check.reason === 'user_disabled') throw new GatewayError('user_disabled');
      throw genericLoginError();
    }
    loginThrottle.succeeded(body.email, request.ip);
    const created = await startSession(request, reply, check.user);
    return { user: toDashboardUserJson(check.user), csrf_token: created.csrfToken };
  });

  app.post('/api/dashboard/auth/logout', { preHandler: sessionAuth.required }, async (request, reply) => {
    const session = currentSession(request);
    await sessions.revoke(session.user.id, session.session.id);
    reply.header('set-cookie', serializeClearedSessionCookie(isHttps(request)));
    return { ok: true };
  });

  registerAccountRoutes(app, deps);
}

/** Routes for a logged-in user's own session, password and devices. */
function registerAccountRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const { users, sessions, loginThrottle, sessionAuth } = deps;

  app.get('/api/dashboard/auth/session', { preHandler: sessionAuth.required }, async (request) => {
    const session = currentSession(request);
    return { user: toDashboardUserJson(session.user), csrf_token: session.csrfToken };
  });

  app.post('/api/dashboard/auth/password', { preHandler: sessionAuth.required }, async (request) => {
    const session = currentSession(request);
    const body = parseInput(passwordSchema, request.body);
    const allowed = loginThrottle.begin(session.user.email, request.ip);
    if (!allowed.ok) throw new GatewayError('rate_limit_exceeded', { retryAfter: allowed.retryAfterSeconds });
    const result = await users.changePassword(session.user.id, body.new_password, { currentPassword: body.current_password });
    if (!result.ok) throw new GatewayError('invalid_request', { param: 'current_password', message: 'The current password is wrong.' });
    loginThrottle.succeeded(session.user.email, request.ip);
    const ended = await sessions.revokeAll(session.user.id, session.session.id);
    return { ok: true, sessions_ended: ended };
  });

  app.get('/api/dashboard/auth/sessions', { preHandler: sessionAuth.required }, async (request) => {
    const session = currentSession(request);
    const list = await sessions.list(session.user.id);
    return { object: 'list' as const, data: list.map((s) => toSessionJson(s, session.session.id)) };
  });

  app.delete<{ Params: { id: string } }>('/api/dashboard/auth/sessions/:id', { preHandler: sessionAuth.required }, async (request) => {
    const session = currentSession(request);
    if (!(await sessions.revoke(session.user.id, request.params.id))) throw new GatewayError('not_found', { message: 'No such session.' });
    return { ok: true };
  });
}

/** The new user, or undefined when the email is taken (which the caller must not reveal). */
async function createSignupUser(deps: AuthRouteDeps, body: z.infer<typeof signupSchema>): Promise<User | undefined> {
  let inviteId: string | undefined;
  if (deps.signupMode === 'invite') {
    if (!body.invite_code) throw new GatewayError('invalid_request', { param: 'invite_code', message: 'An invitation code is needed to sign up.' });
    inviteId = await deps.invites.claim(body.invite_code);
    if (!inviteId) throw new GatewayError('invalid_request', { param: 'invite_code', message: 'The invitation code is invalid, used or expired.' });
  }
  try {
    const user = await deps.users.create({ email: body.email, password: body.password });
    if (inviteId) await deps.invites.complete(inviteId, user.id);
    return user;
  } catch (error) {
    if (inviteId) await deps.invites.release(inviteId);
    // The password was hashed before the insert found the email taken, so this answer costs what a new account does.
    if (error instanceof GatewayError && error.code === 'conflict') return undefined;
    throw error;
  }
}
