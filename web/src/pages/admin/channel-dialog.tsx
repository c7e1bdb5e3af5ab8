/** Add or edit an upstream channel. Keys are write-only: an edit leaves them unchanged unless a new one is typed. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AdminChannelJson } from '../../api/types';
import { CheckboxField, SelectField, TextArea, TextField } from '../../components/fields';
import { Modal } from '../../components/modal';
import { ErrorBox } from '../../components/states';

export interface ProviderJson {
  id: string;
  name: string;
  default_base_url: string;
  credentials: 'api-key' | 'access-secret';
}

interface Draft {
  provider: string;
  name: string;
  baseUrl: string;
  apiKey: string;
  secretKey: string;
  models: string;
  weight: string;
  priority: string;
  enabled: boolean;
}

function toDraft(channel: AdminChannelJson | undefined, providers: ProviderJson[]): Draft {
  return {
    provider: channel?.provider ?? providers[0]?.id ?? '',
    name: channel?.name ?? '',
    baseUrl: channel?.base_url ?? '',
    apiKey: '',
    secretKey: '',
    models: channel?.models.join('\n') ?? '',
    weight: String(channel?.weight ?? 1),
    priority: String(channel?.priority ?? 0),
    enabled: channel?.enabled ?? true,
  };
}

function toBody(draft: Draft, editing: boolean) {
  const models = draft.models.split(/[\s,]+/).filter(Boolean);
  const body: Record<string, unknown> = {
    name: draft.name.trim(),
    weight: Number(draft.weight),
    priority: Number(draft.priority),
    enabled: draft.enabled,
  };
  if (!editing) body.provider = draft.provider;
  if (draft.baseUrl.trim()) body.base_url = draft.baseUrl.trim();
  if (draft.apiKey) body.api_key = draft.apiKey;
  if (draft.secretKey) body.secret_key = draft.secretKey;
  if (models.length > 0 || editing) body.models = models;
  return body;
}

export function ChannelDialog({
  open,
  channel,
  providers,
  onClose,
  onSaved,
}: {
  open: boolean;
  channel: AdminChannelJson | undefined;
  providers: ProviderJson[];
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() => toDraft(channel, providers));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const editing = channel !== undefined;
  const provider = providers.find((p) => p.id === draft.provider);

  useEffect(() => {
    if (open) {
      setDraft(toDraft(channel, providers));
      setError(undefined);
    }
  }, [open, channel, providers]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = toBody(draft, editing);
      if (editing) await api.patch(`/api/admin/channels/${encodeURIComponent(channel.id)}`, body);
      else await api.post('/api/admin/channels', body);
      onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));

  return (
    <Modal open={open} title={editing ? t('admin.channels.editTitle') : t('admin.channels.addTitle')} onClose={onClose} wide>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        {error ? <ErrorBox error={error} /> : null}
        <div className="form-row">
          <SelectField
            label={t('admin.channels.provider')}
            value={draft.provider}
            disabled={editing}
            onChange={(e) => set({ provider: e.target.value })}
            options={providers.map((p) => ({ value: p.id, label: p.name }))}
          />
          <TextField label={t('admin.channels.name')} required value={draft.name} onChange={(e) => set({ name: e.target.value })} />
        </div>
        <TextField label={t('admin.channels.baseUrl')} type="url" placeholder={provider?.default_base_url} hint={t('admin.channels.baseUrlHint')} value={draft.baseUrl} onChange={(e) => set({ baseUrl: e.target.value })} />
        <TextField
          label={provider?.credentials === 'access-secret' ? t('admin.channels.accessKey') : t('admin.channels.apiKey')}
          type="password"
          autoComplete="off"
          required={!editing}
          hint={editing ? t('admin.channels.keyKeep', { hint: channel?.api_key_hint ?? '' }) : t('admin.channels.keyWriteOnly')}
          value={draft.apiKey}
          onChange={(e) => set({ apiKey: e.target.value })}
        />
        {provider?.credentials === 'access-secret' ? (
          <TextField label={t('admin.channels.secretKey')} type="password" autoComplete="off" required={!editing} value={draft.secretKey} onChange={(e) => set({ secretKey: e.target.value })} />
        ) : null}
        <TextArea label={t('admin.channels.models')} rows={3} hint={t('admin.channels.modelsHint')} value={draft.models} onChange={(e) => set({ models: e.target.value })} />
        <div className="form-row">
          <TextField label={t('admin.channels.weight')} type="number" min={1} step={1} value={draft.weight} onChange={(e) => set({ weight: e.target.value })} />
          <TextField label={t('admin.channels.priority')} type="number" step={1} hint={t('admin.channels.priorityHint')} value={draft.priority} onChange={(e) => set({ priority: e.target.value })} />
        </div>
        <CheckboxField label={t('admin.channels.enabled')} checked={draft.enabled} onChange={(enabled) => set({ enabled })} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
