import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { ListResponse } from '../api/types';
import { useApi } from '../api/use-api';
import { PageHeader } from '../components/page-header';
import { AsyncContent, Empty } from '../components/states';
import { formatDateTime, formatUsd } from '../lib/format';
import { useLocale } from '../lib/use-locale';
import { toVideoTaskView, type VideoTaskView } from '../lib/video-task';
import { CallbackSecretCard } from './callback-secret-card';
import { VideoStatus } from './playground/video-playground';

export const VIDEO_TASKS_PATH = '/api/dashboard/videos';

function TaskRow({ task }: { task: VideoTaskView }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  return (
    <li className="card video-row" data-testid="video-row">
      <div className="video-row-head">
        <div>
          <p className="mono">{task.model ?? '—'}</p>
          <p className="muted">{formatDateTime(task.createdAt, locale)}</p>
        </div>
        <VideoStatus task={task} />
        <span className="num">{task.costUsd ? formatUsd(task.costUsd, locale, 'cost') : '—'}</span>
        {task.videoUrl ? (
          <button type="button" className="btn btn-small" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
            {open ? t('videos.hide') : t('videos.preview')}
          </button>
        ) : null}
      </div>
      {task.prompt ? <p className="video-prompt">{task.prompt}</p> : null}
      {task.error ? <p className="field-error">{task.error}</p> : null}
      {open && task.videoUrl ? <video src={task.videoUrl} controls playsInline className="video-player" /> : null}
    </li>
  );
}

export function VideosPage() {
  const { t } = useTranslation();
  const tasks = useApi((signal) => api.get<ListResponse<unknown>>(VIDEO_TASKS_PATH, { signal }), []);
  return (
    <section>
      <PageHeader
        title={t('videos.title')}
        description={t('videos.description')}
        actions={
          <button type="button" className="btn" onClick={tasks.reload}>
            {t('common.refresh')}
          </button>
        }
      />
      <CallbackSecretCard />
      <AsyncContent state={tasks}>
        {(list) =>
          list.data.length === 0 ? (
            <Empty title={t('videos.empty')}>
              <Link to="/playground" className="btn btn-primary">
                {t('videos.tryPlayground')}
              </Link>
            </Empty>
          ) : (
            <ul className="video-list">
              {list.data.map(toVideoTaskView).map((task) => (
                <TaskRow key={task.id} task={task} />
              ))}
            </ul>
          )
        }
      </AsyncContent>
    </section>
  );
}
