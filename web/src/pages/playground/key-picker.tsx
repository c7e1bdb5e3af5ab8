/**
 * Which of the user's keys the playground calls with. Keys are shown once, so the user pastes one or lets the
 * page make a "Playground" key; it is kept in this tab's sessionStorage only, never sent to the dashboard API.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { CreatedApiKeyJson } from '../../api/types';
import { TextField } from '../../components/fields';
import { ErrorBox } from '../../components/states';

const STORAGE_KEY = 'tokenhub.playgroundKey';

export function readPlaygroundKey(): string {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch (error) {
    console.warn('session storage unavailable', error);
    return '';
  }
}

function savePlaygroundKey(key: string): void {
  try {
    if (key) window.sessionStorage.setItem(STORAGE_KEY, key);
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch (error) {
    console.warn('playground key not kept for this tab', error);
  }
}

export function KeyPicker({ apiKey, onChange }: { apiKey: string; onChange(key: string): void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const update = (key: string) => {
    savePlaygroundKey(key);
    onChange(key);
  };

  const createKey = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.post<CreatedApiKeyJson>('/api/dashboard/keys', { name: t('playground.keyName') });
      update(created.key);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card key-picker" aria-labelledby="key-picker-title">
      <h2 id="key-picker-title">{t('playground.keyTitle')}</h2>
      {error ? <ErrorBox error={error} /> : null}
      <div className="key-picker-row">
        <TextField
          label={t('playground.keyLabel')}
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="th-…"
          hint={t('playground.keyHint')}
          value={apiKey}
          onChange={(e) => update(e.target.value.trim())}
        />
        <button type="button" className="btn" onClick={() => void createKey()} disabled={busy}>
          {t('playground.createKey')}
        </button>
      </div>
    </section>
  );
}
