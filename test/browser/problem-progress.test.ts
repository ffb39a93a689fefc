import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT, eventually, textOf, useLocalPage } from './helpers/local-page.js';

const t = useLocalPage();

test(
  'the office registers and assigns a problem; the township accepts it and reports progress by a thread reply',
  async () => {
    const { page } = t;
    await t.openAs('钱某某');

    // /登记 in the direct chat answers with the registration form.
    await t.openChat('河湖长助手');
    await t.send('/登记');
    const register = t
      .cards('登记')
      .filter({ has: page.getByRole('button', { name: '登记' }) })
      .last();
    await register.waitFor();
    await register.getByRole('combobox', { name: '河湖' }).click();
    await register.getByRole('option', { name: '大渡河（金口河段）' }).click();
    await register.getByLabel('具体位置').fill('永和镇滨河路段');
    await register.getByLabel('问题描述').fill('河岸堆放建筑垃圾约 20 立方米');
    await register.getByRole('button', { name: '登记' }).click();

    // The problem card reaches the office's group with 交办; the form opens in the tapper's direct chat.
    await t.openChat('区河长制办公室');
    const problem = t.cards('河岸堆放建筑垃圾约 20 立方米').last();
    await problem.waitFor();
    expect(await problem.locator('.card-header').innerText()).toContain('登记');
    await problem.getByRole('button', { name: '交办' }).click();
    await t.openChat('河湖长助手');
    const assign = t
      .cards('河岸堆放建筑垃圾')
      .filter({ has: page.getByRole('button', { name: '交办' }) })
      .last();
    await assign.getByRole('combobox', { name: '承办单位（乡镇或部门）' }).click();
    await assign.getByRole('option', { name: '永和镇' }).click();
    const requirement = assign.locator('textarea, input[type=text]').last();
    await requirement.fill('三日内清运完毕，恢复河岸原貌');
    await assign.getByRole('button', { name: '交办' }).click();
    await expect
      .poll(() => textOf(t.cards('河岸堆放建筑垃圾').last().locator('.card-header')), eventually)
      .toContain('已交办');

    // The township's member receives the card, accepts it, and replies in its thread.
    await t.switchTo('吴某某');
    await t.openChat('河湖长助手');
    const assigned = t.cards('河岸堆放建筑垃圾约 20 立方米').last();
    await assigned.getByRole('button', { name: '接收' }).click();
    await expect.poll(() => textOf(assigned.locator('.card-header')), eventually).toContain('整改中');

    const group = page
      .locator('.message-group')
      .filter({ has: page.getByTestId('card').filter({ hasText: '河岸堆放建筑垃圾约 20 立方米' }) })
      .last();
    await group.getByRole('button', { name: '回复', exact: true }).first().click();
    await page.getByTestId('reply-banner').waitFor();
    await t.send('已清运建筑垃圾约一半，预计周五完成');

    // The reply sits in the card's thread, the bot confirms there, and the card shows the latest progress.
    const thread = group.getByTestId('thread');
    await expect.poll(() => textOf(thread), eventually).toContain('已清运建筑垃圾约一半');
    await expect.poll(() => thread.locator('.from-bot').count(), eventually).toBeGreaterThan(0);
    await expect.poll(() => textOf(assigned), eventually).toContain('已清运建筑垃圾约一半');
    await group.scrollIntoViewIfNeeded();
    await t.screenshot('problem-progress');
  },
  BROWSER_TEST_TIMEOUT,
);
