/**
 * Who is logged in, and the public dashboard settings. Loaded once at start; a 401 from any later call (the
 * session was ended elsewhere) drops back to the logged-out state.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, onUnauthorized, setCsrfToken } from '../api/client';
import type { DashboardConfig, SessionResponse, SessionUser } from '../api/types';

export interface SessionContextValue {
  status: 'loading' | 'anonymous' | 'authenticated' | 'failed';
  user: SessionUser | undefined;
  config: DashboardConfig | undefined;
  loadError: unknown;
  login(email: string, password: string): Promise<void>;
  signup(email: string, password: string, inviteCode?: string): Promise<void>;
  logout(): Promise<void>;
  retry(): void;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionContextValue['status']>('loading');
  const [user, setUser] = useState<SessionUser>();
  const [config, setConfig] = useState<DashboardConfig>();
  const [loadError, setLoadError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  const accept = useCallback((session: SessionResponse) => {
    setCsrfToken(session.csrf_token);
    setUser(session.user);
    setStatus('authenticated');
  }, []);

  const forget = useCallback(() => {
    setCsrfToken(undefined);
    setUser(undefined);
    setStatus('anonymous');
  }, []);

  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      const loadedConfig = await api.get<DashboardConfig>('/api/dashboard/config');
      if (cancelled) return;
      setConfig(loadedConfig);
      try {
        const session = await api.get<SessionResponse>('/api/dashboard/auth/session', { expectUnauthorized: true });
        if (!cancelled) accept(session);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) throw error;
        if (!cancelled) forget();
      }
    };
    load().catch((error: unknown) => {
      if (cancelled) return;
      setLoadError(error);
      setStatus('failed');
    });
    return () => {
      cancelled = true;
    };
  }, [accept, forget, attempt]);

  useEffect(() => onUnauthorized(forget), [forget]);

  const value = useMemo<SessionContextValue>(
    () => ({
      status,
      user,
      config,
      loadError,
      async login(email, password) {
        accept(await api.post<SessionResponse>('/api/dashboard/auth/login', { email, password }, { expectUnauthorized: true }));
      },
      async signup(email, password, inviteCode) {
        const body = inviteCode ? { email, password, invite_code: inviteCode } : { email, password };
        // Sign-up answers a taken email like a new one and opens no session; logging in with the same
        // password is what tells this person apart from someone else's account.
        await api.post('/api/dashboard/auth/signup', body);
        try {
          accept(await api.post<SessionResponse>('/api/dashboard/auth/login', { email, password }, { expectUnauthorized: true }));
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) {
            throw new ApiError(400, 'invalid_request', 'Could not sign up with this email.', 'email');
          }
          throw error;
        }
      },
      async logout() {
        try {
          await api.post('/api/dashboard/auth/logout');
        } finally {
          forget();
        }
      },
      retry() {
        setStatus('loading');
        setAttempt((n) => n + 1);
      },
    }),
    [status, user, config, loadError, accept, forget],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
