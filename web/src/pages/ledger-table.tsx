import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { LedgerEntryJson, ListResponse } from '../api/types';
import { useApi } from '../api/use-api';
import { AsyncContent, Empty } from '../components/states';
import { formatDateTime, formatUsd } from '../lib/format';
import { useLocale } from '../lib/use-locale';
import { TableHead } from '../components/table-head';
import { CursorPager, useCursorStack } from '../components/cursor-pager';

const PAGE_SIZE = 20;
/** Holds and their releases are bookkeeping of in-flight calls; the history shows money that moved. */
const HIDDEN_KINDS = new Set(['hold', 'release']);
/** Reasons an admin typed; the others are fixed English phrases the kind already says in the user's language. */
const NOTED_KINDS = new Set(['adjustment', 'refund']);

export function LedgerTable({ path = '/api/billing/ledger' }: { path?: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const pages = useCursorStack();
  const cursor = pages.cursor;
  const ledger = useApi((signal) => api.get<ListResponse<LedgerEntryJson>>(path, { signal, query: { limit: PAGE_SIZE, cursor } }), [path, cursor]);

  return (
    <AsyncContent state={ledger}>
      {(page) => {
        const entries = page.data.filter((entry) => !HIDDEN_KINDS.has(entry.kind));
        return (
          <>
            {entries.length === 0 ? (
              <Empty title={t('billing.noHistory')} />
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <TableHead columns={[{ label: t('billing.when') }, { label: t('billing.kind') }, { label: t('billing.change'), numeric: true }, { label: t('billing.balanceAfter'), numeric: true }, { label: t('billing.note') }]} />
                  <tbody>
                    {entries.map((entry) => (
                      <tr key={entry.id} data-testid="ledger-row">
                        <td>{formatDateTime(entry.created_at, locale)}</td>
                        <td>{t(`billing.kinds.${entry.kind}`)}</td>
                        <td className={`num ${entry.amount.startsWith('-') ? 'negative' : 'positive'}`}>{formatUsd(entry.amount, locale, 'cost')}</td>
                        <td className="num">{formatUsd(entry.balance_after, locale, 'cost')}</td>
                        <td className="muted">{NOTED_KINDS.has(entry.kind) ? (entry.reason ?? '') : ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <CursorPager pages={pages} nextCursor={page.next_cursor} label={t('billing.history')} />
          </>
        );
      }}
    </AsyncContent>
  );
}
