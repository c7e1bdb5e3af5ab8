import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import type { BalanceJson, CheckoutJson, RedemptionJson } from '../api/types';
import { useApi } from '../api/use-api';
import { useSession } from '../auth/session';
import { TextField } from '../components/fields';
import { PageHeader } from '../components/page-header';
import { AsyncContent, ErrorBox, Notice } from '../components/states';
import { formatUsd, isUsdAmount } from '../lib/format';
import { useLocale } from '../lib/use-locale';
import { LedgerTable } from './ledger-table';

function TopUpCard({ onError }: { onError(error: unknown): void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { config } = useSession();
  const topUp = config?.top_up;
  const [amount, setAmount] = useState(topUp?.presets_usd[1] ?? topUp?.presets_usd[0] ?? '');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!topUp?.stripe_enabled) {
    return (
      <section className="card" aria-labelledby="topup-title">
        <h2 id="topup-title">{t('billing.topUp')}</h2>
        <p className="muted">{t('billing.stripeOff')}</p>
      </section>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = amount.trim();
    if (!isUsdAmount(value) || Number(value) < Number(topUp.min_usd) || Number(value) > Number(topUp.max_usd)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setBusy(true);
    try {
      const checkout = await api.post<CheckoutJson>('/api/billing/checkout', { amount: value });
      window.location.assign(checkout.url);
    } catch (error) {
      onError(error);
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="topup-title">
      <h2 id="topup-title">{t('billing.topUp')}</h2>
      <p className="muted">{t('billing.topUpHint')}</p>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <fieldset className="preset-group">
          <legend>{t('billing.presets')}</legend>
          {topUp.presets_usd.map((preset) => (
            <button key={preset} type="button" className={`btn ${amount === preset ? 'btn-selected' : ''}`} aria-pressed={amount === preset} onClick={() => setAmount(preset)}>
              {formatUsd(preset, locale)}
            </button>
          ))}
        </fieldset>
        <TextField
          label={t('billing.amount')}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          hint={t('billing.amountRange', { min: formatUsd(topUp.min_usd, locale), max: formatUsd(topUp.max_usd, locale) })}
          error={invalid ? t('billing.amountInvalid', { min: formatUsd(topUp.min_usd, locale), max: formatUsd(topUp.max_usd, locale) }) : undefined}
        />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('billing.redirecting') : t('billing.payWithCard')}
        </button>
      </form>
    </section>
  );
}

function RedeemCard({ onRedeemed }: { onRedeemed(result: RedemptionJson): void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.post<RedemptionJson>('/api/billing/redeem', { code: code.trim() });
      setCode('');
      onRedeemed(result);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="redeem-title">
      <h2 id="redeem-title">{t('billing.redeem')}</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        {error ? <ErrorBox error={error} /> : null}
        <TextField label={t('billing.code')} name="redemption-code" autoComplete="off" placeholder="XXXX-XXXX-XXXX-XXXX" required value={code} onChange={(e) => setCode(e.target.value)} />
        <button type="submit" className="btn btn-primary" disabled={busy || code.trim() === ''}>
          {t('billing.redeemButton')}
        </button>
      </form>
    </section>
  );
}

export function BillingPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [params] = useSearchParams();
  const [generation, setGeneration] = useState(0);
  const [redeemed, setRedeemed] = useState<RedemptionJson>();
  const [error, setError] = useState<unknown>();
  const balance = useApi((signal) => api.get<BalanceJson>('/api/billing/balance', { signal }), [generation]);
  const checkout = params.get('checkout');

  return (
    <section>
      <PageHeader title={t('billing.title')} description={t('billing.description')} />
      {checkout === 'success' ? <Notice>{t('billing.checkoutSuccess')}</Notice> : null}
      {checkout === 'cancelled' ? <Notice kind="info">{t('billing.checkoutCancelled')}</Notice> : null}
      {redeemed ? <Notice>{t('billing.redeemed', { amount: formatUsd(redeemed.amount, locale), balance: formatUsd(redeemed.balance, locale) })}</Notice> : null}
      {error ? <ErrorBox error={error} /> : null}
      <div className="stat-grid">
        <AsyncContent state={balance}>
          {(data) => (
            <div className="card stat-card" data-testid="balance-card">
              <p className="stat-label">{t('billing.available')}</p>
              <p className="stat-value" data-testid="balance-value">
                {formatUsd(data.available, locale)}
              </p>
              <p className="stat-detail">{t('billing.balanceDetail', { balance: formatUsd(data.balance, locale), held: formatUsd(data.held, locale) })}</p>
              {Number(data.debt) > 0 ? (
                <p className="stat-detail" data-testid="debt-value">
                  {t('billing.debtDetail', { debt: formatUsd(data.debt, locale) })}
                </p>
              ) : null}
            </div>
          )}
        </AsyncContent>
      </div>
      <div className="grid-two">
        <TopUpCard onError={setError} />
        <RedeemCard
          onRedeemed={(result) => {
            setRedeemed(result);
            setGeneration((g) => g + 1);
          }}
        />
      </div>
      <section className="card" aria-labelledby="ledger-title">
        <h2 id="ledger-title">{t('billing.history')}</h2>
        <LedgerTable key={generation} />
      </section>
    </section>
  );
}

