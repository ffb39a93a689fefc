import * as lark from '@larksuiteoapi/node-sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { FeishuMessageFiles } from '../../src/feishu/message-files.js';
import { REGISTRATION_FORM } from '../factories/issue.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text, textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * Rich text, end to end: the Feishu client sends words with a pasted photo (or any
 * formatting) as a `post`, not as text. Commands, progress replies, 议定： lines and patrol
 * photos typed that way must work like their plain forms, photos included.
 */

const clock = new ManualClock('2026-11-24T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const openId = exampleOpenId;
const NUMBER = '金口河〔2026〕第0001号';

const cardOf = (m: FakeMessage | undefined) => m?.updates.at(-1) ?? m?.content;
const issue = async () => (await t.bot.models.issues.findOne({ seq: 1 }).lean())!;
const issueCardIn = (chatId: string) =>
  t.fake.messages().find((m) => m.chatId === chatId && m.msgType === 'interactive' && text(m.content).includes(NUMBER));
const photo = (name: string) => t.fake.addImage(Buffer.from(`jpeg:${name}`));

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
  // A problem at 大渡河 assigned to 永和镇, supervised by the liaison unit 区水务局.
  const created = await tap('qian', { a: 'issue.create' }, REGISTRATION_FORM);
  expect(created.toast?.content).toBe('问题已登记，已送区河长制办公室交办');
  const { key, version } = await issue();
  const assigned = await tap(
    'qian',
    { a: 'issue.act', id: key, v: version, t: 'assign' },
    { unit: 'yonghe', date: '2026-12-04 +0800', text: '7日内清运，恢复岸坡' },
  );
  expect(assigned.toast?.content).toBe('已交办');
});

describe('rich-text (post) messages', () => {
  it('runs a command typed with a pasted photo, and the photo goes with the progress note', async () => {
    const pasted = photo('half-cleared');
    const [ack] = await say('wu', {
      post: {
        paragraphs: [
          [
            { tag: 'text', text: '/进展 0001 已清运一半' },
            { tag: 'img', imageKey: pasted },
          ],
        ],
      },
    });
    expect(textOf(ack)).toBe(`已记为${NUMBER}问题的进展（附照片 1 张）。`);
    const saved = await issue();
    expect(saved.progress.at(-1)).toMatchObject({
      by: 'wu-yonghe',
      note: '已清运一半',
      photos: [expect.stringMatching(new RegExp(`/${pasted}$`))],
    });
    // Everyone looking at the problem's card sees the note and its photo.
    const office = cardOf(issueCardIn('oc_example_hezhangban'));
    expect(text(office)).toContain('已清运一半（照片 1 张）');
    expect(text(office)).toContain('**照片**：1 张');
  });

  it('records a thread reply with words and photos as one progress entry with its photos', async () => {
    const daduCard = issueCardIn('oc_example_dadu')!;
    const before = (await issue()).progress.length;
    const [ack] = await say('sun', {
      chatId: 'oc_example_dadu',
      rootId: daduCard.messageId,
      post: {
        paragraphs: [
          [{ tag: 'text', text: '现场复查：垃圾已清运完毕' }],
          [{ tag: 'img', imageKey: photo('bank-left') }],
          [
            { tag: 'at', openId: openId('wu'), name: '吴某某' },
            { tag: 'text', text: ' 请尽快恢复岸坡' },
          ],
          [{ tag: 'img', imageKey: photo('bank-right') }],
        ],
      },
    });
    expect(textOf(ack)).toBe(`已记为${NUMBER}问题的进展（附照片 2 张）。`);
    const saved = await issue();
    expect(saved.progress).toHaveLength(before + 1);
    expect(saved.progress.at(-1)).toMatchObject({ by: 'sun-shuiwu', note: '现场复查：垃圾已清运完毕\n请尽快恢复岸坡' });
    expect(saved.progress.at(-1)?.photos).toHaveLength(2);
    expect(text(cardOf(t.fake.message(daduCard.messageId)))).toContain('请尽快恢复岸坡（照片 2 张）');
    expect(text(cardOf(t.fake.message(daduCard.messageId)))).toContain('**照片**：3 张');
  });

  it('records a photo-only post in the thread as photos, and leaves a command in a post to run as one', async () => {
    const daduCard = issueCardIn('oc_example_dadu')!;
    const [ack] = await say('sun', {
      chatId: 'oc_example_dadu',
      rootId: daduCard.messageId,
      post: { paragraphs: [[{ tag: 'img', imageKey: photo('bank-after') }]] },
    });
    expect(textOf(ack)).toBe(`已将照片记入${NUMBER}问题的进展。`);
    expect((await issue()).progress.at(-1)).toMatchObject({ by: 'sun-shuiwu', note: '（照片）' });

    const bot = { tag: 'at' as const, openId: t.fake.botOpenId, name: '河湖长助手' };
    const [command] = await say('sun', {
      chatId: 'oc_example_dadu',
      rootId: daduCard.messageId,
      post: { paragraphs: [[bot, { tag: 'text', text: ' /进展 0001 督促永和镇周五前完成' }]] },
    });
    expect(textOf(command)).toBe(`已记为${NUMBER}问题的进展。`);
    expect((await issue()).progress.at(-1)?.note).toBe('督促永和镇周五前完成');
  });

  it('strips @所有人 from what is recorded, in text and in rich text', async () => {
    const daduCard = issueCardIn('oc_example_dadu')!;
    await say('sun', { chatId: 'oc_example_dadu', rootId: daduCard.messageId, text: '@_all 汛前再复查一次' });
    expect((await issue()).progress.at(-1)?.note).toBe('汛前再复查一次');
    await say('sun', {
      chatId: 'oc_example_dadu',
      rootId: daduCard.messageId,
      post: {
        paragraphs: [
          [
            { tag: 'at', all: true },
            { tag: 'text', text: ' 岸坡已恢复' },
          ],
        ],
      },
    });
    expect((await issue()).progress.at(-1)?.note).toBe('岸坡已恢复');
    expect(text(cardOf(t.fake.message(daduCard.messageId)))).not.toContain('@_all');
  });

  it('answers a rich-text message that is no command in a direct chat as it answers text', async () => {
    const [answer] = await say('wu', {
      post: { title: '问一下', paragraphs: [[{ tag: 'text', text: '怎么登记问题？' }]] },
    });
    expect(textOf(answer)).toBe('您好！请输入 /帮助 查看我能做什么。');
  });

  it('records 议定： lines of a rich-text reply in a meeting card’s thread', async () => {
    const meeting = {
      kind: 'patrolSiteMeeting',
      water: 'dadu-jinkouhe',
      date: '2026-11-27 +0800',
      time: '09:30',
      place: '永和镇政府三楼会议室',
      units: ['yonghe'],
    };
    expect((await tap('sun', { a: 'meeting.create' }, meeting)).toast?.content).toBe('会议通知已发出');
    const thread = t.fake
      .messages()
      .find((m) => m.chatId === 'oc_example_shuiwu' && text(m.content).includes('巡河现场会议纪要'))!;
    clock.set('2026-11-27T11:00:00+08:00'); // decisions are recorded once the meeting has begun
    const [ack] = await say('sun', {
      chatId: 'oc_example_shuiwu',
      rootId: thread.messageId,
      post: {
        paragraphs: [
          [{ tag: 'text', text: '议定：由区自然资源局负责，2027年1月15日前完成岸线划界' }],
          [{ tag: 'img', imageKey: photo('whiteboard') }],
          [{ tag: 'text', text: '议定：加强汛期巡查' }],
        ],
      },
    });
    expect(textOf(ack)).toBe('已记录2项议定事项（第1、2项）。第2项缺少责任单位和完成时限，请在卡片上点“补全”。');
    const minutes = (await t.bot.models.documents.findOne({ kind: 'minutes' }).lean())!;
    expect(minutes.items.map((i) => [i.n, i.unitId ?? null])).toEqual([
      [1, 'natural-resources-bureau'],
      [2, null],
    ]);
    expect(text(cardOf(t.fake.message(thread.messageId)))).toContain('加强汛期巡查');
  });

  it('attaches a photo-only post in a patrol reminder’s thread to the patrol, like image messages', async () => {
    await t.bot.patrols.sweep(clock.now());
    await t.settle();
    const reminder = t.fake
      .messages()
      .find((m) => m.chatId === 'oc_example_dadu' && text(m.content).includes('巡河提醒'))!;
    const value = { a: 'patrol.submit', d: 'riverChief:li-hezhang:dadu-jinkouhe', p: '2026-11' };
    expect(
      (
        await tap(
          'sun',
          value,
          { date: '2026-11-24 +0800', observations: '河面整洁', problems: '' },
          reminder.messageId,
        )
      ).toast?.content,
    ).toBe('巡河已记录');

    const [ack] = await say('sun', {
      chatId: 'oc_example_dadu',
      rootId: reminder.messageId,
      post: {
        paragraphs: [
          [
            { tag: 'img', imageKey: photo('river-1') },
            { tag: 'img', imageKey: photo('river-2') },
          ],
        ],
      },
    });
    expect(textOf(ack)).toBe('已将2张照片附到11月24日的巡河记录。');
    const patrol = await t.bot.models.patrols.findOne().lean();
    expect(patrol?.photoKeys).toHaveLength(2);
  });

  it('lets the bot download a post’s picture through the message resource API', async () => {
    const key = photo('evidence');
    const client = new lark.Client({
      appId: TEST_APP.appId,
      appSecret: TEST_APP.appSecret,
      domain: t.fake.url,
      logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} },
    });
    const bytes = await new FeishuMessageFiles(client).download('om_post_with_picture', key, 'image');
    expect(bytes.toString()).toBe('jpeg:evidence');
  });
});
