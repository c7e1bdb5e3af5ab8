import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { CreatedBatchJson, ListResponse, RedemptionBatchJson } from '../../api/types';
import { useApi } from '../../api/use-api';
import { CopyButton } from '../../components/copy-button';
import { TextField } from '../../components/fields';
import { Modal } from '../../components/modal';
import { PageHeader } from '../../components/page-header';
import { AsyncContent, Empty, ErrorBox } from '../../components/states';
import { formatDateTime, formatUsd, isUsdAmount } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { TableHead } from '../../components/table-head';

function downloadCodes(batch: CreatedBatchJson): void {
  const csv = ['code,amount_usd', ...batch.codes.map((code) => `${code},${batch.amount}`)].join('\r\n') + '\r\n';
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `redemption-codes-${batch.id}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

function BatchForm({ onCreated }: { onCreated(batch: CreatedBatchJson): void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState('10');
  const [count, setCount] = useState('10');
  const [expiry, setExpiry] = useState('');
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const n = Number(count);
    if (!isUsdAmount(amount) || Number(amount) <= 0 || !Number.isInteger(n) || n < 1 || n > 1000) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setBusy(true);
    setError(undefined);
    try {
      const expiresAt = expiry ? String(new Date(`${expiry}T23:59:59`).getTime()) : null;
      onCreated(await api.post<CreatedBatchJson>('/api/admin/billing/redemption-batches', { amount: amount.trim(), count: n, expires_at: expiresAt, note: note.trim() || null }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form inline-form" onSubmit={(event) => void submit(event)} noValidate>
      {error ? <ErrorBox error={error} /> : null}
      <TextField label={t('admin.codes.amount')} inputMode="decimal" required value={amount} onChange={(e) => setAmount(e.target.value)} error={invalid ? t('admin.codes.invalid') : undefined} />
      <TextField label={t('admin.codes.count')} type="number" min={1} max={1000} required value={count} onChange={(e) => setCount(e.target.value)} />
      <TextField label={t('admin.codes.expiry')} type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
      <TextField label={t('admin.codes.note')} value={note} onChange={(e) => setNote(e.target.value)} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('admin.codes.generate')}
        </button>
      </div>
    </form>
  );
}

export function AdminCodesPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const batches = useApi((signal) => api.get<ListResponse<RedemptionBatchJson>>('/api/admin/billing/redemption-batches', { signal }), []);
  const [created, setCreated] = useState<CreatedBatchJson>();

  return (
    <section>
      <PageHeader title={t('admin.codes.title')} description={t('admin.codes.description')} />
      <section className="card" aria-labelledby="batch-form-title">
        <h2 id="batch-form-title">{t('admin.codes.newBatch')}</h2>
        <BatchForm
          onCreated={(batch) => {
            setCreated(batch);
            batches.reload();
          }}
        />
      </section>
      <section className="card" aria-labelledby="batches-title">
        <h2 id="batches-title">{t('admin.codes.batches')}</h2>
        <AsyncContent state={batches}>
          {(list) =>
            list.data.length === 0 ? (
              <Empty title={t('admin.codes.empty')} />
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <TableHead columns={[{ label: t('admin.codes.created') }, { label: t('admin.codes.amount'), numeric: true }, { label: t('admin.codes.redeemed'), numeric: true }, { label: t('admin.codes.expiry') }, { label: t('admin.codes.note') }]} />
                  <tbody>
                    {list.data.map((batch) => (
                      <tr key={batch.id} data-testid="batch-row">
                        <td>{formatDateTime(batch.created_at, locale)}</td>
                        <td className="num">{formatUsd(batch.amount, locale)}</td>
                        <td className="num">
                          {batch.redeemed} / {batch.count}
                        </td>
                        <td>{batch.expires_at ? formatDateTime(batch.expires_at, locale) : t('keys.never')}</td>
                        <td>{batch.note ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </AsyncContent>
      </section>
      <Modal
        open={created !== undefined}
        title={t('admin.codes.createdTitle', { count: created?.codes.length ?? 0 })}
        onClose={() => setCreated(undefined)}
        wide
        footer={
          created ? (
            <>
              <CopyButton text={created.codes.join('\n')} label={t('admin.codes.copyAll')} />
              <button type="button" className="btn" onClick={() => downloadCodes(created)}>
                {t('admin.codes.export')}
              </button>
            </>
          ) : null
        }
      >
        <p className="alert alert-warning">{t('admin.codes.showOnce')}</p>
        <pre className="code-list" data-testid="created-codes">
          {created?.codes.join('\n')}
        </pre>
      </Modal>
    </section>
  );
}
