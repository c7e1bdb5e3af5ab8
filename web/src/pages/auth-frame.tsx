import { useEffect, type ReactNode } from 'react';
import { LanguageSwitch } from '../components/language-switch';

/** The visitor pages' frame: a centred card with the brand and the language switch. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · TokenHub`;
  }, [title]);
  return (
    <div className="auth-page">
      <div className="auth-top">
        <LanguageSwitch />
      </div>
      <main className="auth-card" id="main">
        <p className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          TokenHub
        </p>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
