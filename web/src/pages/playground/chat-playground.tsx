import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { publicRequest } from '../../api/public-api';
import type { PublicModelJson } from '../../api/types';
import { SelectField, TextArea } from '../../components/fields';
import { ErrorBox } from '../../components/states';
import { ChatStreamError, readChatStream, type ChatStreamUsage } from '../../lib/chat-stream';
import { formatNumber, formatUsd } from '../../lib/format';
import { useLocale } from '../../lib/use-locale';

interface Turn {
  role: 'user' | 'assistant';
  content: string;
  reasoning?: string;
  usage?: ChatStreamUsage;
  stopped?: boolean;
}

function Message({ turn, streaming }: { turn: Turn; streaming: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <li className={`chat-turn chat-${turn.role}`} data-testid={`chat-${turn.role}`}>
      <p className="chat-role">{turn.role === 'user' ? t('playground.you') : t('playground.assistant')}</p>
      {turn.reasoning ? (
        <details className="reasoning">
          <summary>{t('playground.reasoning')}</summary>
          <p>{turn.reasoning}</p>
        </details>
      ) : null}
      <p className="chat-content">{turn.content || (streaming ? '…' : '')}</p>
      {turn.usage ? (
        <p className="chat-meta" data-testid="chat-usage">
          {t('playground.usage', {
            prompt: formatNumber(turn.usage.prompt_tokens, locale),
            completion: formatNumber(turn.usage.completion_tokens, locale),
            cost: formatUsd(turn.usage.cost ?? 0, locale, 'cost'),
          })}
          {turn.usage.estimated ? ` · ${t('usage.estimatedShort')}` : ''}
        </p>
      ) : null}
      {turn.stopped ? <p className="chat-meta">{t('playground.stopped')}</p> : null}
    </li>
  );
}

interface ChatComposerProps {
  input: string;
  streaming: boolean;
  canClear: boolean;
  onInput(text: string): void;
  onSend(): void;
  onStop(): void;
  onClear(): void;
}

/** The message box: Enter sends (unless an input method is composing), Shift+Enter starts a new line. */
function ChatComposer({ input, streaming, canClear, onInput, onSend, onStop, onClear }: ChatComposerProps) {
  const { t } = useTranslation();
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      onSend();
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onSend();
  };
  return (
    <form className="chat-input" onSubmit={onSubmit}>
      <TextArea label={t('playground.message')} rows={3} value={input} onChange={(e) => onInput(e.target.value)} onKeyDown={onKeyDown} hint={t('playground.enterHint')} />
      <div className="form-actions">
        {streaming ? (
          <button type="button" className="btn" onClick={onStop}>
            {t('playground.stop')}
          </button>
        ) : (
          <button type="button" className="btn btn-ghost" onClick={onClear} disabled={!canClear}>
            {t('playground.clear')}
          </button>
        )}
        <button type="submit" className="btn btn-primary" disabled={streaming || !input.trim()}>
          {t('playground.send')}
        </button>
      </div>
    </form>
  );
}

/** Sends the conversation with `stream: true` and folds every chunk into the last (assistant) turn. */
async function streamReply(apiKey: string, body: { model: string; messages: unknown[] }, signal: AbortSignal, updateLast: (change: (turn: Turn) => Turn) => void) {
  const response = await publicRequest(apiKey, '/chat/completions', { body: { ...body, stream: true, stream_options: { include_usage: true } }, signal });
  if (!response.body) throw new ApiError(502, 'upstream_bad_response', '');
  await readChatStream(response.body, {
    onContent: (delta) => updateLast((turn) => ({ ...turn, content: turn.content + delta })),
    onReasoning: (delta) => updateLast((turn) => ({ ...turn, reasoning: (turn.reasoning ?? '') + delta })),
    onUsage: (usage) => updateLast((turn) => ({ ...turn, usage })),
    onFinish: () => undefined,
  });
}

export function ChatPlayground({ apiKey, models }: { apiKey: string; models: PublicModelJson[] }) {
  const { t } = useTranslation();
  const [model, setModel] = useState(models[0]?.id ?? '');
  const [system, setSystem] = useState('');
  const [input, setInput] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [error, setError] = useState<unknown>();
  const [streaming, setStreaming] = useState(false);
  const abortRef = useRef<AbortController | undefined>(undefined);

  const updateLast = (change: (turn: Turn) => Turn) => setTurns((list) => [...list.slice(0, -1), change(list.at(-1) as Turn)]);

  const send = async () => {
    const text = input.trim();
    if (!text || streaming) return;
    if (!apiKey) {
      setError(new ApiError(401, 'missing_api_key', ''));
      return;
    }
    const history = [...turns.map(({ role, content }) => ({ role, content })), { role: 'user' as const, content: text }];
    setTurns((list) => [...list, { role: 'user', content: text }, { role: 'assistant', content: '' }]);
    setInput('');
    setError(undefined);
    setStreaming(true);
    const controller = new AbortController();
    abortRef.current = controller;
    try {
      const messages = system.trim() ? [{ role: 'system', content: system.trim() }, ...history] : history;
      await streamReply(apiKey, { model, messages }, controller.signal, updateLast);
    } catch (caught) {
      if (caught instanceof DOMException && caught.name === 'AbortError') updateLast((turn) => ({ ...turn, stopped: true }));
      else setError(caught instanceof ChatStreamError ? new ApiError(502, caught.code, caught.message) : caught);
    } finally {
      setStreaming(false);
      abortRef.current = undefined;
    }
  };

  return (
    <div className="playground-panel">
      <div className="form-row">
        <SelectField label={t('playground.model')} value={model} onChange={(e) => setModel(e.target.value)} options={models.map((m) => ({ value: m.id, label: m.id }))} />
        <TextArea label={t('playground.system')} rows={1} value={system} onChange={(e) => setSystem(e.target.value)} placeholder={t('playground.systemPlaceholder')} />
      </div>
      <ol className="chat-log" aria-live="polite" aria-label={t('playground.conversation')}>
        {turns.length === 0 ? <li className="muted chat-empty">{t('playground.chatEmpty')}</li> : null}
        {turns.map((turn, index) => (
          <Message key={index} turn={turn} streaming={streaming && index === turns.length - 1} />
        ))}
      </ol>
      {error ? <ErrorBox error={error} /> : null}
      <ChatComposer
        input={input}
        streaming={streaming}
        canClear={turns.length > 0}
        onInput={setInput}
        onSend={() => void send()}
        onStop={() => abortRef.current?.abort()}
        onClear={() => setTurns([])}
      />
    </div>
  );
}
