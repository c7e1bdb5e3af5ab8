import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { publicJson } from '../../api/public-api';
import type { PublicModelJson } from '../../api/types';
import { SelectField, TextArea } from '../../components/fields';
import { ErrorBox } from '../../components/states';
import { formatUsd } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';
import { isTerminal, toVideoTaskView, type VideoTaskView } from '../../lib/video-task';
import { usePlaygroundCall } from './use-playground-call';

const POLL_MS = 3000;

export function VideoStatus({ task }: { task: VideoTaskView }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${task.status === 'succeeded' ? 'ok' : task.status === 'failed' ? 'error' : 'warn'}`}>{t(`videos.status.${task.status}`)}</span>;
}

export function VideoPlayground({ apiKey, models }: { apiKey: string; models: PublicModelJson[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [model, setModel] = useState(models[0]?.id ?? '');
  const selected = models.find((m) => m.id === model);
  const [duration, setDuration] = useState('');
  const [resolution, setResolution] = useState('');
  const [prompt, setPrompt] = useState('');
  const [task, setTask] = useState<VideoTaskView>();
  const { busy, error, setError, run } = usePlaygroundCall(apiKey);
  const options = selected?.video_options;
  const chosenDuration = duration || String(options?.defaultDuration ?? '');
  const chosenResolution = resolution || (options?.defaultResolution ?? '');

  useEffect(() => {
    if (!task || isTerminal(task.status) || !apiKey) return;
    const timer = window.setTimeout(() => {
      publicJson<unknown>(apiKey, `/videos/generations/${encodeURIComponent(task.id)}`).then(
        (raw) => setTask(toVideoTaskView(raw)),
        (caught: unknown) => setError(caught),
      );
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [task, apiKey]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async (key) => {
      setTask(undefined);
      const body = { model, prompt, ...(chosenDuration ? { duration: Number(chosenDuration) } : {}), ...(chosenResolution ? { resolution: chosenResolution } : {}) };
      setTask(toVideoTaskView(await publicJson<unknown>(key, '/videos/generations', { body })));
    });
  };

  if (models.length === 0) return <p className="muted">{t('playground.noModels')}</p>;
  return (
    <div className="playground-panel">
      <form className="form" onSubmit={submit}>
        <div className="form-row">
          <SelectField label={t('playground.model')} value={model} onChange={(e) => setModel(e.target.value)} options={models.map((m) => ({ value: m.id, label: m.id }))} />
          {options ? (
            <>
              <SelectField label={t('playground.duration')} value={chosenDuration} onChange={(e) => setDuration(e.target.value)} options={options.durations.map((d) => ({ value: String(d), label: t('playground.seconds', { count: d }) }))} />
              <SelectField label={t('playground.resolution')} value={chosenResolution} onChange={(e) => setResolution(e.target.value)} options={options.resolutions.map((r) => ({ value: r, label: r }))} />
            </>
          ) : null}
        </div>
        <TextArea label={t('playground.prompt')} rows={3} required value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder={t('playground.videoPlaceholder')} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || !prompt.trim() || (task !== undefined && !isTerminal(task.status))}>
            {t('playground.submitVideo')}
          </button>
        </div>
      </form>
      {error ? <ErrorBox error={error} /> : null}
      {task ? (
        <div className="card video-task" aria-live="polite" data-testid="video-task">
          <p>
            {t('videos.task')} <span className="mono">{task.id}</span> <VideoStatus task={task} />
            {task.costUsd ? <span className="muted"> · {formatUsd(task.costUsd, locale, 'cost')}</span> : null}
          </p>
          {!isTerminal(task.status) ? <p className="muted">{t('playground.videoWaiting')}</p> : null}
          {task.error ? <p className="field-error">{task.error}</p> : null}
          {task.videoUrl ? <video src={task.videoUrl} controls autoPlay muted playsInline className="video-player" data-testid="video-player" /> : null}
        </div>
      ) : null}
    </div>
  );
}
