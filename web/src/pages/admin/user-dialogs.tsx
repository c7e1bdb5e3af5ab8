/** The admin's per-user dialogs: adjust credit with a reason, and change role, group or status. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AdminUserJson, GroupJson } from '../../api/types';
import { SelectField, TextField } from '../../components/fields';
import { Modal } from '../../components/modal';
import { ErrorBox } from '../../components/states';
import { isUsdAmount } from '../../lib/format';

export function AdjustCreditDialog({ user, onClose, onDone }: { user: AdminUserJson | undefined; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const [type, setType] = useState<'grant' | 'deduct'>('grant');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!user) return;
    if (!isUsdAmount(amount) || Number(amount) <= 0) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/api/admin/billing/users/${encodeURIComponent(user.id)}/adjustments`, { type, amount: amount.trim(), reason: reason.trim() });
      setAmount('');
      setReason('');
      onDone();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={user !== undefined} title={t('admin.users.adjustTitle', { email: user?.email ?? '' })} onClose={onClose}>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        {error ? <ErrorBox error={error} /> : null}
        <SelectField
          label={t('admin.users.adjustType')}
          value={type}
          onChange={(e) => setType(e.target.value as 'grant' | 'deduct')}
          options={[
            { value: 'grant', label: t('admin.users.grant') },
            { value: 'deduct', label: t('admin.users.deduct') },
          ]}
        />
        <TextField label={t('admin.users.amount')} inputMode="decimal" required value={amount} error={invalid ? t('keys.limitInvalid') : undefined} onChange={(e) => setAmount(e.target.value)} />
        <TextField label={t('admin.users.reason')} required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || !reason.trim()}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function EditUserDialog({ user, groups, onClose, onDone }: { user: AdminUserJson | undefined; groups: GroupJson[]; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const [role, setRole] = useState<string>();
  const [group, setGroup] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const currentRole = role ?? user?.role ?? 'user';
  const currentGroup = group ?? user?.group ?? 'default';
  const groupIds = [...new Set(['default', ...groups.map((g) => g.id), currentGroup])];

  const close = () => {
    setRole(undefined);
    setGroup(undefined);
    setError(undefined);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!user) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.patch(`/api/admin/users/${encodeURIComponent(user.id)}`, { role: currentRole, group: currentGroup });
      setRole(undefined);
      setGroup(undefined);
      onDone();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={user !== undefined} title={t('admin.users.editTitle', { email: user?.email ?? '' })} onClose={close}>
      <form className="form" onSubmit={(event) => void submit(event)}>
        {error ? <ErrorBox error={error} /> : null}
        <SelectField
          label={t('settings.role')}
          value={currentRole}
          onChange={(e) => setRole(e.target.value)}
          options={[
            { value: 'user', label: t('settings.roles.user') },
            { value: 'admin', label: t('settings.roles.admin') },
          ]}
        />
        <SelectField
          label={t('settings.group')}
          value={currentGroup}
          onChange={(e) => setGroup(e.target.value)}
          options={groupIds.map((id) => ({ value: id, label: groups.find((g) => g.id === id) ? `${id} (×${groups.find((g) => g.id === id)?.multiplier})` : id }))}
        />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
