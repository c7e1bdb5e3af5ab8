/**
 * The logged-in frame: a sidebar of pages (a menu button opens it on narrow screens), a top bar with the
 * language switch and the account, and the page itself. A skip link jumps keyboard users to the content.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { useSession } from '../auth/session';
import { LanguageSwitch } from './language-switch';

interface NavItem {
  to: string;
  labelKey: string;
  end?: boolean;
}

const USER_NAV: NavItem[] = [
  { to: '/', labelKey: 'nav.overview', end: true },
  { to: '/keys', labelKey: 'nav.keys' },
  { to: '/usage', labelKey: 'nav.usage' },
  { to: '/billing', labelKey: 'nav.billing' },
  { to: '/models', labelKey: 'nav.models' },
  { to: '/playground', labelKey: 'nav.playground' },
  { to: '/videos', labelKey: 'nav.videos' },
  { to: '/settings', labelKey: 'nav.settings' },
];

const ADMIN_NAV: NavItem[] = [
  { to: '/admin/users', labelKey: 'nav.adminUsers' },
  { to: '/admin/channels', labelKey: 'nav.adminChannels' },
  { to: '/admin/models', labelKey: 'nav.adminModels' },
  { to: '/admin/groups', labelKey: 'nav.adminGroups' },
  { to: '/admin/codes', labelKey: 'nav.adminCodes' },
  { to: '/admin/totals', labelKey: 'nav.adminTotals' },
];

function NavList({ items }: { items: NavItem[] }) {
  const { t } = useTranslation();
  return (
    <ul>
      {items.map((item) => (
        <li key={item.to}>
          <NavLink to={item.to} end={item.end ?? false} className={({ isActive }) => `nav-link ${isActive ? 'active' : ''}`}>
            {t(item.labelKey)}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const { user, logout } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();

  useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <div className="app-shell">
      <a href="#main" className="skip-link">
        {t('nav.skipToContent')}
      </a>
      <header className="topbar">
        <button
          type="button"
          className="btn btn-ghost menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((open) => !open)}
        >
          <span aria-hidden="true">☰</span>
          <span className="visually-hidden">{t('nav.menu')}</span>
        </button>
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          <span className="brand-name">TokenHub</span>
        </span>
        <div className="topbar-right">
          <LanguageSwitch />
          <span className="user-email" title={user?.email}>
            {user?.email}
          </span>
          <button type="button" className="btn btn-small" onClick={() => void logout()}>
            {t('auth.logout')}
          </button>
        </div>
      </header>
      <div className="app-body">
        <nav id="sidebar" className={`sidebar ${menuOpen ? 'open' : ''}`} aria-label={t('nav.main')}>
          <NavList items={USER_NAV} />
          {user?.role === 'admin' ? (
            <>
              <p className="nav-heading">{t('nav.admin')}</p>
              <NavList items={ADMIN_NAV} />
            </>
          ) : null}
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
