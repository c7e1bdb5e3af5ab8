import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../api/client';
import type { ApiKeyJson, ListResponse, OverviewJson } from '../api/types';
import { useApi } from '../api/use-api';
import { PageHeader } from '../components/page-header';
import { AsyncContent, Empty } from '../components/states';
import { formatCompact, formatDay, formatNumber, formatUsd, localUtcOffsetMinutes } from '../lib/format';
import { useLocale } from '../lib/use-locale';
import { TableHead } from '../components/table-head';

function StatCard({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="card stat-card">
      <p className="stat-label">{label}</p>
      <p className="stat-value">{value}</p>
      {detail ? <p className="stat-detail">{detail}</p> : null}
    </div>
  );
}

function QuickStart({ hasKey, hasBalance }: { hasKey: boolean; hasBalance: boolean }) {
  const { t } = useTranslation();
  const steps = [
    { done: true, label: t('overview.quickStart.account'), to: undefined },
    { done: hasKey, label: t('overview.quickStart.key'), to: '/keys' },
    { done: hasBalance, label: t('overview.quickStart.topUp'), to: '/billing' },
    { done: false, label: t('overview.quickStart.call'), to: '/models' },
  ];
  return (
    <section className="card quick-start" aria-labelledby="quick-start-title">
      <h2 id="quick-start-title">{t('overview.quickStart.title')}</h2>
      <ol>
        {steps.map((step) => (
          <li key={step.label} className={step.done ? 'done' : ''}>
            <span className="step-mark" aria-hidden="true">
              {step.done ? '✓' : ''}
            </span>
            {step.to && !step.done ? <Link to={step.to}>{step.label}</Link> : <span>{step.label}</span>}
            {step.done ? <span className="visually-hidden">{t('overview.quickStart.doneLabel')}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function UsageChart({ data }: { data: OverviewJson['daily'] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const rows = data.map((day) => ({ ...day, label: formatDay(day.day, locale) }));
  return (
    <div className="chart" role="img" aria-label={t('overview.chartLabel')}>
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
          <YAxis yAxisId="tokens" tickFormatter={(v: number) => formatCompact(v, locale)} tick={{ fontSize: 12 }} width={48} />
          <YAxis yAxisId="requests" orientation="right" allowDecimals={false} tick={{ fontSize: 12 }} width={40} />
          <Tooltip formatter={(value) => formatNumber(Number(value), locale)} />
          <Legend />
          <Bar yAxisId="tokens" dataKey="prompt_tokens" stackId="tokens" name={t('overview.promptTokens')} fill="#818cf8" />
          <Bar yAxisId="tokens" dataKey="completion_tokens" stackId="tokens" name={t('overview.completionTokens')} fill="#4f46e5" />
          <Line yAxisId="requests" type="monotone" dataKey="requests" name={t('overview.requests')} stroke="#f59e0b" strokeWidth={2} dot={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

export function OverviewPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const overview = useApi(
    (signal) => api.get<OverviewJson>('/api/dashboard/overview', { signal, query: { days: 30, tz_offset: localUtcOffsetMinutes() } }),
    [],
  );
  const keys = useApi((signal) => api.get<ListResponse<ApiKeyJson>>('/api/dashboard/keys', { signal }), []);

  return (
    <section>
      <PageHeader title={t('overview.title')} description={t('overview.description')} />
      <AsyncContent state={overview}>
        {(data) => {
          const hasKey = (keys.data?.data ?? []).some((key) => key.status === 'active');
          const hasBalance = Number(data.balance_usd) > 0;
          const noUsage = data.daily.every((day) => day.requests === 0);
          return (
            <>
              {!hasKey || !hasBalance || noUsage ? <QuickStart hasKey={hasKey} hasBalance={hasBalance} /> : null}
              <div className="stat-grid">
                <StatCard
                  label={t('overview.balance')}
                  value={formatUsd(data.available_usd, locale)}
                  detail={Number(data.held_usd) > 0 ? t('overview.held', { amount: formatUsd(data.held_usd, locale) }) : undefined}
                />
                <StatCard label={t('overview.spendToday')} value={formatUsd(data.spend_today_usd, locale, 'cost')} detail={t('overview.requestCount', { count: data.requests_today })} />
                <StatCard label={t('overview.spendMonth')} value={formatUsd(data.spend_month_usd, locale, 'cost')} detail={t('overview.requestCount', { count: data.requests_month })} />
              </div>
              <div className="grid-two">
                <section className="card" aria-labelledby="usage-chart-title">
                  <h2 id="usage-chart-title">{t('overview.chartTitle')}</h2>
                  {noUsage ? <Empty title={t('overview.noUsage')} /> : <UsageChart data={data.daily} />}
                </section>
                <section className="card" aria-labelledby="top-models-title">
                  <h2 id="top-models-title">{t('overview.topModels')}</h2>
                  {data.top_models.length === 0 ? (
                    <Empty title={t('overview.noUsage')} />
                  ) : (
                    <div className="table-wrap">
                    <table className="table table-compact">
                      <TableHead columns={[{ label: t('usage.model') }, { label: t('overview.requests'), numeric: true }, { label: t('usage.cost'), numeric: true }]} />
                      <tbody>
                        {data.top_models.map((row) => (
                          <tr key={row.model}>
                            <td className="mono">{row.model}</td>
                            <td className="num">{formatNumber(row.requests, locale)}</td>
                            <td className="num">{formatUsd(row.cost_usd, locale, 'cost')}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                    </div>
                  )}
                </section>
              </div>
            </>
          );
        }}
      </AsyncContent>
    </section>
  );
}
