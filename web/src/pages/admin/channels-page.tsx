import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AdminChannelJson, ListResponse } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ConfirmDialog } from '../../components/modal';
import { PageHeader } from '../../components/page-header';
import { AsyncContent, Empty, ErrorBox } from '../../components/states';
import { formatMs } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { ChannelDialog, type ProviderJson } from './channel-dialog';
import { TableHead } from '../../components/table-head';

interface ChannelTestJson {
  ok: boolean;
  model: string | null;
  status: number | null;
  latency_ms: number | null;
  error_code: string | null;
  message: string | null;
}

function TestResult({ result }: { result: ChannelTestJson | 'running' | undefined }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!result) return null;
  if (result === 'running') return <span className="muted" role="status">{t('admin.channels.testing')}</span>;
  return (
    <span role="status" className={result.ok ? 'positive' : 'negative'} data-testid="channel-test-result">
      {result.ok
        ? t('admin.channels.testOk', { model: result.model ?? '', latency: formatMs(result.latency_ms, locale) })
        : result.error_code === 'no_chat_model'
          ? t('admin.channels.testNoModel')
          : t('admin.channels.testFailed', { status: result.status ?? '—', code: result.error_code ?? '' })}
    </span>
  );
}

interface ChannelsTableProps {
  channels: AdminChannelJson[];
  tests: Record<string, ChannelTestJson | 'running'>;
  onTest(channel: AdminChannelJson): void;
  onEdit(channel: AdminChannelJson): void;
  onDelete(channel: AdminChannelJson): void;
}

function ChannelsTable({ channels, tests, onTest, onEdit, onDelete }: ChannelsTableProps) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table">
        <TableHead columns={[{ label: t('admin.channels.name') }, { label: t('admin.channels.provider') }, { label: t('admin.channels.baseUrl') }, { label: t('admin.channels.apiKey') }, { label: t('admin.channels.modelCount'), numeric: true }, { label: t('admin.channels.weight'), numeric: true }, { label: t('admin.channels.priority'), numeric: true }, { label: t('admin.channels.state') }, { label: t('common.actions'), hidden: true }]} />
        <tbody>
          {channels.map((channel) => (
            <tr key={channel.id} data-testid="channel-row">
              <td>{channel.name}</td>
              <td>{channel.provider}</td>
              <td className="mono truncate" title={channel.base_url}>
                {channel.base_url}
              </td>
              <td className="mono">{channel.api_key_hint}</td>
              <td className="num" title={channel.models.join(', ')}>
                {channel.models.length}
              </td>
              <td className="num">{channel.weight}</td>
              <td className="num">{channel.priority}</td>
              <td>
                <span className={`badge ${channel.enabled ? 'badge-ok' : 'badge-muted'}`}>{channel.enabled ? t('admin.channels.on') : t('admin.channels.off')}</span>
              </td>
              <td className="row-actions">
                <button type="button" className="btn btn-small" onClick={() => onTest(channel)}>
                  {t('admin.channels.test')}
                </button>
                <button type="button" className="btn btn-small" onClick={() => onEdit(channel)}>
                  {t('common.edit')}
                </button>
                <button type="button" className="btn btn-small btn-danger-outline" onClick={() => onDelete(channel)}>
                  {t('common.delete')}
                </button>
                <TestResult result={tests[channel.id]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AdminChannelsPage() {
  const { t } = useTranslation();
  const channels = useApi((signal) => api.get<ListResponse<AdminChannelJson>>('/api/admin/channels', { signal }), []);
  const providers = useApi((signal) => api.get<ListResponse<ProviderJson>>('/api/dashboard/admin/providers', { signal }), []);
  const [dialog, setDialog] = useState<{ channel: AdminChannelJson | undefined } | undefined>();
  const [deleting, setDeleting] = useState<AdminChannelJson>();
  const [tests, setTests] = useState<Record<string, ChannelTestJson | 'running'>>({});
  const [error, setError] = useState<unknown>();

  const test = async (channel: AdminChannelJson) => {
    setTests((all) => ({ ...all, [channel.id]: 'running' }));
    try {
      const result = await api.post<ChannelTestJson>(`/api/dashboard/admin/channels/${encodeURIComponent(channel.id)}/test`);
      setTests((all) => ({ ...all, [channel.id]: result }));
    } catch (caught) {
      setTests((all) => {
        const { [channel.id]: _dropped, ...rest } = all;
        return rest;
      });
      setError(caught);
    }
  };

  const remove = async () => {
    if (!deleting) return;
    setError(undefined);
    try {
      await api.delete(`/api/admin/channels/${encodeURIComponent(deleting.id)}`);
      channels.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setDeleting(undefined);
    }
  };

  return (
    <section>
      <PageHeader
        title={t('admin.channels.title')}
        description={t('admin.channels.description')}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setDialog({ channel: undefined })} disabled={!providers.data}>
            {t('admin.channels.add')}
          </button>
        }
      />
      {error ? <ErrorBox error={error} /> : null}
      <AsyncContent state={channels}>
        {(list) =>
          list.data.length === 0 ? (
            <Empty title={t('admin.channels.empty')} />
          ) : (
            <ChannelsTable channels={list.data} tests={tests} onTest={(channel) => void test(channel)} onEdit={(channel) => setDialog({ channel })} onDelete={setDeleting} />
          )
        }
      </AsyncContent>
      <ChannelDialog
        open={dialog !== undefined}
        channel={dialog?.channel}
        providers={providers.data?.data ?? []}
        onClose={() => setDialog(undefined)}
        onSaved={() => {
          setDialog(undefined);
          channels.reload();
        }}
      />
      <ConfirmDialog
        open={deleting !== undefined}
        title={t('admin.channels.deleteTitle')}
        message={t('admin.channels.deleteMessage', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        danger
        onConfirm={() => void remove()}
        onClose={() => setDeleting(undefined)}
      />
    </section>
  );
}
