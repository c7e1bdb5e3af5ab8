/** Previous / next paging over the API's opaque cursors: a stack of the cursors that led to the current page. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface CursorStack {
  /** The cursor of the page shown; undefined on the first page. */
  cursor: string | undefined;
  depth: number;
  next(cursor: string): void;
  previous(): void;
  reset(): void;
}

export function useCursorStack(): CursorStack {
  const [stack, setStack] = useState<string[]>([]);
  return {
    cursor: stack.at(-1),
    depth: stack.length,
    next: useCallback((cursor: string) => setStack((list) => [...list, cursor]), []),
    previous: useCallback(() => setStack((list) => list.slice(0, -1)), []),
    reset: useCallback(() => setStack([]), []),
  };
}

export function CursorPager({ pages, nextCursor, label }: { pages: CursorStack; nextCursor: string | null | undefined; label: string }) {
  const { t } = useTranslation();
  if (pages.depth === 0 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="btn" disabled={pages.depth === 0} onClick={pages.previous}>
        {t('common.previous')}
      </button>
      <button type="button" className="btn" disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
        {t('common.next')}
      </button>
    </nav>
  );
}
