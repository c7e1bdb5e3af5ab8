import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useSession } from '../auth/session';
import { TextField } from '../components/fields';
import { ErrorBox, Notice } from '../components/states';
import { AuthFrame } from './auth-frame';

const MIN_PASSWORD = 8;

export function SignupPage() {
  const { t } = useTranslation();
  const { signup, config } = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [invite, setInvite] = useState('');
  const [error, setError] = useState<unknown>();
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);
  const mode = config?.signup_mode ?? 'open';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    setError(undefined);
    try {
      await signup(email, password, mode === 'invite' ? invite : undefined);
      navigate('/', { replace: true });
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  if (mode === 'closed') {
    return (
      <AuthFrame title={t('auth.signupTitle')}>
        <Notice kind="info">{t('auth.signupClosed')}</Notice>
        <p className="auth-switch">
          <Link to="/login">{t('auth.backToLogin')}</Link>
        </p>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title={t('auth.signupTitle')}>
      <form onSubmit={(event) => void submit(event)} className="form" noValidate>
        {error ? <ErrorBox error={error} /> : null}
        <TextField label={t('auth.email')} type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField
          label={t('auth.password')}
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          hint={t('auth.passwordHint', { count: MIN_PASSWORD })}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <TextField
          label={t('auth.confirmPassword')}
          type="password"
          name="confirm-password"
          autoComplete="new-password"
          required
          error={mismatch ? t('auth.passwordMismatch') : undefined}
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
        {mode === 'invite' ? (
          <TextField label={t('auth.inviteCode')} name="invite" required hint={t('auth.inviteHint')} value={invite} onChange={(e) => setInvite(e.target.value)} />
        ) : null}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('auth.signingUp') : t('auth.signup')}
        </button>
      </form>
      <p className="auth-switch">
        {t('auth.haveAccount')} <Link to="/login">{t('auth.login')}</Link>
      </p>
    </AuthFrame>
  );
}
