/** Routes: log-in and sign-up for visitors; everything else behind a session, admin pages behind the admin role. */
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useSession } from './auth/session';
import { Layout } from './components/layout';
import { ErrorBox, Loading } from './components/states';
import { AuthFrame } from './pages/auth-frame';
import { BillingPage } from './pages/billing-page';
import { KeysPage } from './pages/keys-page';
import { LoginPage } from './pages/login-page';
import { ModelsPage } from './pages/models-page';
import { NotFoundPage } from './pages/not-found-page';
import { OverviewPage } from './pages/overview-page';
import { SettingsPage } from './pages/settings-page';
import { SignupPage } from './pages/signup-page';
import { UsagePage } from './pages/usage-page';
import { VideosPage } from './pages/videos-page';

// Admin pages and the playground load on first visit: most sessions never open them.
const AdminChannelsPage = lazy(() => import('./pages/admin/channels-page').then((m) => ({ default: m.AdminChannelsPage })));
const AdminCodesPage = lazy(() => import('./pages/admin/codes-page').then((m) => ({ default: m.AdminCodesPage })));
const AdminGroupsPage = lazy(() => import('./pages/admin/groups-page').then((m) => ({ default: m.AdminGroupsPage })));
const AdminModelsPage = lazy(() => import('./pages/admin/models-page').then((m) => ({ default: m.AdminModelsPage })));
const AdminTotalsPage = lazy(() => import('./pages/admin/totals-page').then((m) => ({ default: m.AdminTotalsPage })));
const AdminUsersPage = lazy(() => import('./pages/admin/users-page').then((m) => ({ default: m.AdminUsersPage })));
const PlaygroundPage = lazy(() => import('./pages/playground/playground-page').then((m) => ({ default: m.PlaygroundPage })));

function RequireSession({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'anonymous') return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function RequireAdmin({ children }: { children: ReactNode }) {
  const { user } = useSession();
  if (user?.role !== 'admin') return <NotFoundPage />;
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

/** Stripe returns to `/dashboard/billing?...`; the dashboard itself lives at the site root. */
function DashboardPrefixRedirect() {
  const location = useLocation();
  return <Navigate to={`${location.pathname.replace(/^\/dashboard/, '') || '/'}${location.search}`} replace />;
}

function VisitorOnly({ children }: { children: ReactNode }) {
  const { status } = useSession();
  if (status === 'authenticated') return <Navigate to="/" replace />;
  return <>{children}</>;
}

export function App() {
  const { t } = useTranslation();
  const { status, loadError, retry } = useSession();
  if (status === 'loading') return <Loading label={t('common.starting')} />;
  if (status === 'failed') {
    return (
      <AuthFrame title={t('errors.startFailed')}>
        <ErrorBox error={loadError} onRetry={retry} />
      </AuthFrame>
    );
  }
  return (
    <Routes>
      <Route path="/login" element={<VisitorOnly><LoginPage /></VisitorOnly>} />
      <Route path="/signup" element={<VisitorOnly><SignupPage /></VisitorOnly>} />
      <Route path="/dashboard/*" element={<DashboardPrefixRedirect />} />
      <Route element={<RequireSession><Layout /></RequireSession>}>
        <Route index element={<OverviewPage />} />
        <Route path="keys" element={<KeysPage />} />
        <Route path="usage" element={<UsagePage />} />
        <Route path="billing" element={<BillingPage />} />
        <Route path="models" element={<ModelsPage />} />
        <Route path="playground" element={<Suspense fallback={<Loading />}><PlaygroundPage /></Suspense>} />
        <Route path="videos" element={<VideosPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="admin/users" element={<RequireAdmin><AdminUsersPage /></RequireAdmin>} />
        <Route path="admin/channels" element={<RequireAdmin><AdminChannelsPage /></RequireAdmin>} />
        <Route path="admin/models" element={<RequireAdmin><AdminModelsPage /></RequireAdmin>} />
        <Route path="admin/groups" element={<RequireAdmin><AdminGroupsPage /></RequireAdmin>} />
        <Route path="admin/codes" element={<RequireAdmin><AdminCodesPage /></RequireAdmin>} />
        <Route path="admin/totals" element={<RequireAdmin><AdminTotalsPage /></RequireAdmin>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
