import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ListResponse, PublicModelJson } from '../api/types';
import { useApi } from '../api/use-api';
import { useSession } from '../auth/session';
import { CopyButton } from '../components/copy-button';
import { TextField } from '../components/fields';
import { PageHeader } from '../components/page-header';
import { AsyncContent, Empty } from '../components/states';
import { ModelCard } from './model-card';

const PROVIDER_NAMES: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  'x-ai': 'xAI',
  qwen: 'Qwen',
  'z-ai': 'Z.ai (GLM)',
  minimax: 'MiniMax',
  xiaomi: 'Xiaomi MiMo',
  moonshotai: 'Moonshot AI (Kimi)',
  deepseek: 'DeepSeek',
  bytedance: 'ByteDance (Seedream, Seedance)',
  kling: 'Kling',
  alibaba: 'Alibaba Cloud (Wan)',
};

const ALL = 'all';

export function providerName(vendor: string): string {
  return PROVIDER_NAMES[vendor] ?? vendor;
}

export function ModelsPage() {
  const { t } = useTranslation();
  const { config } = useSession();
  const baseUrl = config?.api_base_url ?? `${window.location.origin}/api/v1`;
  const models = useApi((signal) => api.get<ListResponse<PublicModelJson>>('/api/v1/models', { signal }), []);
  const [query, setQuery] = useState('');
  // Undefined: the first provider; 'all': every provider. A search always looks through every provider.
  const [provider, setProvider] = useState<string>();

  const groups = useMemo(() => {
    const byVendor = new Map<string, PublicModelJson[]>();
    for (const model of models.data?.data ?? []) {
      const list = byVendor.get(model.owned_by) ?? [];
      list.push(model);
      byVendor.set(model.owned_by, list);
    }
    return [...byVendor.entries()];
  }, [models.data]);

  const needle = query.trim().toLowerCase();
  const shown = needle || provider === ALL ? undefined : (provider ?? groups[0]?.[0]);
  const visible = groups
    .filter(([vendor]) => !shown || vendor === shown)
    .map(([vendor, list]) => [vendor, list.filter((m) => !needle || m.id.toLowerCase().includes(needle) || m.name.toLowerCase().includes(needle))] as const)
    .filter(([, list]) => list.length > 0);

  return (
    <section>
      <PageHeader title={t('models.title')} description={t('models.description')} />
      <div className="card base-url">
        <span>{t('models.baseUrl')}</span>
        <code data-testid="base-url">{baseUrl}</code>
        <CopyButton text={baseUrl} />
      </div>
      <AsyncContent state={models}>
        {() =>
          groups.length === 0 ? (
            <Empty title={t('models.empty')} />
          ) : (
            <>
              <h2 className="section-title">{t('models.providers')}</h2>
              <ul className="provider-grid">
                {groups.map(([vendor, list]) => (
                  <li key={vendor}>
                    <button
                      type="button"
                      className={`card provider-card ${shown === vendor ? 'selected' : ''}`}
                      aria-pressed={shown === vendor}
                      onClick={() => setProvider(vendor)}
                    >
                      <span className="provider-name">{providerName(vendor)}</span>
                      <span className="provider-count">{t('models.modelCount', { count: list.length })}</span>
                      <span className="provider-description">{t(`providers.${vendor}`, { defaultValue: t('providers.other') })}</span>
                    </button>
                  </li>
                ))}
              </ul>
              <div className="models-toolbar">
                <TextField label={t('models.search')} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="gpt, claude, qwen…" />
                {provider !== ALL ? (
                  <button type="button" className="btn btn-ghost" onClick={() => setProvider(ALL)}>
                    {t('models.allProviders')}
                  </button>
                ) : null}
              </div>
              {visible.length === 0 ? <Empty title={t('models.noMatch')} /> : null}
              {visible.map(([vendor, list]) => (
                <section key={vendor} className="model-group" aria-labelledby={`group-${vendor}`}>
                  <h2 id={`group-${vendor}`}>{providerName(vendor)}</h2>
                  <div className="model-grid">
                    {list.map((model) => (
                      <ModelCard key={model.id} model={model} baseUrl={baseUrl} />
                    ))}
                  </div>
                </section>
              ))}
            </>
          )
        }
      </AsyncContent>
    </section>
  );
}
