import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AdminModelJson, ListResponse, ModelPricing } from '../../api/types';
import { useApi } from '../../api/use-api';
import { TextField } from '../../components/fields';
import { PageHeader } from '../../components/page-header';
import { AsyncContent, ErrorBox } from '../../components/states';
import { formatUsd } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { ModelPriceDialog } from './model-price-dialog';
import { TableHead } from '../../components/table-head';

function PriceSummary({ pricing }: { pricing: ModelPricing }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (pricing.kind === 'tokens') {
    return <span>{t('admin.models.tokenPrices', { input: formatUsd(pricing.inputPerMTok, locale, 'price'), output: formatUsd(pricing.outputPerMTok, locale, 'price') })}</span>;
  }
  if (pricing.kind === 'image') return <span>{t('models.perImage', { price: formatUsd(pricing.perImage, locale, 'price') })}</span>;
  const first = pricing.perSecond[0];
  return <span>{first ? t('models.perSecond', { price: formatUsd(first.usd, locale, 'price') }) : '—'}</span>;
}

export function AdminModelsPage() {
  const { t } = useTranslation();
  const models = useApi((signal) => api.get<ListResponse<AdminModelJson>>('/api/admin/models', { signal }), []);
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<AdminModelJson>();
  const [error, setError] = useState<unknown>();

  const reset = async (model: AdminModelJson) => {
    setError(undefined);
    try {
      await api.delete(`/api/admin/models/${model.id}/override`);
      models.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  const needle = query.trim().toLowerCase();
  return (
    <section>
      <PageHeader title={t('admin.models.title')} description={t('admin.models.description')} />
      <div className="models-toolbar">
        <TextField label={t('models.search')} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {error ? <ErrorBox error={error} /> : null}
      <AsyncContent state={models}>
        {(list) => (
          <div className="table-wrap">
            <table className="table">
              <TableHead columns={[{ label: t('usage.model') }, { label: t('admin.models.modality') }, { label: t('admin.models.price') }, { label: t('admin.models.state') }, { label: t('common.actions'), hidden: true }]} />
              <tbody>
                {list.data
                  .filter((model) => !needle || model.id.toLowerCase().includes(needle))
                  .map((model) => (
                    <tr key={model.id} data-testid="admin-model-row">
                      <td className="mono">{model.id}</td>
                      <td>{t(`models.modality.${model.modality}`)}</td>
                      <td>
                        <PriceSummary pricing={model.pricing} />
                      </td>
                      <td>
                        <span className={`badge ${model.enabled ? 'badge-ok' : 'badge-muted'}`}>{model.enabled ? t('admin.models.enabledBadge') : t('admin.models.disabledBadge')}</span>
                        {model.override ? <span className="badge badge-warn">{t('admin.models.overridden')}</span> : null}
                      </td>
                      <td className="row-actions">
                        <button type="button" className="btn btn-small" onClick={() => setEditing(model)}>
                          {t('common.edit')}
                          <span className="visually-hidden"> {model.id}</span>
                        </button>
                        {model.override ? (
                          <button type="button" className="btn btn-small btn-ghost" onClick={() => void reset(model)}>
                            {t('admin.models.reset')}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )}
      </AsyncContent>
      <ModelPriceDialog
        model={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          models.reload();
        }}
      />
    </section>
  );
}
