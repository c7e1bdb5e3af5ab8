import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ListResponse, PublicModelJson } from '../../api/types';
import { useApi } from '../../api/use-api';
import { PageHeader } from '../../components/page-header';
import { AsyncContent } from '../../components/states';
import { Tabs } from '../../components/tabs';
import { modelModality } from '../model-card';
import { ChatPlayground } from './chat-playground';
import { ImagePlayground } from './image-playground';
import { KeyPicker, readPlaygroundKey } from './key-picker';
import { VideoPlayground } from './video-playground';

type Mode = 'chat' | 'image' | 'video';

export function PlaygroundPage() {
  const { t } = useTranslation();
  const [apiKey, setApiKey] = useState(readPlaygroundKey);
  const [mode, setMode] = useState<Mode>('chat');
  const models = useApi((signal) => api.get<ListResponse<PublicModelJson>>('/api/v1/models', { signal }), []);

  return (
    <section>
      <PageHeader title={t('playground.title')} description={t('playground.description')} />
      <KeyPicker apiKey={apiKey} onChange={setApiKey} />
      <AsyncContent state={models}>
        {(list) => {
          const of = (modality: Mode) => list.data.filter((model) => modelModality(model) === modality);
          return (
            <div className="card">
              <Tabs<Mode>
                label={t('playground.modes')}
                selected={mode}
                onSelect={setMode}
                items={[
                  { key: 'chat', label: t('playground.chat') },
                  { key: 'image', label: t('playground.image') },
                  { key: 'video', label: t('playground.video') },
                ]}
              >
                {mode === 'chat' ? <ChatPlayground apiKey={apiKey} models={of('chat')} /> : null}
                {mode === 'image' ? <ImagePlayground apiKey={apiKey} models={of('image')} /> : null}
                {mode === 'video' ? <VideoPlayground apiKey={apiKey} models={of('video')} /> : null}
              </Tabs>
            </div>
          );
        }}
      </AsyncContent>
    </section>
  );
}
