import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ListResponse } from '../../api/types';
import { useApi } from '../../api/use-api';
import { CopyButton } from '../../components/copy-button';
import { TextField } from '../../components/fields';
import { AsyncContent, Empty, ErrorBox } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';

interface InviteJson {
  id: string;
  code_hint: string;
  note: string | null;
  created_at: number;
  used_by: string | null;
  used_at: number | null;
}

/** Sign-up invitations, shown when sign-up is invite-only. A new code is visible once. */
export function InvitesSection() {
  const { t } = useTranslation();
  const locale = useLocale();
  const invites = useApi((signal) => api.get<ListResponse<InviteJson>>('/api/dashboard/admin/invites', { signal }), []);
  const [note, setNote] = useState('');
  const [code, setCode] = useState<string>();
  const [error, setError] = useState<unknown>();

  const create = async () => {
    setError(undefined);
    try {
      const created = await api.post<InviteJson & { code: string }>('/api/dashboard/admin/invites', { note: note.trim() || null });
      setCode(created.code);
      setNote('');
      invites.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section className="card" aria-labelledby="invites-title">
      <h2 id="invites-title">{t('admin.invites.title')}</h2>
      {error ? <ErrorBox error={error} /> : null}
      <div className="key-picker-row">
        <TextField label={t('admin.invites.note')} value={note} onChange={(e) => setNote(e.target.value)} />
        <button type="button" className="btn btn-primary" onClick={() => void create()}>
          {t('admin.invites.create')}
        </button>
      </div>
      {code ? (
        <div className="secret-box">
          <code>{code}</code>
          <CopyButton text={code} />
        </div>
      ) : null}
      <AsyncContent state={invites}>
        {(list) =>
          list.data.length === 0 ? (
            <Empty title={t('admin.invites.empty')} />
          ) : (
            <ul className="plain-list">
              {list.data.map((invite) => (
                <li key={invite.id}>
                  <span className="mono">…{invite.code_hint}</span> {invite.note ? `· ${invite.note}` : ''} ·{' '}
                  {invite.used_at ? t('admin.invites.used', { when: formatDateTime(invite.used_at, locale) }) : t('admin.invites.unused')}
                </li>
              ))}
            </ul>
          )
        }
      </AsyncContent>
    </section>
  );
}
