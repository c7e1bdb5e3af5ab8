/**
 * Debian's Chromium driven by playwright-core (no browser download), plus the screenshot and page-readiness
 * helpers the dashboard browser tests share. Screenshots land in test-output/screenshots/<language>/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const CHROMIUM_PATH = process.env.TOKENHUB_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output/screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install it with scripts/ensure-chromium.sh (apt-get install -y chromium).`);
  }
  // playwright-core gives each launch a fresh temporary profile (its own --user-data-dir).
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Builds web/dist from the current sources, so the browser always tests the code in the tree. */
export async function buildDashboard(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(REPO_ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
}

/** Opens a dashboard page and waits until it has rendered its heading and loaded its data. */
export async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('h1').first().waitFor();
  await waitForIdle(page);
  const alerts = page.getByRole('alert');
  if ((await alerts.count()) > 0 && (await page.locator('.auth-card').count()) > 0) {
    // The app itself failed to start (config or session could not load): say what it showed.
    throw new Error(`The dashboard did not start at ${url}: ${await alerts.first().textContent()}`);
  }
}

/** Resolves once no loading indicator is left on the page. */
export async function waitForIdle(page: Page): Promise<void> {
  // A locator wait, not waitForFunction: the dashboard's CSP forbids the eval that a text predicate needs.
  await page.locator('.state-loading').first().waitFor({ state: 'detached', timeout: 15_000 });
}

export async function saveScreenshot(page: Page, language: string, name: string): Promise<string> {
  const dir = path.join(SCREENSHOT_DIR, language);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Catalog keys left untranslated show up as the raw key (the dashboard runs i18next without a fallback language). */
export const RAW_KEY_PATTERN = /\b(?:common|nav|auth|overview|keys|usage|billing|models|providers|playground|videos|settings|admin|errors|notFound)\.[a-zA-Z_]+(?:\.[a-zA-Z_]+)*\b/g;

export async function findRawKeys(page: Page): Promise<string[]> {
  const text = await page.evaluate<string>('document.body.innerText');
  return [...new Set(text.match(RAW_KEY_PATTERN) ?? [])];
}

/** Elements that stick out past the right edge of the viewport (what makes a phone page scroll sideways). */
export async function findOverflowing(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const found = [];
    for (const element of document.querySelectorAll('body *')) {
      const rect = element.getBoundingClientRect();
      const clipped = element.closest('.table-wrap, pre, .tab-list, .chart');
      if (rect.width > 0 && rect.right > window.innerWidth + 0.5 && !clipped) {
        found.push(element.tagName.toLowerCase() + '.' + String(element.className) + ' → ' + Math.round(rect.right) + 'px');
      }
    }
    return found.slice(0, 10);
  })()`);
}

/** How far the page scrolls sideways, in CSS pixels (0 when it fits). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

export async function documentLanguage(page: Page): Promise<string> {
  return page.evaluate<string>('document.documentElement.lang');
}
