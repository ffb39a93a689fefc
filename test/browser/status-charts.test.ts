import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT, eventually, useLocalPage } from './helpers/local-page.js';

const t = useLocalPage();

test(
  '/状态 shows its charts drawn with VChart, as Feishu’s chart component draws them',
  async () => {
    const { page } = t;
    await t.openAs('钱某某');
    await t.openChat('河湖长助手');

    // A registered problem gives the problem charts something to count.
    await t.send('/登记');
    const register = t
      .cards('登记')
      .filter({ has: page.getByRole('button', { name: '登记' }) })
      .last();
    await register.getByRole('combobox', { name: '河湖' }).click();
    await register.getByRole('option', { name: '大渡河（金口河段）' }).click();
    await register.getByLabel('问题描述').fill('河道内有漂浮垃圾');
    await register.getByRole('button', { name: '登记' }).click();
    await t.cards('河道内有漂浮垃圾').filter({ hasText: '登记' }).first().waitFor();

    await t.send('/状态');
    const status = t.cards('巡河履职').last();
    await status.waitFor();
    const charts = status.locator('.chart');
    await expect.poll(() => charts.count(), eventually).toBeGreaterThanOrEqual(2);
    // Every chart is drawn onto a canvas by VChart (served from node_modules, no network).
    const drawn = status.locator('.chart[data-state="drawn"]');
    await expect.poll(async () => (await drawn.count()) === (await charts.count()), eventually).toBe(true);
    expect(await status.locator('.chart canvas').count()).toBeGreaterThanOrEqual(await charts.count());
    await charts.first().scrollIntoViewIfNeeded();
    await t.screenshot('status-charts');
  },
  BROWSER_TEST_TIMEOUT,
);
