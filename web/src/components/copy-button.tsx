import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Copies `text`; says "Copied" for a moment, and says so to screen readers too. */
export function CopyButton({ text, label, className }: { text: string; label?: string; className?: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch (error) {
      // Clipboard access needs a secure context or a permission; the text stays selectable on the page.
      console.warn('copy failed', error);
      setState('failed');
    }
  };

  return (
    <button type="button" className={`btn btn-small ${className ?? ''}`} onClick={() => void copy()}>
      <span aria-live="polite">{state === 'copied' ? t('common.copied') : state === 'failed' ? t('common.copyFailed') : (label ?? t('common.copy'))}</span>
    </button>
  );
}
