import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ApiKeyJson, CreatedApiKeyJson, ListResponse } from '../api/types';
import { useApi } from '../api/use-api';
import { CopyButton } from '../components/copy-button';
import { ConfirmDialog, Modal } from '../components/modal';
import { PageHeader } from '../components/page-header';
import { AsyncContent, Empty, ErrorBox } from '../components/states';
import { formatDateTime, formatUsd } from '../lib/format';
import { useLocale } from '../lib/use-locale';
import { CreateKeyDialog } from './create-key-dialog';
import { TableHead } from '../components/table-head';

function NewKeyDialog({ created, onClose }: { created: CreatedApiKeyJson | undefined; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal open={created !== undefined} title={t('keys.createdTitle')} onClose={onClose} footer={<button type="button" className="btn btn-primary" onClick={onClose}>{t('keys.savedIt')}</button>}>
      <p className="alert alert-warning">{t('keys.showOnce')}</p>
      <div className="secret-box">
        <code data-testid="new-key">{created?.key}</code>
        <CopyButton text={created?.key ?? ''} />
      </div>
    </Modal>
  );
}

function LimitText({ apiKey }: { apiKey: ApiKeyJson }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!apiKey.spend_limit) return <span className="muted">{t('keys.noLimit')}</span>;
  const text = t(`keys.limitPer.${apiKey.spend_limit.period}`, { amount: formatUsd(apiKey.spend_limit.usd, locale) });
  return <span>{apiKey.spend_limit.set_by_admin ? `${text} (${t('keys.limitSetByAdmin')})` : text}</span>;
}

function KeyRestrictions({ apiKey }: { apiKey: ApiKeyJson }) {
  const { t } = useTranslation();
  const parts = [];
  const scope = apiKey.admin_scope ? (
    <span className="badge badge-warn" title={t('keys.adminScopeTitle')}>
      {t('keys.adminScope')}
    </span>
  ) : null;
  if (apiKey.allowed_models) parts.push(t('keys.modelsCount', { count: apiKey.allowed_models.length }));
  if (apiKey.allowed_ips) parts.push(t('keys.ipsCount', { count: apiKey.allowed_ips.length }));
  if (parts.length === 0) return scope ?? <span className="muted">{t('keys.unrestricted')}</span>;
  return (
    <>
      {scope}
      {scope ? ' ' : null}
      <span title={[...(apiKey.allowed_models ?? []), ...(apiKey.allowed_ips ?? [])].join(', ')}>{parts.join(' · ')}</span>
    </>
  );
}

function KeysTable({ keys, onRevoke }: { keys: ApiKeyJson[]; onRevoke(key: ApiKeyJson): void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const expired = (key: ApiKeyJson) => key.expires_at !== null && key.expires_at <= Date.now();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{t('keys.title')}</caption>
        <TableHead columns={[{ label: t('keys.name') }, { label: t('keys.key') }, { label: t('keys.status') }, { label: t('keys.lastUsed') }, { label: t('keys.spent'), numeric: true }, { label: t('keys.limit') }, { label: t('keys.restrictions') }, { label: t('keys.expires') }, { label: t('common.actions'), hidden: true }]} />
        <tbody>
          {keys.map((key) => (
            <tr key={key.id} data-testid="key-row">
              <td>{key.name}</td>
              <td className="mono">{key.prefix}</td>
              <td>
                <span className={`badge ${key.status === 'active' && !expired(key) ? 'badge-ok' : 'badge-muted'}`}>
                  {key.status === 'revoked' ? t('keys.revoked') : expired(key) ? t('keys.expired') : t('keys.active')}
                </span>
              </td>
              <td>{key.last_used_at ? formatDateTime(key.last_used_at, locale) : <span className="muted">{t('keys.never')}</span>}</td>
              <td className="num">{formatUsd(key.spent_usd, locale, 'cost')}</td>
              <td>
                <LimitText apiKey={key} />
              </td>
              <td>
                <KeyRestrictions apiKey={key} />
              </td>
              <td>{key.expires_at ? formatDateTime(key.expires_at, locale) : <span className="muted">{t('keys.never')}</span>}</td>
              <td>
                {key.status === 'active' ? (
                  <button type="button" className="btn btn-small btn-danger-outline" onClick={() => onRevoke(key)}>
                    {t('keys.revoke')}
                    <span className="visually-hidden"> {key.name}</span>
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

export function KeysPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const keys = useApi((signal) => api.get<ListResponse<ApiKeyJson>>('/api/dashboard/keys', { signal }), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKeyJson>();
  const [revoking, setRevoking] = useState<ApiKeyJson>();
  const [revokeError, setRevokeError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    setRevokeError(undefined);
    try {
      await api.delete(`/api/dashboard/keys/${encodeURIComponent(revoking.id)}`);
      setRevoking(undefined);
      keys.reload();
    } catch (error) {
      setRevokeError(error);
      setRevoking(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <PageHeader
        title={t('keys.title')}
        description={t('keys.description')}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            {t('keys.create')}
          </button>
        }
      />
      {revokeError ? <ErrorBox error={revokeError} /> : null}
      <AsyncContent state={keys}>
        {(list) =>
          list.data.length === 0 ? (
            <Empty title={t('keys.empty')}>
              <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
                {t('keys.create')}
              </button>
            </Empty>
          ) : (
            <KeysTable keys={list.data} onRevoke={setRevoking} />
          )
        }
      </AsyncContent>
      <CreateKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(key) => {
          setCreating(false);
          setCreated(key);
          keys.reload();
        }}
      />
      <NewKeyDialog created={created} onClose={() => setCreated(undefined)} />
      <ConfirmDialog
        open={revoking !== undefined}
        title={t('keys.revokeTitle')}
        message={t('keys.revokeMessage', { name: revoking?.name ?? '' })}
        confirmLabel={t('keys.revoke')}
        danger
        busy={busy}
        onConfirm={() => void revoke()}
        onClose={() => setRevoking(undefined)}
      />
    </section>
  );
}
