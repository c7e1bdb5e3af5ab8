/**
 * The quick start, done by a person in a real browser against the real gateway and mock upstreams: sign up,
 * log in, create a key and call the API with it, redeem a code, chat in the playground, find the calls under
 * Usage; then an admin adds a channel and edits a price; then everything again in Vietnamese. Every page is
 * saved as a screenshot in both languages.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { buildDashboard, documentLanguage, openPage, findOverflowing, findRawKeys, horizontalOverflow, launchChromium, saveScreenshot, waitForIdle } from './browser-harness.js';

const PASSWORD = 'a long browser password';
const CHAT_MODEL = 'deepseek/deepseek-chat';
const REASONING_MODEL = 'deepseek/deepseek-reasoner';

const USER_PAGES = [
  ['overview', '/'],
  ['keys', '/keys'],
  ['usage', '/usage'],
  ['billing', '/billing'],
  ['models', '/models'],
  ['playground', '/playground'],
  ['videos', '/videos'],
  ['settings', '/settings'],
] as const;

const ADMIN_PAGES = [
  ['admin-users', '/admin/users'],
  ['admin-channels', '/admin/channels'],
  ['admin-models', '/admin/models'],
  ['admin-groups', '/admin/groups'],
  ['admin-codes', '/admin/codes'],
  ['admin-totals', '/admin/totals'],
] as const;

describe('dashboard in a real browser', { timeout: 180_000 }, () => {
  let gw: TestGateway;
  let browser: Browser;
  let userContext: BrowserContext;
  let adminContext: BrowserContext;
  let page: Page;
  let admin: Page;
  let apiKey = '';
  const email = `browser-${Date.now()}@example.com`;
  const pageErrors: string[] = [];

  const visit = (target: Page, path: string) => openPage(target, `${gw.url}${path}`);

  beforeAll(async () => {
    await buildDashboard();
    // Mock video tasks finish on their second poll, and the gateway polls quickly, so a task completes in the test.
    gw = await startTestGateway({ autoAdvanceTasks: true, media: { options: { pollIntervalMs: 100, pollMinDelayMs: 100, pollMaxDelayMs: 200 } } });
    browser = await launchChromium();
    userContext = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
    adminContext = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
    page = await userContext.newPage();
    admin = await adminContext.newPage();
    for (const p of [page, admin]) p.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it('signs up, lands on the overview with the quick start, logs out and back in', async () => {
    await page.goto(`${gw.url}/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await saveScreenshot(page, 'en', 'signup');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Get started in four steps' }).waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in', level: 1 }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    await saveScreenshot(page, 'en', 'login-error');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  });

  it('creates an API key, shows it once, and the gateway refuses it until there is credit', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Create key' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('browser test');
    await dialog.getByLabel('Spend limit (USD)').fill('5');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    apiKey = (await page.getByTestId('new-key').textContent()) ?? '';
    expect(apiKey).toMatch(/^th-/);
    await saveScreenshot(page, 'en', 'keys-created');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    const row = page.getByTestId('key-row').filter({ hasText: 'browser test' });
    await row.waitFor();
    expect(await row.textContent()).toContain('$5.00 / month');
    expect(await row.textContent()).not.toContain(apiKey);

    await expect(gw.client(apiKey).chat.completions.create({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'Hi' }] })).rejects.toMatchObject({ status: 402 });
  });

  it('redeems a code and sees the balance change, then the key works', async () => {
    const response = await fetch(`${gw.url}/api/admin/billing/redemption-batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '10', count: 1, note: 'browser test' }),
    });
    const { codes } = (await response.json()) as { codes: string[] };
    await visit(page, '/billing');
    expect(await page.getByTestId('balance-value').textContent()).toBe('$0.00');
    await page.getByLabel('Redemption code').fill(codes[0] ?? '');
    await page.getByRole('button', { name: 'Redeem' }).click();
    await page.getByTestId('balance-value').filter({ hasText: '$10.00' }).waitFor();
    await page.getByRole('status').filter({ hasText: '$10.00 was added' }).waitFor();
    await page.getByTestId('ledger-row').filter({ hasText: 'Code redeemed' }).waitFor();

    const completion = await gw.client(apiKey).chat.completions.create({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'Hello from the browser test' }] });
    expect(completion.choices[0]?.message.content).toBeTruthy();
  });

  it('streams a chat in the playground with the reasoning folded away', async () => {
    await visit(page, '/playground');
    await page.getByLabel('API key', { exact: true }).fill(apiKey);
    await page.getByLabel('Model').selectOption(REASONING_MODEL);
    await page.getByLabel('Message').fill('What is two plus two?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('chat-usage').waitFor();
    const answer = page.getByTestId('chat-assistant');
    expect((await answer.locator('.chat-content').textContent())?.length).toBeGreaterThan(0);
    const reasoning = answer.locator('details.reasoning');
    expect(await reasoning.getAttribute('open')).toBeNull();
    expect(await reasoning.locator('summary').textContent()).toBe('Reasoning');
    await saveScreenshot(page, 'en', 'playground-chat');
  });

  it('generates an image in the playground and shows its cost', async () => {
    await page.getByRole('tab', { name: 'Image' }).click();
    await page.getByLabel('Prompt').fill('A lighthouse at dawn');
    await page.getByRole('button', { name: 'Generate' }).click();
    const image = page.getByTestId('generated-image');
    await image.waitFor();
    expect(await image.getAttribute('src')).toMatch(/^(https?:|data:image)/);
    await page.getByText(/^Charged \$/).waitFor();
    await saveScreenshot(page, 'en', 'playground-image');
  });

  it('submits a video task in the playground and watches it until the video is shown', async () => {
    await page.getByRole('tab', { name: 'Video' }).click();
    await page.getByLabel('Prompt').fill('A paper boat on a rainy street');
    await page.getByRole('button', { name: 'Submit video task' }).click();
    const task = page.getByTestId('video-task');
    await task.waitFor();
    await task.filter({ hasText: 'Done' }).waitFor();
    expect(await page.getByTestId('video-player').getAttribute('src')).toMatch(/^https?:\/\//);
    await saveScreenshot(page, 'en', 'playground-video');
    await visit(page, '/videos');
    const row = page.getByTestId('video-row').first();
    expect(await row.textContent()).toContain('Done');
    await row.getByRole('button', { name: 'Preview' }).click();
    await row.locator('video').waitFor();
  });

  it('shows the callback signing secret on demand and rotates it after a confirmation', async () => {
    await visit(page, '/videos');
    const card = page.getByTestId('callback-secret');
    const value = card.getByTestId('callback-secret-value');
    await card.getByRole('button', { name: 'Show' }).click();
    await value.filter({ hasText: /^whsec_[A-Za-z0-9_-]{43}$/ }).waitFor();
    const before = await value.textContent();
    await card.getByRole('button', { name: 'Rotate', exact: true }).click();
    await saveScreenshot(page, 'en', 'videos-callback-secret');
    await card.getByRole('button', { name: 'Rotate now' }).click();
    await value.filter({ hasNotText: before ?? '' }).filter({ hasText: /^whsec_/ }).waitFor();
  });

  it('lists the new requests under Usage, with details and a CSV export', async () => {
    await gw.gateway.requestLog.settled();
    await visit(page, '/usage');
    const rows = page.getByTestId('usage-row');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    expect(await rows.filter({ hasText: CHAT_MODEL }).count()).toBeGreaterThanOrEqual(1);
    expect(await rows.filter({ hasText: REASONING_MODEL }).first().textContent()).toContain('browser test');
    await rows.first().getByRole('button').click();
    await page.getByRole('dialog').getByText('Request details').waitFor();
    await saveScreenshot(page, 'en', 'usage-detail');
    await page.keyboard.press('Escape');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv).toContain(REASONING_MODEL);
  });

  it('documents the models with the real base URL', async () => {
    await visit(page, '/models');
    expect(await page.getByTestId('base-url').textContent()).toBe(`${gw.url}/api/v1`);
    await page.getByRole('button', { name: /^DeepSeek/ }).click();
    const card = page.getByTestId('model-card').filter({ hasText: CHAT_MODEL });
    await card.getByText('Code examples').click();
    expect(await card.locator('pre').textContent()).toContain(`curl ${gw.url}/api/v1/chat/completions`);
    await card.getByRole('tab', { name: 'Python' }).click();
    expect(await card.locator('pre').textContent()).toContain(`base_url="${gw.url}/api/v1"`);
    await card.getByRole('tab', { name: 'Claude Code' }).click();
    expect(await card.locator('pre').textContent()).toContain(`ANTHROPIC_BASE_URL="${gw.url}/api"`);
    await card.getByRole('tab', { name: 'Codex CLI' }).click();
    expect(await card.locator('pre').textContent()).toContain('wire_api = "responses"');
  });

  it('saves every user page in English', async () => {
    for (const [name, path] of USER_PAGES) {
      await visit(page, path);
      expect(await findRawKeys(page), name).toEqual([]);
      expect(await page.getByRole('alert').count(), `${name} shows an error`).toBe(0);
      await saveScreenshot(page, 'en', name);
    }
  });

  it('lets an admin add a channel, test it, and edit a price', async () => {
    const credentials = gw.gateway.firstStart;
    await admin.goto(`${gw.url}/login`);
    await admin.getByLabel('Email').fill(credentials?.email ?? '');
    await admin.getByLabel('Password').fill(credentials?.password ?? '');
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();

    await visit(admin, '/admin/channels');
    await admin.getByRole('button', { name: 'Add channel' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Provider').selectOption('openai');
    await dialog.getByLabel('Name').fill('Browser OpenAI');
    await dialog.getByLabel('Base URL').fill(gw.upstreams.baseUrlFor('openai'));
    await dialog.getByLabel('API key').fill('sk-browser-test-key');
    await dialog.getByLabel('Models').fill('openai/gpt-4.1');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const row = admin.getByTestId('channel-row').filter({ hasText: 'Browser OpenAI' });
    await row.waitFor();
    expect(await row.textContent()).not.toContain('sk-browser-test-key');
    await row.getByRole('button', { name: 'Test' }).click();
    expect(await row.getByTestId('channel-test-result').textContent()).toContain('Works: openai/gpt-4.1');
    await saveScreenshot(admin, 'en', 'admin-channels-tested');

    await visit(admin, '/admin/models');
    await admin.getByTestId('admin-model-row').filter({ hasText: CHAT_MODEL }).getByRole('button', { name: 'Edit' }).click();
    await admin.getByRole('dialog').getByLabel('Input price (USD per 1M tokens)', { exact: true }).fill('0.5');
    await admin.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await admin.getByTestId('admin-model-row').filter({ hasText: CHAT_MODEL }).filter({ hasText: '$0.50' }).waitFor();
    const model = (await (await fetch(`${gw.url}/api/v1/models/${CHAT_MODEL}`)).json()) as { pricing_detail: { inputPerMTok: string } };
    expect(model.pricing_detail.inputPerMTok).toBe('0.5');
  });

  it('lets an admin grant credit to the new user with a reason', async () => {
    const user = await gw.gateway.users.getByEmail(email);
    const balanceOf = async () => (await gw.gateway.billing.getBalance(user?.id ?? '')).balanceNanos;
    const before = await balanceOf();
    await visit(admin, '/admin/users');
    await admin.getByLabel('Search by email').fill(email);
    await admin.getByRole('button', { name: 'Search' }).click();
    const row = admin.getByTestId('admin-user-row').filter({ hasText: email });
    await row.getByRole('button', { name: 'Adjust credit' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Amount (USD)').fill('2');
    await dialog.getByLabel('Reason').fill('browser test bonus');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const after = await balanceOf();
    expect(after - before).toBe(2_000_000_000n);
    const shown = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(after) / 1e9);
    await row.filter({ hasText: shown }).waitFor();
  });

  it('saves every admin page in English', async () => {
    for (const [name, path] of ADMIN_PAGES) {
      await visit(admin, path);
      expect(await findRawKeys(admin), name).toEqual([]);
      expect(await admin.getByRole('alert').count(), `${name} shows an error`).toBe(0);
      await saveScreenshot(admin, 'en', name);
    }
  });

  it('switches to Vietnamese, remembers it, and shows no untranslated text anywhere', async () => {
    await visit(page, '/');
    await page.getByTestId('language-switch').selectOption('vi');
    await page.getByRole('heading', { name: 'Tổng quan', level: 1 }).waitFor();
    expect(await documentLanguage(page)).toBe('vi');
    await page.reload();
    await page.getByRole('heading', { name: 'Tổng quan', level: 1 }).waitFor();
    for (const [name, path] of USER_PAGES) {
      await visit(page, path);
      expect(await findRawKeys(page), name).toEqual([]);
      await saveScreenshot(page, 'vi', name);
    }
    await admin.getByTestId('language-switch').selectOption('vi');
    for (const [name, path] of ADMIN_PAGES) {
      await visit(admin, path);
      expect(await findRawKeys(admin), name).toEqual([]);
      await saveScreenshot(admin, 'vi', name);
    }
  });

  it('shows errors in Vietnamese', async () => {
    await visit(page, '/billing');
    await page.getByLabel('Mã nạp', { exact: true }).fill('NOPE-NOPE-NOPE-NOPE');
    await page.getByRole('button', { name: 'Đổi mã' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).not.toMatch(/[Tt]he |invalid|not found/);
    await saveScreenshot(page, 'vi', 'billing-error');
  });

  it('fits a phone screen, with the menu behind a button', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, '/keys');
    expect(await page.locator('#sidebar').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    // The menu opens and closes through React state; wait for the resulting visibility, not for time.
    await page.locator('#sidebar').waitFor({ state: 'visible' });
    await saveScreenshot(page, 'vi', 'phone-menu');
    await page.getByRole('link', { name: 'Tổng quan' }).click();
    await waitForIdle(page);
    await page.locator('#sidebar').waitFor({ state: 'hidden' });
    expect(await findOverflowing(page)).toEqual([]);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'vi', 'phone-overview');
    await page.getByTestId('language-switch').selectOption('en');
    await visit(page, '/models');
    await saveScreenshot(page, 'en', 'phone-models');
  });

  it('raised no script errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
