/**
 * i18next with the two complete catalogs bundled. The language is the one the user picked (remembered in
 * localStorage), else the browser's first Vietnamese or English preference, else English.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import vi from './vi.json';
import { detectLanguage, type Language } from './detect-language';

export { LANGUAGES, type Language } from './detect-language';

const STORAGE_KEY = 'tokenhub.language';

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch (error) {
    // Storage can be disabled (private mode, policies); the browser's preference is then the answer.
    console.warn('language preference unavailable', error);
    return null;
  }
}

export function changeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch (error) {
    console.warn('language preference not saved', error);
  }
  void i18next.changeLanguage(language);
}

/** BCP 47 tag for Intl formatting. */
export function localeOf(language: string): string {
  return language === 'vi' ? 'vi-VN' : 'en-US';
}

export function initI18n(): typeof i18next {
  const language = detectLanguage(readStoredLanguage(), navigator.languages ?? [navigator.language]);
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, vi: { translation: vi } },
    lng: language,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  return i18next;
}
