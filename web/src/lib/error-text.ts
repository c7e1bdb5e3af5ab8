/**
 * An API failure in the user's language: a translation for the field it names when there is one, else for its
 * error code, else a generic sentence. The server's English message is never shown to a Vietnamese reader.
 */
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

export function toErrorText(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    const byParam = error.param ? `errors.param.${error.param.replace(/\[\d+\]/g, '').replace(/\./g, '_')}` : undefined;
    if (byParam && t(byParam, { defaultValue: '' })) return t(byParam);
    const byCode = `errors.code.${error.code}`;
    if (t(byCode, { defaultValue: '' })) return t(byCode);
    return error.status >= 500 ? t('errors.code.internal_error') : t('errors.generic');
  }
  if (error instanceof DOMException && error.name === 'AbortError') return t('errors.aborted');
  return t('errors.generic');
}
