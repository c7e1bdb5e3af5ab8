import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicModelJson } from '../api/types';
import { CopyButton } from '../components/copy-button';
import { Tabs } from '../components/tabs';
import { buildCodeExample, exampleLanguagesFor, type ExampleLanguage } from '../lib/code-examples';
import { formatCompact, formatUsd } from '../lib/format';
import { useLocale } from '../lib/use-locale';

const LANGUAGE_LABELS: Record<ExampleLanguage, string> = {
  curl: 'cURL',
  python: 'Python',
  javascript: 'JavaScript / TypeScript',
  'claude-code': 'Claude Code',
  codex: 'Codex CLI',
};

export function modelModality(model: PublicModelJson): 'chat' | 'image' | 'video' {
  const outputs = model.architecture.output_modalities;
  if (outputs.includes('video')) return 'video';
  if (outputs.includes('image')) return 'image';
  return 'chat';
}

function capabilityKeys(model: PublicModelJson): string[] {
  const params = new Set(model.supported_parameters);
  const keys: string[] = [];
  if (model.architecture.input_modalities.includes('image')) keys.push('vision');
  if (params.has('tools')) keys.push('tools');
  if (params.has('response_format')) keys.push('json');
  if (params.has('reasoning')) keys.push('reasoning');
  if (params.has('stream')) keys.push('streaming');
  if (modelModality(model) === 'image') keys.push('imageOutput');
  if (modelModality(model) === 'video') keys.push('videoOutput');
  return keys;
}

function PriceList({ model }: { model: PublicModelJson }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const pricing = model.pricing_detail;
  if (pricing.kind === 'tokens') {
    return (
      <dl className="price-list">
        <div>
          <dt>{t('models.inputPrice')}</dt>
          <dd>{t('models.perMTok', { price: formatUsd(pricing.inputPerMTok, locale, 'price') })}</dd>
        </div>
        {pricing.cachedInputPerMTok ? (
          <div>
            <dt>{t('models.cachedPrice')}</dt>
            <dd>{t('models.perMTok', { price: formatUsd(pricing.cachedInputPerMTok, locale, 'price') })}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('models.outputPrice')}</dt>
          <dd>{t('models.perMTok', { price: formatUsd(pricing.outputPerMTok, locale, 'price') })}</dd>
        </div>
      </dl>
    );
  }
  if (pricing.kind === 'image') {
    return (
      <dl className="price-list">
        <div>
          <dt>{t('models.imagePrice')}</dt>
          <dd>{t('models.perImage', { price: formatUsd(pricing.perImage, locale, 'price') })}</dd>
        </div>
      </dl>
    );
  }
  return (
    <dl className="price-list">
      {pricing.perSecond.map((rule) => (
        <div key={`${rule.mode ?? ''}-${rule.resolution ?? ''}`}>
          <dt>{[rule.resolution, rule.mode].filter(Boolean).join(' · ') || t('models.videoPrice')}</dt>
          <dd>{t('models.perSecond', { price: formatUsd(rule.usd, locale, 'price') })}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ModelCard({ model, baseUrl }: { model: PublicModelJson; baseUrl: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [language, setLanguage] = useState<ExampleLanguage>('curl');
  const modality = modelModality(model);
  const example = buildCodeExample(language, baseUrl, {
    id: model.id,
    modality,
    imageSize: model.image_options?.defaultSize,
    videoDuration: model.video_options?.defaultDuration,
    videoResolution: model.video_options?.defaultResolution,
  });

  return (
    <article className="card model-card" aria-labelledby={`model-${model.id}`} data-testid="model-card">
      <header className="model-card-header">
        <div>
          <h3 id={`model-${model.id}`}>{model.name}</h3>
          <p className="mono muted model-id">
            {model.id} <CopyButton text={model.id} label={t('models.copyId')} className="btn-inline" />
          </p>
        </div>
        <span className="badge badge-muted">{t(`models.modality.${modality}`)}</span>
      </header>
      <p>{model.description}</p>
      <ul className="chip-list" aria-label={t('models.capabilities')}>
        {model.context_length ? <li className="chip">{t('models.context', { tokens: formatCompact(model.context_length, locale) })}</li> : null}
        {capabilityKeys(model).map((key) => (
          <li key={key} className="chip">
            {t(`models.capability.${key}`)}
          </li>
        ))}
      </ul>
      <PriceList model={model} />
      <details className="examples">
        <summary>{t('models.examples')}</summary>
        <Tabs<ExampleLanguage> items={exampleLanguagesFor(modality).map((key) => ({ key, label: LANGUAGE_LABELS[key] }))} selected={language} onSelect={setLanguage} label={t('models.examples')}>
          <div className="code-block">
            <CopyButton text={example} className="code-copy" />
            <pre>
              <code>{example}</code>
            </pre>
          </div>
        </Tabs>
      </details>
    </article>
  );
}
