/**
 * The user's video callback signing secret: hidden until asked for, copyable, and rotatable (with a second
 * click to confirm, since receivers still holding the old secret stop verifying at once).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useApi } from '../api/use-api';
import { CopyButton } from '../components/copy-button';
import { AsyncContent, ErrorBox } from '../components/states';

export const CALLBACK_SECRET_PATH = '/api/dashboard/callback-secret';

interface CallbackSecretJson {
  secret: string;
  created_at: number;
}

export function CallbackSecretCard() {
  const { t } = useTranslation();
  const secret = useApi((signal) => api.get<CallbackSecretJson>(CALLBACK_SECRET_PATH, { signal }), []);
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const rotate = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post<CallbackSecretJson>(`${CALLBACK_SECRET_PATH}/rotate`);
      setConfirming(false);
      setShown(true);
      secret.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="callback-secret-title" data-testid="callback-secret">
      <h2 id="callback-secret-title">{t('videos.callbackSecret.title')}</h2>
      <p className="muted">{t('videos.callbackSecret.description')}</p>
      {error ? <ErrorBox error={error} /> : null}
      <AsyncContent state={secret}>
        {(current) => (
          <div className="callback-secret">
            <code className="mono" data-testid="callback-secret-value">
              {shown ? current.secret : `whsec_${'•'.repeat(16)}`}
            </code>
            <button type="button" className="btn btn-small" aria-pressed={shown} onClick={() => setShown((v) => !v)}>
              {shown ? t('videos.callbackSecret.hide') : t('videos.callbackSecret.show')}
            </button>
            <CopyButton text={current.secret} />
            {confirming ? (
              <>
                <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => void rotate()}>
                  {t('videos.callbackSecret.confirmRotate')}
                </button>
                <button type="button" className="btn btn-small" disabled={busy} onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </button>
              </>
            ) : (
              <button type="button" className="btn btn-small" onClick={() => setConfirming(true)}>
                {t('videos.callbackSecret.rotate')}
              </button>
            )}
          </div>
        )}
      </AsyncContent>
      {confirming ? <p className="muted">{t('videos.callbackSecret.rotateWarning')}</p> : null}
    </section>
  );
}
