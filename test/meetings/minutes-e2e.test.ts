import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text, textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * A 巡河现场会议 of 大渡河 from scheduling to its decisions' closing, end to end through the
 * fake Feishu: the liaison unit (区水务局, 孙) organises and drafts, the district chief (李)
 * approves, 永和镇 (吴) rectifies.
 */

const clock = new ManualClock('2026-11-30T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const openId = exampleOpenId;
const MINUTES_NO = '金总河长办纪〔2026〕1号';

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

const minutes = async () => (await t.bot.models.documents.findOne({ kind: 'minutes' }).lean())!;
const doc = async (a: string, extra: Record<string, unknown> = {}) => ({
  a,
  id: (await minutes())._id,
  v: (await minutes()).version,
  ...extra,
});
const sentTo = (who: string, since = 0) =>
  t.fake
    .messages()
    .slice(since)
    .filter((m) => m.receiveId === openId(who));

async function docxText(message: FakeMessage | undefined): Promise<string> {
  const key = (message?.content as { file_key?: string } | undefined)?.file_key ?? '';
  const upload = t.fake.upload(key);
  expect(upload?.fileName).toMatch(/\.docx$/);
  return (await mammoth.extractRawText({ buffer: upload!.bytes })).value;
}

// Sequential: one meeting from scheduling to published minutes: each test takes it on from the step before.
describe.sequential('a 巡河现场会议 from scheduling to tracked decisions', () => {
  it('schedules from /安排会议 for the liaison unit only: the drafters get the minutes card, attendees a meeting notice', async () => {
    const [refused] = await say('wu', { text: '/安排会议' });
    expect(textOf(refused)).toBe('只有区总河长办公室、区河长制办公室和联络员单位可以安排会议。');
    const [form] = await say('sun', { text: '/安排会议 巡河现场会议' });
    expect(text(form?.content)).toContain('安排会议');
    expect(text(form?.content)).toContain('"initial_option":"patrolSiteMeeting"');

    const meeting = {
      kind: 'patrolSiteMeeting',
      water: 'dadu-jinkouhe',
      date: '2026-12-03 +0800',
      time: '09:30',
      place: '永和镇政府三楼会议室',
      units: ['yonghe'],
    };
    const wrongLiaison = await tap('zhou', { a: 'meeting.create' }, meeting);
    expect(wrongLiaison.toast).toEqual({
      type: 'error',
      content: '只有区水务局或区河长制办公室可以安排巡河现场会议。',
    });
    const noTime = await tap('sun', { a: 'meeting.create' }, { ...meeting, time: '上午' });
    expect(noTime.toast).toEqual({ type: 'error', content: '请填写会议时间，例如 09:30' });
    const past = await tap('sun', { a: 'meeting.create' }, { ...meeting, date: '2026-11-20 +0800' });
    expect(past.toast).toEqual({ type: 'error', content: '会议时间须晚于现在。' });
    expect(await t.bot.models.meetings.countDocuments()).toBe(0);

    const done = await tap('sun', { a: 'meeting.create' }, meeting, form!.messageId);
    expect(done.toast?.content).toBe('会议通知已发出');
    expect(text(done.card)).toContain('大渡河（金口河段）巡河现场会议纪要');
    expect(text(done.card)).toContain('2026年12月3日上午9时30分');
    const stored = (await t.bot.models.meetings.findOne().lean())!;
    expect(stored.participants.sort()).toEqual(['li-hezhang', 'sun-shuiwu', 'wu-yonghe']);
    // The liaison unit drafts (art. 8): its chat and its member's direct chat get the minutes, with the drafting buttons.
    const drafting = [
      t.fake.messages().find((m) => m.chatId === 'oc_example_shuiwu' && m.msgType === 'interactive'),
      sentTo('sun').find((m) => text(m.content).includes('doc.submit')),
    ];
    for (const copy of drafting) {
      expect(text(copy?.content)).toContain('大渡河（金口河段）巡河现场会议纪要');
      expect(text(copy?.content)).toContain('"a":"doc.itemForm"');
      expect(text(copy?.content)).toContain('"a":"meeting.cancel"');
    }
    // The chief and the township by direct message, and the river's chat: a 会议通知, nothing to draft (issue 15).
    const notices = [
      ...['li', 'wu'].map((who) => sentTo(who).find((m) => m.msgType === 'interactive')),
      t.fake.messages().find((m) => m.chatId === 'oc_example_dadu' && m.msgType === 'interactive'),
    ];
    for (const notice of notices) {
      const card = notice?.content as { header: { title: { content: string } } };
      expect(card.header.title.content).toBe('大渡河（金口河段）巡河现场会议通知');
      expect(text(card)).not.toContain('纪要"');
      for (const fact of [
        '2026年12月3日上午9时30分',
        '永和镇政府三楼会议室',
        '李某某、孙某某、吴某某',
        '**组织单位**：区水务局',
      ])
        expect(text(card)).toContain(fact);
      expect(text(card)).not.toContain('"a":"doc.');
      expect(text(card)).not.toContain('"a":"meeting.cancel"');
    }
  });

  it('records nothing before the meeting starts', async () => {
    const early = await tap('sun', await doc('doc.saveItem'), {
      text: '完成滨河路段河道清淤',
      unit: 'yonghe',
      date: '2026-12-31 +0800',
    });
    expect(early.toast).toEqual({
      type: 'error',
      content: '会议定于2026年12月3日上午9时30分召开，会议开始后才能记录议定事项、提交和审定纪要。',
    });
    const [typed] = await say('sun', { text: '/议定 区农业农村局12月20日前排查沿河养殖' });
    expect(textOf(typed)).toBe('会议定于2026年12月3日上午9时30分召开，会议开始后才能记录议定事项、提交和审定纪要。');
    expect((await minutes()).items).toEqual([]);
    const [listed] = await say('sun', { text: '/会议' });
    expect(text(listed?.content)).toContain('即将召开 **1** 个会议');
    clock.set('2026-12-03T09:30:00+08:00');
  });

  it('records decisions by form, by 议定： replies in the card’s thread and by /议定, from the drafter only', async () => {
    const opened = await tap('sun', await doc('doc.itemForm'));
    expect(text(opened.form)).toContain('记录议定事项');
    const notDrafter = await tap('wu', await doc('doc.saveItem'), {
      text: '清淤',
      unit: 'yonghe',
      date: '2026-12-31 +0800',
    });
    expect(notDrafter.toast).toEqual({ type: 'error', content: '只有起草单位可以修改和提交会议纪要。' });
    const noUnit = await tap('sun', await doc('doc.saveItem'), { text: '清淤', date: '2026-12-31 +0800' });
    expect(noUnit.toast).toEqual({ type: 'error', content: '请选择责任单位' });
    const saved = await tap('sun', await doc('doc.saveItem'), {
      text: '完成滨河路段河道清淤',
      unit: 'yonghe',
      date: '2026-12-31 +0800',
    });
    expect(saved.toast?.content).toBe('已保存');
    expect(text(saved.card)).toContain('完成滨河路段河道清淤');

    const thread = t.fake
      .messages()
      .find((m) => m.chatId === 'oc_example_shuiwu' && text(m.content).includes('巡河现场会议纪要'))!;
    const [ack] = await say('sun', {
      chatId: 'oc_example_shuiwu',
      rootId: thread.messageId,
      text: '议定：由区自然资源局负责，2027年1月15日前完成岸线划界\n议定：加强汛期巡查',
    });
    expect(textOf(ack)).toBe('已记录2项议定事项（第2、3项）。第3项缺少责任单位和完成时限，请在卡片上点“补全”。');
    const [outsider] = await say('wu', {
      chatId: 'oc_example_dadu',
      rootId: t.fake.messages().find((m) => m.chatId === 'oc_example_dadu' && text(m.content).includes('纪要'))!
        .messageId,
      text: '议定：永和镇年底前完成',
    });
    expect(textOf(outsider)).toBe('只有起草单位可以修改和提交会议纪要。');
    // A day without a year that has passed is the writer's to fix, never silently next year's.
    const [passed] = await say('sun', { text: '/议定 区农业农村局11月30日前排查沿河养殖' });
    expect(textOf(passed)).toBe('11月30日已过，请写明年份。');
    const [oneOfTwo] = await say('sun', {
      chatId: 'oc_example_shuiwu',
      rootId: thread.messageId,
      text: '议定：永和镇12月25日前清淤\n议定：区水务局3月31日前完成验收',
    });
    expect(textOf(oneOfTwo)).toBe('第2行：3月31日已过，请写明年份。');
    const [command] = await say('sun', { text: '/议定 区农业农村局12月20日前排查沿河养殖' });
    expect(textOf(command)).toBe('《大渡河（金口河段）巡河现场会议纪要》：已记录1项议定事项（第4项）。');

    const items = (await minutes()).items;
    expect(items.map((i) => [i.n, i.unitId ?? null])).toEqual([
      [1, 'yonghe'],
      [2, 'natural-resources-bureau'],
      [3, null],
      [4, 'agriculture-bureau'],
    ]);
    // Every copy shows the decisions.
    expect(text(thread.updates.at(-1))).toContain('排查沿河养殖');
  });

  it('refuses to submit an incomplete draft, and lets the drafter complete and remove items', async () => {
    const incomplete = await tap('sun', await doc('doc.submit'));
    expect(incomplete.toast).toEqual({ type: 'error', content: '第3项还缺少责任单位或完成时限，请先补全。' });
    const form = await tap('sun', await doc('doc.itemForm', { n: 3 }));
    expect(text(form.form)).toContain('加强汛期巡查');
    await tap('sun', await doc('doc.saveItem', { n: 3 }), {
      text: '加强汛期巡查，发现险情及时上报',
      unit: 'gongan',
      date: '2027-01-31 +0800',
    });
    const removed = await tap('sun', await doc('doc.removeItem', { n: 4 }));
    expect(removed.toast?.content).toBe('已删除');
    expect((await minutes()).items.map((i) => i.n)).toEqual([1, 2, 3]);
  });

  it('sends the draft to the chief with the .docx; only the chief approves or returns, a return needs a comment', async () => {
    const before = t.fake.messages().length;
    expect((await tap('wu', await doc('doc.submit'))).toast?.type).toBe('error');
    const submitted = await tap('sun', await doc('doc.submit'));
    expect(submitted.toast?.content).toBe('已提交审定');
    expect((await minutes()).state).toBe('pendingApproval');
    const toChief = sentTo('li', before);
    expect(toChief.some((m) => textOf(m).includes('已提交《大渡河（金口河段）巡河现场会议纪要》，请您审定'))).toBe(
      true,
    );
    const draft = await docxText(toChief.find((m) => m.msgType === 'file'));
    expect(draft).toContain('金口河区总河长办公室会议纪要');
    expect(draft).toContain('（草稿）');
    expect(draft).toContain('一、完成滨河路段河道清淤。（责任单位：永和镇；完成时限：2026年12月31日前）');
    expect(draft).toContain(
      '二、由区自然资源局负责，2027年1月15日前完成岸线划界。（责任单位：区自然资源局；完成时限：2027年1月15日前）',
    );
    expect(draft).toContain('出席：李某某、孙某某、吴某某');
    // A draft has not been issued: no 印发 date.
    expect(draft).not.toContain('印发');

    expect((await tap('sun', await doc('doc.approve'))).toast).toEqual({
      type: 'error',
      content: '只有审定人可以审定会议纪要。',
    });
    expect((await tap('sun', await doc('doc.itemForm'))).toast).toEqual({
      type: 'error',
      content: '会议纪要已提交审定，如需修改，请审定人退回。',
    });
    expect((await tap('li', await doc('doc.return'), { comment: ' ' })).toast).toEqual({
      type: 'error',
      content: '请写明修改意见',
    });
    // Only the chief's copy offers 审定: the drafters' copies wait, attendees keep their notice.
    const copyOf = (m: FakeMessage | undefined) => text(m?.updates.at(-1) ?? m?.content);
    expect(copyOf(sentTo('li').find((m) => m.msgType === 'interactive'))).toContain('"a":"doc.approve"');
    expect(
      copyOf(t.fake.messages().find((m) => m.chatId === 'oc_example_shuiwu' && m.msgType === 'interactive')),
    ).not.toContain('"a":"doc.approve"');
    const wuCopy = copyOf(sentTo('wu').find((m) => m.msgType === 'interactive'));
    expect(wuCopy).toContain('纪要审定中');
    expect(wuCopy).not.toContain('"a":"doc.');
    const returned = await tap('li', await doc('doc.return'), { comment: '第一项请明确清淤长度' });
    expect(returned.toast?.content).toBe('已退回修改');
    expect(text(returned.card)).toContain('第一项请明确清淤长度');
    expect((await minutes()).state).toBe('drafting');
    const notice = t.fake
      .messages()
      .filter((m) => m.chatId === 'oc_example_shuiwu')
      .map(textOf);
    expect(notice).toContain(
      '李某某退回了《大渡河（金口河段）巡河现场会议纪要》，修改意见：第一项请明确清淤长度。请修改后在卡片上重新提交审定。',
    );
  });

  it('publishes on approval with a number, to everyone concerned, and every decision becomes an assigned problem', async () => {
    await tap('sun', await doc('doc.saveItem', { n: 1 }), {
      text: '完成滨河路段1.2公里河道清淤',
      unit: 'yonghe',
      date: '2026-12-31 +0800',
    });
    await tap('sun', await doc('doc.submit'));
    const stale = await tap('li', { ...(await doc('doc.approve')), v: 1 });
    expect(stale.toast).toEqual({ type: 'warning', content: '该文件已被处理，卡片已刷新。' });

    const before = t.fake.messages().length;
    const approved = await tap('li', await doc('doc.approve'));
    expect(approved.toast?.content).toBe('已审定通过并印发');
    expect(text(approved.card)).toContain(MINUTES_NO);
    expect(await minutes()).toMatchObject({ state: 'published', number: MINUTES_NO });
    const [listed] = await say('sun', { text: '/会议' });
    expect(text(listed?.content)).toContain('即将召开 **0** 个会议');

    const published = await docxText(
      t.fake
        .messages()
        .slice(before)
        .find((m) => m.msgType === 'file' && m.chatId === 'oc_example_hezhangban'),
    );
    expect(published).toContain(MINUTES_NO);
    expect(published).toContain('一、完成滨河路段1.2公里河道清淤。');
    expect(published).toContain('2026年12月3日印发');
    for (const chat of ['oc_example_hezhangban', 'oc_example_zongheban', 'oc_example_dadu', 'oc_example_shuiwu']) {
      expect(
        t.fake
          .messages()
          .slice(before)
          .some((m) => m.chatId === chat && text(m.content).includes(MINUTES_NO)),
      ).toBe(true);
    }
    // An attendee's meeting notice now shows the published minutes.
    const wuNotice = sentTo('wu').find((m) => m.msgType === 'interactive');
    expect(text(wuNotice?.updates.at(-1))).toContain(MINUTES_NO);
    expect(text(wuNotice?.updates.at(-1))).toContain('完成滨河路段1.2公里河道清淤');

    const problems = await t.bot.models.issues.find({ 'source.kind': 'decision' }).sort({ seq: 1 }).lean();
    expect(problems.map((p) => [p.description, p.state, p.assigneeUnit, p.supervisorUnits, p.chiefId])).toEqual([
      ['完成滨河路段1.2公里河道清淤', 'assigned', 'yonghe', ['water-bureau'], 'li-hezhang'],
      [
        '由区自然资源局负责，2027年1月15日前完成岸线划界',
        'assigned',
        'natural-resources-bureau',
        ['water-bureau'],
        'li-hezhang',
      ],
      ['加强汛期巡查，发现险情及时上报', 'assigned', 'gongan', ['water-bureau'], 'li-hezhang'],
    ]);
    expect(problems[0]?.requirement).toBe(`落实《大渡河（金口河段）巡河现场会议纪要》（${MINUTES_NO}）第1项`);
    // The minutes' card names each decision's problem number.
    expect(text(await t.bot.documents.view(openId('li'), (await minutes())._id))).toContain(problems[0]!.number);
    // Approving again changes nothing.
    expect((await tap('li', await doc('doc.approve'))).toast?.type).toBe('error');
    expect(await t.bot.models.issues.countDocuments({ 'source.kind': 'decision' })).toBe(3);
  });

  it('reports a decision’s closing to the approving chief, copied to the River Chief Office', async () => {
    const problem = (await t.bot.models.issues.findOne({ assigneeUnit: 'yonghe', 'source.kind': 'decision' }).lean())!;
    const act = async (who: string, type: string, form?: Record<string, unknown>) => {
      const current = (await t.bot.models.issues.findOne({ _id: problem._id }).lean())!;
      return tap(who, { a: 'issue.act', id: current.key, v: current.version, t: type }, form);
    };
    await act('wu', 'accept');
    await act('wu', 'requestClose', { text: '已完成清淤1.2公里' });
    const before = t.fake.messages().length;
    // The liaison unit tracks the decision: it verifies.
    expect((await act('sun', 'verifyPass')).toast?.content).toBe('已核查销号，已报告河湖长');
    const reports = t.fake
      .messages()
      .slice(before)
      .filter((m) => text(m.content).includes('问题销号报告') || text(m.content).includes('核查销号'));
    expect(reports.some((m) => m.receiveId === openId('li'))).toBe(true);
    expect(reports.some((m) => m.chatId === 'oc_example_hezhangban')).toBe(true);
    expect(text(reports.find((m) => m.receiveId === openId('li'))?.content)).toContain('会议议定事项');
  });
});
