import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AdminUserJson, BalanceJson, GroupJson, ListResponse } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { TextField } from '../../components/fields';
import { PageHeader } from '../../components/page-header';
import { AsyncContent, Empty, ErrorBox } from '../../components/states';
import { formatDateTime, formatUsd } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { InvitesSection } from './invites-section';
import { AdjustCreditDialog, EditUserDialog } from './user-dialogs';
import { TableHead } from '../../components/table-head';
import { CursorPager, useCursorStack } from '../../components/cursor-pager';

const PAGE_SIZE = 20;

interface UsersTableProps {
  users: AdminUserJson[];
  balances: Record<string, BalanceJson>;
  myId: string | undefined;
  onAdjust(user: AdminUserJson): void;
  onEdit(user: AdminUserJson): void;
  onSetStatus(user: AdminUserJson, status: 'active' | 'disabled'): void;
}

function UsersTable({ users, balances, myId, onAdjust, onEdit, onSetStatus }: UsersTableProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <div className="table-wrap">
      <table className="table">
        <TableHead columns={[{ label: t('auth.email') }, { label: t('settings.role') }, { label: t('settings.group') }, { label: t('admin.users.status') }, { label: t('admin.users.balance'), numeric: true }, { label: t('admin.users.created') }, { label: t('common.actions'), hidden: true }]} />
        <tbody>
          {users.map((user) => (
            <tr key={user.id} data-testid="admin-user-row">
              <td>{user.email}</td>
              <td>{t(`settings.roles.${user.role}`)}</td>
              <td className="mono">{user.group}</td>
              <td>
                <span className={`badge ${user.status === 'active' ? 'badge-ok' : 'badge-muted'}`}>{t(`admin.users.statuses.${user.status}`)}</span>
              </td>
              <td className="num">{formatUsd(balances[user.id]?.balance, locale)}</td>
              <td>{formatDateTime(user.created_at, locale)}</td>
              <td className="row-actions">
                <button type="button" className="btn btn-small" onClick={() => onAdjust(user)}>
                  {t('admin.users.adjust')}
                </button>
                <button type="button" className="btn btn-small" onClick={() => onEdit(user)}>
                  {t('common.edit')}
                </button>
                {user.id !== myId ? (
                  <button
                    type="button"
                    className={`btn btn-small ${user.status === 'active' ? 'btn-danger-outline' : ''}`}
                    onClick={() => onSetStatus(user, user.status === 'active' ? 'disabled' : 'active')}
                  >
                    {user.status === 'active' ? t('admin.users.disable') : t('admin.users.enable')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Balances of the users on the page, in one request. */
function useUserBalances(ids: string[]) {
  const key = ids.join(',');
  return useApi(
    (signal) =>
      key === ''
        ? Promise.resolve({ data: {} as Record<string, BalanceJson> })
        : api.get<{ data: Record<string, BalanceJson> }>('/api/dashboard/admin/balances', { signal, query: { user_ids: key } }),
    [key],
  );
}

function UserSearch({ onSearch }: { onSearch(query: string): void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(draft.trim());
  };
  return (
    <form className="filters card" onSubmit={submit} role="search">
      <TextField label={t('admin.users.search')} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="name@example.com" />
      <div className="filters-actions">
        <button type="submit" className="btn btn-primary">
          {t('admin.users.searchButton')}
        </button>
      </div>
    </form>
  );
}

export function AdminUsersPage() {
  const { t } = useTranslation();
  const { user: me, config } = useSession();
  const [query, setQuery] = useState('');
  const pages = useCursorStack();
  const [adjusting, setAdjusting] = useState<AdminUserJson>();
  const [editing, setEditing] = useState<AdminUserJson>();
  const [error, setError] = useState<unknown>();
  const cursor = pages.cursor;
  const users = useApi(
    (signal) => api.get<ListResponse<AdminUserJson> & { total: number }>('/api/admin/users', { signal, query: { q: query, limit: PAGE_SIZE, cursor } }),
    [query, cursor],
  );
  const balances = useUserBalances((users.data?.data ?? []).map((u) => u.id));
  const groups = useApi((signal) => api.get<ListResponse<GroupJson>>('/api/admin/billing/groups', { signal }), []);

  const search = (text: string) => {
    pages.reset();
    setQuery(text);
  };

  const setStatus = async (user: AdminUserJson, status: 'active' | 'disabled') => {
    setError(undefined);
    try {
      await api.patch(`/api/admin/users/${encodeURIComponent(user.id)}`, { status });
      users.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  const refresh = () => {
    users.reload();
    balances.reload();
  };

  return (
    <section>
      <PageHeader title={t('admin.users.title')} description={t('admin.users.description')} />
      <UserSearch onSearch={search} />
      {error ? <ErrorBox error={error} /> : null}
      <AsyncContent state={users}>
        {(page) =>
          page.data.length === 0 ? (
            <Empty title={t('admin.users.empty')} />
          ) : (
            <>
              <p className="muted">{t('admin.users.total', { count: page.total })}</p>
              <UsersTable users={page.data} balances={balances.data?.data ?? {}} myId={me?.id} onAdjust={setAdjusting} onEdit={setEditing} onSetStatus={(user, status) => void setStatus(user, status)} />
              <CursorPager pages={pages} nextCursor={page.next_cursor} label={t('admin.users.title')} />
            </>
          )
        }
      </AsyncContent>
      {config?.signup_mode === 'invite' ? <InvitesSection /> : null}
      <AdjustCreditDialog
        user={adjusting}
        onClose={() => setAdjusting(undefined)}
        onDone={() => {
          setAdjusting(undefined);
          refresh();
        }}
      />
      <EditUserDialog
        user={editing}
        groups={groups.data?.data ?? []}
        onClose={() => setEditing(undefined)}
        onDone={() => {
          setEditing(undefined);
          refresh();
        }}
      />
    </section>
  );
}
