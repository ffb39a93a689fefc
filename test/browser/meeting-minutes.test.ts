import { readFile } from 'node:fs/promises';
import mammoth from 'mammoth';
import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT, eventually, textOf, useLocalPage } from './helpers/local-page.js';

const t = useLocalPage();

/** The bot's date after `days` days, as a date picker takes it (yyyy-MM-dd in the bot's zone). */
async function botDay(url: string, days: number): Promise<string> {
  const clock = (await (await fetch(`${url}/local/api/clock`)).json()) as { now: string; timeZone: string };
  const at = new Date(new Date(clock.now).getTime() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: clock.timeZone }).format(at);
}

test(
  'a meeting’s 议定： thread reply and its approval publish minutes as a .docx that downloads',
  async () => {
    const { page } = t;

    // The river's liaison unit schedules a 巡河现场会议 for tomorrow morning.
    await t.openAs('孙某某');
    await t.openChat('河湖长助手');
    await t.send('/安排会议 巡河现场会议');
    const schedule = t
      .cards('安排会议')
      .filter({ has: page.getByRole('button', { name: '发出会议通知' }) })
      .last();
    await schedule.waitFor();
    await schedule.getByRole('combobox', { name: /^河湖/ }).click();
    await schedule.getByRole('option', { name: '大渡河（金口河段）' }).click();
    const tomorrow = await botDay(t.url, 1);
    await schedule.getByLabel('会议日期').fill(tomorrow);
    await schedule.getByLabel('开始时间').fill('08:30');
    await schedule.getByLabel('会议地点').fill('永和镇政府三楼会议室');
    await schedule.getByRole('button', { name: '发出会议通知' }).click();

    // Once the clock is past the start, a 议定： reply in the minutes card's thread records a decision.
    await page.getByLabel('调整到的时间').fill(`${tomorrow}T09:00`);
    await page.getByRole('button', { name: '调到此时' }).click();
    await page.getByRole('status').filter({ hasText: '定时任务已运行' }).waitFor();
    await t.openChat('区水务局');
    const minutes = t
      .cards('巡河现场会议')
      .filter({ has: page.getByRole('button', { name: '提交审定' }) })
      .last();
    await minutes.waitFor();
    const group = page
      .locator('.message-group')
      .filter({ has: page.getByTestId('card').filter({ has: page.getByRole('button', { name: '提交审定' }) }) })
      .last();
    await group.getByRole('button', { name: '回复', exact: true }).first().click();
    await t.send('议定：由永和镇负责，12月31日前完成滨河路段清淤');
    await expect.poll(() => textOf(group.getByTestId('thread').locator('.from-bot')), eventually).not.toBe('');
    await expect.poll(() => textOf(minutes), eventually).toContain('滨河路段清淤');
    await minutes.getByRole('button', { name: '提交审定' }).click();

    // The river's district chief approves; the published minutes arrive as a .docx.
    await t.switchTo('李某某');
    await t.openChat('河湖长助手');
    const review = t
      .cards('巡河现场会议')
      .filter({ has: page.getByRole('button', { name: '审定通过' }) })
      .last();
    await review.getByRole('button', { name: '审定通过' }).click();
    // The approver got the draft (（草稿）) on submission; the published minutes follow on approval.
    const names = () => page.getByTestId('file').locator('.file-name').allInnerTexts();
    await expect
      .poll(async () => (await names()).filter((n) => /纪要.*\.docx$/.test(n) && !n.includes('草稿')), eventually)
      .toHaveLength(1);
    const publishedName = (await names()).find((n) => !n.includes('草稿')) ?? '';
    const published = page.getByTestId('file').filter({ hasText: publishedName });

    const [download] = await Promise.all([page.waitForEvent('download'), published.click()]);
    expect(download.suggestedFilename()).toBe(publishedName);
    const { value } = await mammoth.extractRawText({ buffer: await readFile(await download.path()) });
    expect(value).toContain('滨河路段清淤');
    expect(value).toMatch(/金总河长办纪〔\d{4}〕\d+号/);
    await published.scrollIntoViewIfNeeded();
    await t.screenshot('meeting-minutes');
  },
  BROWSER_TEST_TIMEOUT,
);
