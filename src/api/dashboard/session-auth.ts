/**
 * Session authentication for the dashboard and for admin routes used from it. A live `th_session` cookie sets
 * `request.auth` (via 'session'); on POST/PATCH/PUT/DELETE it must come with the session's CSRF token and from
 * our own origin. A request that carries an API key or admin token in its headers is left to those guards:
 * the explicit credential wins over an ambient cookie.
 */
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { CSRF_HEADER, checkCsrfToken, isSafeMethod, isSameOriginRequest } from '../../accounts/csrf.js';
import type { AuthenticatedSession, SessionService } from '../../accounts/sessions.js';
import { GatewayError } from '../../shared/errors.js';
import { readApiKey } from '../authenticate.js';
import { readSessionCookie } from './session-cookie.js';
import { headerGuard } from '../guards-before-body.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set with `auth` when the caller is a logged-in dashboard user. */
    dashboardSession?: AuthenticatedSession;
  }
}

export interface SessionAuthDeps {
  sessions: Pick<SessionService, 'authenticate'>;
}

export interface SessionAuth {
  /** The live session of a request (setting `request.auth`), or undefined; throws 403 on a CSRF failure. */
  resolve(request: FastifyRequest): Promise<AuthenticatedSession | undefined>;
  /** Sets `request.auth` from a live session cookie; does nothing when there is none. */
  optional: preHandlerHookHandler;
  /** Like `optional`, then 401 when no session was found. */
  required: preHandlerHookHandler;
  /** Like `required`, then 403 unless the user is an admin. */
  admin: preHandlerHookHandler;
}

export function readOriginHeaders(request: FastifyRequest) {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  return { origin: header('origin'), host: header('host'), secFetchSite: header('sec-fetch-site') };
}

/** Throws 403 when a state-changing request came from another site. */
export function assertSameOrigin(request: FastifyRequest): void {
  if (isSafeMethod(request.method)) return;
  if (!isSameOriginRequest(readOriginHeaders(request))) {
    throw new GatewayError('forbidden', { message: 'Cross-site requests are not allowed.' });
  }
}

/** The session a `required`/`admin` guard found; throws if a route forgot its guard. */
export function currentSession(request: FastifyRequest): AuthenticatedSession {
  if (!request.dashboardSession) throw new GatewayError('invalid_credentials', { message: 'Log in to continue.' });
  return request.dashboardSession;
}

export function createSessionAuth(deps: SessionAuthDeps): SessionAuth {
  async function loadSession(request: FastifyRequest): Promise<void> {
    if (request.auth || readApiKey(request)) return;
    const token = readSessionCookie(request.headers.cookie);
    if (!token) return;
    const found = await deps.sessions.authenticate(token);
    if (!found) return;
    if (!isSafeMethod(request.method)) {
      assertSameOrigin(request);
      if (!checkCsrfToken(request.headers[CSRF_HEADER], found.csrfToken)) {
        throw new GatewayError('forbidden', { param: CSRF_HEADER, message: 'Missing or invalid CSRF token. Reload the page and try again.' });
      }
    }
    request.dashboardSession = found;
    request.auth = { userId: found.user.id, role: found.user.role, groupId: found.user.groupId, via: 'session' };
  }

  async function requireSession(request: FastifyRequest): Promise<AuthenticatedSession> {
    await loadSession(request);
    if (!request.dashboardSession) throw new GatewayError('invalid_credentials', { message: 'Log in to continue.' });
    return request.dashboardSession;
  }

  return {
    resolve: async (request) => {
      await loadSession(request);
      return request.dashboardSession;
    },
    optional: async (request) => {
      await loadSession(request);
    },
    required: headerGuard<preHandlerHookHandler>(async (request) => {
      await requireSession(request);
    }),
    admin: headerGuard<preHandlerHookHandler>(async (request) => {
      const session = await requireSession(request);
      if (session.user.role !== 'admin') throw new GatewayError('forbidden', { message: 'This page needs an admin.' });
    }),
  };
}

type AsyncGuard = (this: unknown, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * A guard that lets a logged-in dashboard user through (an admin only, with `adminOnly`) and otherwise runs
 * `fallback` — the API-key `authenticate` or `requireAdmin` — so the same routes serve scripts and the browser.
 */
export function acceptSessionOr(sessionAuth: SessionAuth, fallback: preHandlerHookHandler, options: { adminOnly?: boolean } = {}): preHandlerHookHandler {
  // Both fallbacks are async hooks: they resolve or throw and never use the `done` callback.
  const guard = fallback as unknown as AsyncGuard;
  return headerGuard<preHandlerHookHandler>(async function (this: unknown, request, reply) {
    const session = await sessionAuth.resolve(request);
    if (!session) {
      await guard.call(this, request, reply);
      return;
    }
    if (options.adminOnly && session.user.role !== 'admin') throw new GatewayError('forbidden', { message: 'This needs an admin.' });
  });
}
