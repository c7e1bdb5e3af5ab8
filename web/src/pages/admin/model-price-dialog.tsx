/** Edit a model's prices and availability; sent as a JSON merge patch of the fields that changed. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AdminModelJson } from '../../api/types';
import { CheckboxField, TextArea, TextField } from '../../components/fields';
import { Modal } from '../../components/modal';
import { ErrorBox } from '../../components/states';
import { isUsdAmount } from '../../lib/format';

type PriceFields = Record<string, string>;

function priceFieldsOf(model: AdminModelJson): PriceFields {
  const pricing = model.pricing;
  if (pricing.kind === 'tokens') {
    return { inputPerMTok: pricing.inputPerMTok, cachedInputPerMTok: pricing.cachedInputPerMTok ?? '', outputPerMTok: pricing.outputPerMTok };
  }
  if (pricing.kind === 'image') return { perImage: pricing.perImage };
  return { perSecond: JSON.stringify(pricing.perSecond, null, 2) };
}

function toPricingPatch(model: AdminModelJson, fields: PriceFields): Record<string, unknown> {
  if (model.pricing.kind === 'tokens') {
    return {
      inputPerMTok: fields.inputPerMTok?.trim(),
      outputPerMTok: fields.outputPerMTok?.trim(),
      cachedInputPerMTok: fields.cachedInputPerMTok?.trim() ? fields.cachedInputPerMTok.trim() : null,
    };
  }
  if (model.pricing.kind === 'image') return { perImage: fields.perImage?.trim() };
  return { perSecond: JSON.parse(fields.perSecond ?? '[]') as unknown };
}

function invalidField(model: AdminModelJson, fields: PriceFields): string | undefined {
  if (model.pricing.kind === 'video') {
    try {
      JSON.parse(fields.perSecond ?? '');
      return undefined;
    } catch (error) {
      console.warn('per-second prices are not JSON', error);
      return 'perSecond';
    }
  }
  return Object.entries(fields).find(([name, value]) => !(name === 'cachedInputPerMTok' && value.trim() === '') && !isUsdAmount(value))?.[0];
}

export function ModelPriceDialog({ model, onClose, onSaved }: { model: AdminModelJson | undefined; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const [fields, setFields] = useState<PriceFields>({});
  const [enabled, setEnabled] = useState(true);
  const [invalid, setInvalid] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!model) return;
    setFields(priceFieldsOf(model));
    setEnabled(model.enabled);
    setInvalid(undefined);
    setError(undefined);
  }, [model]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!model) return;
    const bad = invalidField(model, fields);
    setInvalid(bad);
    if (bad) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.patch(`/api/admin/models/${model.id}`, { enabled, pricing: toPricingPatch(model, fields) });
      onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (name: string) => (invalid === name ? t('admin.models.priceInvalid') : undefined);

  return (
    <Modal open={model !== undefined} title={t('admin.models.editTitle', { model: model?.id ?? '' })} onClose={onClose}>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        {error ? <ErrorBox error={error} /> : null}
        <CheckboxField label={t('admin.models.enabled')} checked={enabled} onChange={setEnabled} />
        {model?.pricing.kind === 'tokens' ? (
          <>
            <TextField label={t('admin.models.inputPrice')} inputMode="decimal" name="inputPerMTok" value={fields.inputPerMTok ?? ''} error={fieldError('inputPerMTok')} onChange={(e) => setFields({ ...fields, inputPerMTok: e.target.value })} />
            <TextField label={t('admin.models.cachedPrice')} inputMode="decimal" name="cachedInputPerMTok" hint={t('admin.models.cachedHint')} value={fields.cachedInputPerMTok ?? ''} error={fieldError('cachedInputPerMTok')} onChange={(e) => setFields({ ...fields, cachedInputPerMTok: e.target.value })} />
            <TextField label={t('admin.models.outputPrice')} inputMode="decimal" name="outputPerMTok" value={fields.outputPerMTok ?? ''} error={fieldError('outputPerMTok')} onChange={(e) => setFields({ ...fields, outputPerMTok: e.target.value })} />
          </>
        ) : null}
        {model?.pricing.kind === 'image' ? (
          <TextField label={t('admin.models.imagePrice')} inputMode="decimal" name="perImage" value={fields.perImage ?? ''} error={fieldError('perImage')} onChange={(e) => setFields({ ...fields, perImage: e.target.value })} />
        ) : null}
        {model?.pricing.kind === 'video' ? (
          <TextArea label={t('admin.models.videoPrice')} rows={6} className="mono" hint={t('admin.models.videoHint')} value={fields.perSecond ?? ''} error={fieldError('perSecond')} onChange={(e) => setFields({ ...fields, perSecond: e.target.value })} />
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
