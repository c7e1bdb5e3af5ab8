import { useTranslation } from 'react-i18next';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../../api/client';
import type { DailyTotalsJson, ListResponse, PlatformTotalsJson } from '../../api/types';
import { useApi } from '../../api/use-api';
import { PageHeader } from '../../components/page-header';
import { AsyncContent } from '../../components/states';
import { formatDay, formatNumber, formatUsd, localUtcOffsetMinutes } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';

const DAYS = 30;

export function AdminTotalsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const from = Date.now() - DAYS * 86_400_000;
  const totals = useApi((signal) => api.get<PlatformTotalsJson>('/api/admin/billing/totals', { signal, query: { from: String(from) } }), []);
  const daily = useApi(
    (signal) => api.get<ListResponse<DailyTotalsJson>>('/api/dashboard/admin/totals/daily', { signal, query: { days: DAYS, tz_offset: localUtcOffsetMinutes() } }),
    [],
  );

  const cards: Array<[string, keyof PlatformTotalsJson]> = [
    ['admin.totals.revenue', 'revenue'],
    ['admin.totals.upstreamCost', 'upstream_cost'],
    ['admin.totals.margin', 'margin'],
    ['admin.totals.topUps', 'top_ups'],
    ['admin.totals.redemptions', 'redemptions'],
    ['admin.totals.outstanding', 'outstanding_balance'],
  ];

  return (
    <section>
      <PageHeader title={t('admin.totals.title')} description={t('admin.totals.description', { count: DAYS })} />
      <AsyncContent state={totals}>
        {(data) => (
          <div className="stat-grid">
            {cards.map(([label, field]) => (
              <div key={field} className="card stat-card">
                <p className="stat-label">{t(label)}</p>
                <p className="stat-value">{formatUsd(String(data[field]), locale, 'cost')}</p>
              </div>
            ))}
            <div className="card stat-card">
              <p className="stat-label">{t('admin.totals.requests')}</p>
              <p className="stat-value">{formatNumber(data.settled_requests, locale)}</p>
            </div>
          </div>
        )}
      </AsyncContent>
      <section className="card" aria-labelledby="totals-chart-title">
        <h2 id="totals-chart-title">{t('admin.totals.byDay')}</h2>
        <AsyncContent state={daily}>
          {(list) => {
            const rows = list.data.map((day) => ({
              label: formatDay(day.day, locale),
              revenue: Number(day.revenue),
              upstream: Number(day.upstream_cost),
              margin: Number(day.margin),
            }));
            return (
              <div className="chart" role="img" aria-label={t('admin.totals.chartLabel')}>
                <ResponsiveContainer width="100%" height={300}>
                  <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
                    <YAxis tickFormatter={(v: number) => formatUsd(v, locale, 'cost')} tick={{ fontSize: 12 }} width={84} />
                    <Tooltip formatter={(value) => formatUsd(Number(value), locale, 'cost')} />
                    <Legend />
                    <Bar dataKey="revenue" name={t('admin.totals.revenue')} fill="#4f46e5" />
                    <Bar dataKey="upstream" name={t('admin.totals.upstreamCost')} fill="#a5b4fc" />
                    <Line type="monotone" dataKey="margin" name={t('admin.totals.margin')} stroke="#059669" strokeWidth={2} dot={false} />
                  </ComposedChart>
                </ResponsiveContainer>
              </div>
            );
          }}
        </AsyncContent>
      </section>
    </section>
  );
}
