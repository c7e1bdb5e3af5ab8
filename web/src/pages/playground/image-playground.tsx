import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { publicJson } from '../../api/public-api';
import type { PublicModelJson } from '../../api/types';
import { SelectField, TextArea } from '../../components/fields';
import { ErrorBox, Loading } from '../../components/states';
import { formatUsd } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { usePlaygroundCall } from './use-playground-call';

interface ImageResponse {
  data: Array<{ url?: string; b64_json?: string; revised_prompt?: string }>;
  usage?: { cost?: number };
}

export function ImagePlayground({ apiKey, models }: { apiKey: string; models: PublicModelJson[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [model, setModel] = useState(models[0]?.id ?? '');
  const selected = models.find((m) => m.id === model);
  const [size, setSize] = useState('');
  const [prompt, setPrompt] = useState('');
  const [images, setImages] = useState<string[]>([]);
  const [cost, setCost] = useState<number>();
  const { busy, error, run } = usePlaygroundCall(apiKey);
  const sizes = selected?.image_options?.sizes ?? [];
  const chosenSize = size && sizes.includes(size) ? size : (selected?.image_options?.defaultSize ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async (key) => {
      setImages([]);
      setCost(undefined);
      const result = await publicJson<ImageResponse>(key, '/images/generations', { body: { model, prompt, n: 1, ...(chosenSize ? { size: chosenSize } : {}) } });
      setCost(result.usage?.cost);
      setImages(result.data.map((image) => image.url ?? (image.b64_json ? `data:image/png;base64,${image.b64_json}` : '')).filter(Boolean));
    });
  };

  if (models.length === 0) return <p className="muted">{t('playground.noModels')}</p>;
  return (
    <div className="playground-panel">
      <form className="form" onSubmit={submit}>
        <div className="form-row">
          <SelectField label={t('playground.model')} value={model} onChange={(e) => setModel(e.target.value)} options={models.map((m) => ({ value: m.id, label: m.id }))} />
          {sizes.length > 0 ? <SelectField label={t('playground.size')} value={chosenSize} onChange={(e) => setSize(e.target.value)} options={sizes.map((s) => ({ value: s, label: s }))} /> : null}
        </div>
        <TextArea label={t('playground.prompt')} rows={3} required value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder={t('playground.imagePlaceholder')} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || !prompt.trim()}>
            {t('playground.generate')}
          </button>
        </div>
      </form>
      {error ? <ErrorBox error={error} /> : null}
      {busy ? <Loading label={t('playground.generating')} /> : null}
      {cost !== undefined ? <p className="chat-meta">{t('playground.imageCost', { cost: formatUsd(cost, locale, 'cost') })}</p> : null}
      <div className="image-results">
        {images.map((src, index) => (
          <img key={index} src={src} alt={t('playground.generatedImage', { prompt })} data-testid="generated-image" />
        ))}
      </div>
    </div>
  );
}
