import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, downloadFile, withQuery } from '../api/client';
import type { ApiKeyJson, ListResponse, UsageRecordJson } from '../api/types';
import { useApi } from '../api/use-api';
import { SelectField, TextField } from '../components/fields';
import { PageHeader } from '../components/page-header';
import { AsyncContent, Empty, ErrorBox } from '../components/states';
import { formatDateTime, formatMs, formatNumber, formatUsd } from '../lib/format';
import { useLocale } from '../lib/use-locale';
import { UsageDetail } from './usage-detail';
import { TableHead } from '../components/table-head';
import { CursorPager, useCursorStack } from '../components/cursor-pager';

const PAGE_SIZE = 25;

interface Filters {
  keyId: string;
  model: string;
  from: string;
  to: string;
}

const emptyFilters: Filters = { keyId: '', model: '', from: '', to: '' };

/** Local midnight of a `YYYY-MM-DD` input, as epoch ms; `dayAfter` gives the next midnight (an exclusive end). */
function localDayStart(date: string, dayAfter = false): number | undefined {
  const [year, month, day] = date.split('-').map(Number);
  if (!year || !month || !day) return undefined;
  return new Date(year, month - 1, day + (dayAfter ? 1 : 0)).getTime();
}

function toQuery(filters: Filters) {
  return {
    key_id: filters.keyId,
    model: filters.model.trim(),
    from: filters.from ? localDayStart(filters.from) : undefined,
    to: filters.to ? localDayStart(filters.to, true) : undefined,
  };
}

function UsageTable({ records, keyNames, onSelect }: { records: UsageRecordJson[]; keyNames: Map<string, string>; onSelect(record: UsageRecordJson): void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{t('usage.title')}</caption>
        <TableHead columns={[{ label: t('usage.time') }, { label: t('usage.key') }, { label: t('usage.model') }, { label: t('usage.tokens'), numeric: true }, { label: t('usage.cost'), numeric: true }, { label: t('usage.latency'), numeric: true }, { label: t('usage.status') }]} />
        <tbody>
          {records.map((record) => (
            <tr key={record.id} data-testid="usage-row">
              <td>
                <button type="button" className="link-button" onClick={() => onSelect(record)}>
                  {formatDateTime(record.created_at, locale)}
                </button>
              </td>
              <td>{record.api_key_id ? (keyNames.get(record.api_key_id) ?? record.api_key_id) : '—'}</td>
              <td className="mono">{record.model ?? '—'}</td>
              <td className="num">
                {formatNumber(record.prompt_tokens, locale)} / {formatNumber(record.completion_tokens, locale)}
              </td>
              <td className="num">
                {formatUsd(record.cost, locale, 'cost')}
                {record.estimated ? (
                  <span className="badge badge-warn" title={t('usage.estimatedHint')}>
                    {t('usage.estimatedShort')}
                  </span>
                ) : null}
              </td>
              <td className="num">{formatMs(record.latency_ms, locale)}</td>
              <td>
                <span className={`badge ${record.status < 400 ? 'badge-ok' : 'badge-error'}`}>{record.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UsageFilters(props: { draft: Filters; keys: ApiKeyJson[]; onChange(filters: Filters): void; onApply(event: FormEvent): void; onReset(): void }) {
  const { t } = useTranslation();
  const { draft, keys, onChange, onApply, onReset } = props;
  return (
    <form className="filters card" onSubmit={onApply} aria-label={t('usage.filters')}>
      <SelectField
        label={t('usage.key')}
        value={draft.keyId}
        onChange={(e) => onChange({ ...draft, keyId: e.target.value })}
        options={[{ value: '', label: t('usage.allKeys') }, ...keys.map((key) => ({ value: key.id, label: `${key.name} (${key.prefix})` }))]}
      />
      <TextField label={t('usage.model')} value={draft.model} placeholder="openai/gpt-4.1" onChange={(e) => onChange({ ...draft, model: e.target.value })} />
      <TextField label={t('usage.from')} type="date" value={draft.from} onChange={(e) => onChange({ ...draft, from: e.target.value })} />
      <TextField label={t('usage.to')} type="date" value={draft.to} onChange={(e) => onChange({ ...draft, to: e.target.value })} />
      <div className="filters-actions">
        <button type="submit" className="btn btn-primary">
          {t('usage.apply')}
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={onReset}
        >
          {t('usage.reset')}
        </button>
      </div>
    </form>
  );
}

export function UsagePage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [draft, setDraft] = useState<Filters>(emptyFilters);
  const [filters, setFilters] = useState<Filters>(emptyFilters);
  const pages = useCursorStack();
  const [selected, setSelected] = useState<UsageRecordJson>();
  const [exportError, setExportError] = useState<unknown>();
  const cursor = pages.cursor;
  const keys = useApi((signal) => api.get<ListResponse<ApiKeyJson>>('/api/dashboard/keys', { signal }), []);
  const usage = useApi(
    (signal) => api.get<ListResponse<UsageRecordJson>>('/api/billing/usage', { signal, query: { ...toQuery(filters), limit: PAGE_SIZE, cursor } }),
    [filters, cursor],
  );
  const keyNames = useMemo(() => new Map((keys.data?.data ?? []).map((key) => [key.id, key.name])), [keys.data]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    pages.reset();
    setFilters(draft);
  };

  const reset = () => {
    setDraft(emptyFilters);
    setFilters(emptyFilters);
    pages.reset();
  };

  const exportCsv = async () => {
    setExportError(undefined);
    try {
      await downloadFile(withQuery('/api/billing/usage.csv', toQuery(filters)), 'tokenhub-usage.csv');
    } catch (error) {
      setExportError(error);
    }
  };

  return (
    <section>
      <PageHeader
        title={t('usage.title')}
        description={t('usage.description')}
        actions={
          <button type="button" className="btn" onClick={() => void exportCsv()}>
            {t('usage.exportCsv')}
          </button>
        }
      />
      {exportError ? <ErrorBox error={exportError} /> : null}
      <UsageFilters draft={draft} keys={keys.data?.data ?? []} onChange={setDraft} onApply={apply} onReset={reset} />
      <AsyncContent state={usage}>
        {(page) =>
          page.data.length === 0 ? (
            <Empty title={t('usage.empty')} />
          ) : (
            <>
              <UsageTable records={page.data} keyNames={keyNames} onSelect={setSelected} />
              <CursorPager pages={pages} nextCursor={page.next_cursor} label={t('usage.pages')} />
            </>
          )
        }
      </AsyncContent>
      <UsageDetail record={selected} keyName={selected?.api_key_id ? keyNames.get(selected.api_key_id) : undefined} onClose={() => setSelected(undefined)} />
    </section>
  );
}
