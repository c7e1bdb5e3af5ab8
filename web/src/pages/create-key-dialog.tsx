/** The create-key form; on success the parent shows the plaintext key once. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { CreatedApiKeyJson } from '../api/types';
import { SelectField, TextArea, TextField } from '../components/fields';
import { Modal } from '../components/modal';
import { ErrorBox } from '../components/states';
import { isUsdAmount } from '../lib/format';

function splitList(text: string): string[] | null {
  const items = text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length > 0 ? items : null;
}

/** End of the chosen local day, as epoch ms. */
function toExpiry(date: string): number | null {
  if (!date) return null;
  const [year, month, day] = date.split('-').map(Number);
  if (!year || !month || !day) return null;
  return new Date(year, month - 1, day, 23, 59, 59).getTime();
}

interface KeyDraft {
  name: string;
  limit: string;
  period: 'total' | 'day' | 'month';
  expiry: string;
  models: string;
  ips: string;
}

const emptyDraft: KeyDraft = { name: '', limit: '', period: 'month', expiry: '', models: '', ips: '' };

function toCreateKeyBody(draft: KeyDraft) {
  return {
    name: draft.name,
    expires_at: toExpiry(draft.expiry),
    allowed_models: splitList(draft.models),
    allowed_ips: splitList(draft.ips),
    ...(draft.limit ? { spend_limit_usd: draft.limit.trim(), spend_limit_period: draft.period } : {}),
  };
}

function todayInput(): string {
  const today = new Date();
  return `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
}

/** Spend limit, expiry and allow-lists: everything about a key beyond its name. */
function KeyRuleFields({ draft, set, limitError }: { draft: KeyDraft; set(patch: Partial<KeyDraft>): void; limitError: string | undefined }) {
  const { t } = useTranslation();
  return (
    <>
    <div className="form-row">
      <TextField
        label={t('keys.spendLimit')}
        name="spend-limit"
        inputMode="decimal"
        placeholder={t('keys.noLimit')}
        hint={t('keys.spendLimitHint')}
        error={limitError}
        value={draft.limit}
        onChange={(e) => set({ limit: e.target.value })}
      />
      <SelectField
        label={t('keys.limitPeriod')}
        name="limit-period"
        value={draft.period}
        onChange={(e) => set({ period: e.target.value as KeyDraft['period'] })}
        options={[
          { value: 'month', label: t('keys.period.month') },
          { value: 'day', label: t('keys.period.day') },
          { value: 'total', label: t('keys.period.total') },
        ]}
      />
    </div>
    <TextField label={t('keys.expiry')} name="expiry" type="date" min={todayInput()} hint={t('keys.expiryHint')} value={draft.expiry} onChange={(e) => set({ expiry: e.target.value })} />
    <TextArea label={t('keys.allowedModels')} name="allowed-models" rows={2} hint={t('keys.allowedModelsHint')} value={draft.models} onChange={(e) => set({ models: e.target.value })} />
    <TextArea label={t('keys.allowedIps')} name="allowed-ips" rows={2} hint={t('keys.allowedIpsHint')} value={draft.ips} onChange={(e) => set({ ips: e.target.value })} />
    </>
  );
}

export function CreateKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(key: CreatedApiKeyJson): void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<KeyDraft>(emptyDraft);
  const [error, setError] = useState<unknown>();
  const [limitError, setLimitError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<KeyDraft>) => setDraft((current) => ({ ...current, ...patch }));

  const reset = () => {
    setDraft(emptyDraft);
    setError(undefined);
    setLimitError(undefined);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (draft.limit && !isUsdAmount(draft.limit)) {
      setLimitError(t('keys.limitInvalid'));
      return;
    }
    setLimitError(undefined);
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.post<CreatedApiKeyJson>('/api/dashboard/keys', toCreateKeyBody(draft));
      reset();
      onCreated(created);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('keys.createTitle')}
      onClose={() => {
        reset();
        onClose();
      }}
      wide
    >
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        {error ? <ErrorBox error={error} /> : null}
        <TextField label={t('keys.name')} name="key-name" required maxLength={100} placeholder={t('keys.namePlaceholder')} value={draft.name} onChange={(e) => set({ name: e.target.value })} />
        <KeyRuleFields draft={draft} set={set} limitError={limitError} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.saving') : t('keys.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
