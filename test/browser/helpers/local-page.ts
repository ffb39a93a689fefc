import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../../src/config/env.js';
import { type LocalMode, startLocalMode } from '../../../src/local/local-mode.js';
import { openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { captureLogs } from '../../helpers/logs.js';

/**
 * Debian's chromium, driven by playwright-core (no browser download): `.ci/run` installs the
 * package. The flags keep a headless run quiet and offline.
 */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

/** A whole journey through the page: many round trips through the bot, each answered in well under a second. */
export const BROWSER_TEST_TIMEOUT = 120_000;

/** How long a page assertion waits for the bot and the page to catch up. */
export const eventually = { timeout: 15_000, interval: 100 };

/** The text of the first match, or '' while there is none. */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.count()) > 0 ? locator.first().innerText() : '';
}

/** Screenshots of each test's final screen, kept as CI artifacts (gitignored). */
export const ARTIFACTS_DIR = join(import.meta.dirname, '../../../test-artifacts');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ ...CHROMIUM, headless: true });
}

/** A page the size of a laptop screen, in Chinese, that accepts downloads. */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 880 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  return { context, page };
}

export interface LocalPage {
  local: LocalMode;
  page: Page;
  url: string;
  /** Opens the page as this person (by name in the example directory). */
  openAs(name: string): Promise<void>;
  /** Switches identity with the 切换身份 picker, as a visitor does. */
  switchTo(name: string): Promise<void>;
  /** Opens a chat from the list by (part of) its name. */
  openChat(name: string | RegExp): Promise<void>;
  /** The cards in the open chat whose text matches. */
  cards(text: string | RegExp): Locator;
  /** Types a message in the open chat and sends it. */
  send(text: string): Promise<void>;
  /** Saves the current screen as test-artifacts/<name>.png. */
  screenshot(name: string): Promise<string>;
}

/**
 * The bot in local mode (its fake Feishu, settable clock, trial page and API) on a real port
 * with its own database and data dir, the example district imported, and a headless
 * Chromium page pointed at it: started before a file's tests, stopped after them.
 */
export function useLocalPage(): LocalPage {
  let db: TestDatabase | undefined;
  let dataDir: string | undefined;
  let local: LocalMode | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    db = await openTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'hehu-browser-'));
    const config = loadConfig({ MONGODB_URI: db.uri, PORT: '0', BOT_DATA_DIR: dataDir });
    local = await startLocalMode({
      config,
      logger: captureLogs('warn').logger,
      host: '127.0.0.1',
      importExample: true,
    });
    browser = await launchChromium();
    page = (await newPage(browser)).page;
    page.setDefaultTimeout(15_000);
  });
  afterEach(async (context) => {
    // A failed test leaves its screen behind, to see what the page showed.
    if (context.task.result?.state !== 'fail' || !page) return;
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS_DIR, `failed-${context.task.name.slice(0, 40)}.png`) });
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
    await db?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const the = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started yet: use it inside tests`);
    return value;
  };
  const p = () => the(page, 'the page');

  const handle: LocalPage = {
    get local() {
      return the(local, 'local mode');
    },
    get page() {
      return p();
    },
    get url() {
      return the(local, 'local mode').bot.url;
    },
    async openAs(name) {
      await p().goto(`${handle.url}/`);
      await handle.switchTo(name);
    },
    async switchTo(name) {
      const dialog = p().getByRole('dialog', { name: '选择身份' });
      // Wait for the directory: the picker opens by itself until someone is chosen.
      await dialog.or(p().getByTestId('me')).first().waitFor();
      if (!(await dialog.isVisible())) await p().getByRole('button', { name: '切换身份' }).click();
      const name_ = p().locator('.person-name').getByText(name, { exact: true });
      await dialog.locator('.person-row').filter({ has: name_ }).click();
      await expect.poll(() => p().getByTestId('me').textContent(), eventually).toBe(name);
    },
    async openChat(name) {
      await p().locator('.chat-list').getByRole('button', { name }).first().click();
    },
    cards(text) {
      return p().getByTestId('messages').getByTestId('card').filter({ hasText: text });
    },
    async send(text) {
      const box = p().getByLabel('输入消息');
      await box.fill(text);
      await box.press('Enter');
      await expect.poll(() => box.inputValue(), eventually).toBe('');
    },
    async screenshot(name) {
      // The final screen, once the last toasts have gone.
      await expect.poll(() => p().locator('.toast').count(), eventually).toBe(0);
      await mkdir(ARTIFACTS_DIR, { recursive: true });
      const path = join(ARTIFACTS_DIR, `${name}.png`);
      await p().screenshot({ path });
      // `npm run screenshots` sets this to keep the README's pictures current.
      const docs = process.env.SCREENSHOTS_DIR;
      if (docs) {
        await mkdir(docs, { recursive: true });
        await copyFile(path, join(docs, `${name}.png`));
      }
      return path;
    },
  };
  return handle;
}

/**
 * Moves the bot's clock one working day at a time (下一个工作日 9:00), as a newcomer would,
 * until `until` holds; each move runs the scheduled jobs as at that time.
 */
export async function advanceWorkdaysUntil(page: Page, until: () => Promise<boolean>, maxDays = 31): Promise<void> {
  for (let day = 0; day < maxDays; day++) {
    if (await until()) return;
    const moves = Number(await page.getByTestId('clock').getAttribute('data-moves'));
    await page.getByRole('button', { name: '下一个工作日 9:00' }).click();
    // The open chat has fetched what that day's jobs sent once it reports the move as synced.
    await page.locator(`[data-testid="messages"][data-synced-moves="${moves + 1}"]`).waitFor();
  }
  if (!(await until())) throw new Error(`nothing happened within ${maxDays} working days`);
}
