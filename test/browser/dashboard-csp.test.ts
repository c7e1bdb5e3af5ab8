/**
 * The built dashboard runs under its Content-Security-Policy: an admin logs in and opens every page in Chromium,
 * and the browser reports no CSP violation (a blocked script, style, image or request would be one).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { buildDashboard, launchChromium, openPage } from './browser-harness.js';

const PAGES = [
  '/',
  '/keys',
  '/usage',
  '/billing',
  '/models',
  '/playground',
  '/videos',
  '/settings',
  '/admin/users',
  '/admin/channels',
  '/admin/models',
  '/admin/groups',
  '/admin/codes',
  '/admin/totals',
];

// Page-side code is passed as text: this project's TypeScript has no DOM types.
const COLLECT_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
  });
`;

describe('dashboard under its Content-Security-Policy', { timeout: 180_000 }, () => {
  let gw: TestGateway;
  let browser: Browser;
  let page: Page;
  const consoleViolations: string[] = [];

  beforeAll(async () => {
    await buildDashboard();
    gw = await startTestGateway({ providers: ['deepseek', 'openai'] });
    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
    await context.addInitScript(COLLECT_VIOLATIONS);
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) consoleViolations.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it('logs in and renders every page with no violation', async () => {
    const response = await page.goto(`${gw.url}/login`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.getByLabel('Email').fill(gw.gateway.firstStart!.email);
    await page.getByLabel('Password').fill(gw.gateway.firstStart!.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const seen: Array<{ path: string; violations: string[] }> = [];
    for (const path of PAGES) {
      await openPage(page, `${gw.url}${path}`);
      seen.push({ path, violations: (await page.evaluate('window.__cspViolations')) as string[] });
    }
    expect(seen.filter((s) => s.violations.length > 0)).toEqual([]);
    expect(consoleViolations).toEqual([]);
  });
});
