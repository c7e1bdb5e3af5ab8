import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ListResponse, SessionJson } from '../api/types';
import { useApi } from '../api/use-api';
import { useSession } from '../auth/session';
import { TextField } from '../components/fields';
import { PageHeader } from '../components/page-header';
import { AsyncContent, ErrorBox, Notice } from '../components/states';
import { formatDateTime } from '../lib/format';
import { useLocale } from '../lib/use-locale';
import { TableHead } from '../components/table-head';

function PasswordForm({ onChanged }: { onChanged(): void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<number>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await api.post<{ sessions_ended: number }>('/api/dashboard/auth/password', { current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(result.sessions_ended);
      onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      {error ? <ErrorBox error={error} /> : null}
      {done !== undefined ? <Notice>{t('settings.passwordChanged', { count: done })}</Notice> : null}
      <TextField label={t('settings.currentPassword')} type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
      <TextField label={t('settings.newPassword')} type="password" autoComplete="new-password" required minLength={8} hint={t('auth.passwordHint', { count: 8 })} value={next} onChange={(e) => setNext(e.target.value)} />
      <TextField
        label={t('auth.confirmPassword')}
        type="password"
        autoComplete="new-password"
        required
        error={mismatch ? t('auth.passwordMismatch') : undefined}
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
      />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t('settings.changePassword')}
      </button>
    </form>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { user } = useSession();
  const sessions = useApi((signal) => api.get<ListResponse<SessionJson>>('/api/dashboard/auth/sessions', { signal }), []);
  const [error, setError] = useState<unknown>();

  const revoke = async (id: string) => {
    setError(undefined);
    try {
      await api.delete(`/api/dashboard/auth/sessions/${encodeURIComponent(id)}`);
      sessions.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section>
      <PageHeader title={t('settings.title')} description={t('settings.description')} />
      <div className="grid-two">
        <section className="card" aria-labelledby="account-title">
          <h2 id="account-title">{t('settings.account')}</h2>
          <dl className="detail-list">
            <div>
              <dt>{t('auth.email')}</dt>
              <dd>{user?.email}</dd>
            </div>
            <div>
              <dt>{t('settings.role')}</dt>
              <dd>{t(`settings.roles.${user?.role ?? 'user'}`)}</dd>
            </div>
            <div>
              <dt>{t('settings.group')}</dt>
              <dd className="mono">{user?.group}</dd>
            </div>
            <div>
              <dt>{t('settings.memberSince')}</dt>
              <dd>{formatDateTime(user?.created_at, locale)}</dd>
            </div>
          </dl>
        </section>
        <section className="card" aria-labelledby="password-title">
          <h2 id="password-title">{t('settings.changePassword')}</h2>
          <PasswordForm onChanged={sessions.reload} />
        </section>
      </div>
      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('settings.sessions')}</h2>
        {error ? <ErrorBox error={error} /> : null}
        <AsyncContent state={sessions}>
          {(list) => (
            <div className="table-wrap">
              <table className="table">
                <TableHead columns={[{ label: t('settings.device') }, { label: t('settings.address') }, { label: t('settings.lastSeen') }, { label: t('common.actions'), hidden: true }]} />
                <tbody>
                  {list.data.map((session) => (
                    <tr key={session.id}>
                      <td className="truncate" title={session.user_agent ?? ''}>
                        {session.user_agent ?? '—'}
                      </td>
                      <td className="mono">{session.ip ?? '—'}</td>
                      <td>{formatDateTime(session.last_seen_at, locale)}</td>
                      <td>
                        {session.current ? (
                          <span className="badge badge-ok">{t('settings.thisDevice')}</span>
                        ) : (
                          <button type="button" className="btn btn-small btn-danger-outline" onClick={() => void revoke(session.id)}>
                            {t('settings.signOut')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </AsyncContent>
      </section>
    </section>
  );
}
