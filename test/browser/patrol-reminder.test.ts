import { expect, test } from 'vitest';
import { advanceWorkdaysUntil, BROWSER_TEST_TIMEOUT, eventually, textOf, useLocalPage } from './helpers/local-page.js';

const t = useLocalPage();

test(
  'a chief moves the clock to a reminder day and records a patrol from the reminder card, which updates in place',
  async () => {
    const { page } = t;
    await t.openAs('吴某某');
    expect(await page.locator('.identity-role').innerText()).toContain('乡级河长');

    // The river's group chat gets a reminder per chief on the reminder day; move there a working day at a time.
    await t.openChat(/大渡河（金口河段）河长群/);
    const reminder = t.cards('巡河提醒').filter({ hasText: '@吴某某' });
    await advanceWorkdaysUntil(page, async () => (await reminder.count()) > 0);
    expect(await textOf(reminder)).toContain('本月尚未巡河');

    // 记录巡河 opens the form in the chief's direct chat with the bot, which shows an unread count.
    await reminder.getByRole('button', { name: '记录巡河' }).click();
    await page.locator('.chat-item').filter({ hasText: '河湖长助手' }).locator('.unread').waitFor();
    await t.openChat('河湖长助手');
    const openForms = () => t.cards('记录巡河').filter({ has: page.getByRole('button', { name: '提交' }) });
    const form = openForms();
    await form.waitFor();

    // A required field left empty stops the submit, as Feishu's client does.
    await form.getByRole('button', { name: '提交' }).click();
    await form.getByText('请填写此项').waitFor();
    await form.getByLabel('巡河情况').fill('河面整洁，水质清澈，未见排污口');
    await form.scrollIntoViewIfNeeded();
    await t.screenshot('patrol-form');
    await form.getByRole('button', { name: '提交' }).click();

    // The form card is answered with the recorded card in place, with a toast.
    await page.getByRole('status').filter({ hasText: '巡河已记录' }).waitFor();
    const recorded = t.cards('巡河已记录').filter({ hasText: '@吴某某' });
    await expect.poll(() => textOf(recorded), eventually).toContain('本月巡河已记录');
    expect(await openForms().count()).toBe(0);

    // The group's reminder card was patched in place: now recorded, no 记录巡河 button left on it.
    await t.openChat(/大渡河（金口河段）河长群/);
    const patched = t.cards('@吴某某').filter({ hasText: '大渡河（金口河段）' }).first();
    await expect.poll(() => textOf(patched), eventually).toContain('巡河已记录');
    expect(await patched.getByRole('button', { name: '记录巡河' }).count()).toBe(0);
    // 撤回 asks first, in Feishu's confirmation dialog; 取消 leaves the record alone.
    await patched.getByRole('button', { name: '撤回' }).click();
    const confirm = page.getByRole('dialog', { name: '撤回这次巡河记录？' });
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('撤回后这次巡河不再计入');
    await confirm.getByRole('button', { name: '取消' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await textOf(patched)).toContain('巡河已记录');
    await patched.scrollIntoViewIfNeeded();
    await t.screenshot('patrol-reminder');
  },
  BROWSER_TEST_TIMEOUT,
);
