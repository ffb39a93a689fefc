import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { cardAction } from '../../src/feishu/fake/event-builders.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, type Reply, text, textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * Every meeting kind's roles (art. 5, 8, 10, 16): who may schedule, draft, approve; the
 * 联席会议 rotation; and a four-lists document from draft to tracked tasks (art. 12).
 */

const clock = new ManualClock('2026-12-01T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const openId = exampleOpenId;

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

const personKey = async (who: string) => (await t.bot.models.people.findOne({ openId: openId(who) }).lean())!.key;
const docById = async (id: string) => (await t.bot.models.documents.findOne({ _id: id }).lean())!;
const button = async (id: string, a: string, extra: Record<string, unknown> = {}) => ({
  a,
  id,
  v: (await docById(id)).version,
  ...extra,
});

interface Walk {
  kind: string;
  water?: string;
  organiser: string;
  drafter: string;
  approver: string;
  tracker: string;
  title: string;
}

const KINDS: Walk[] = [
  {
    kind: 'generalChiefMeeting',
    organiser: 'qian',
    drafter: 'zhao',
    approver: 'zhang',
    tracker: 'general-chief-office',
    title: '2026年总河长会议纪要',
  },
  {
    kind: 'patrolSiteMeeting',
    water: 'yeniu',
    organiser: 'zhou',
    drafter: 'zhou',
    approver: 'wang',
    tracker: 'ecology-bureau',
    title: '野牛河巡河现场会议纪要',
  },
  {
    kind: 'basinMeeting',
    water: 'dadu-jinkouhe',
    organiser: 'sun',
    drafter: 'sun',
    approver: 'li',
    tracker: 'water-bureau',
    title: '大渡河（金口河段）流域专题会议纪要',
  },
  {
    kind: 'jointMeeting',
    water: 'dadu-jinkouhe',
    organiser: 'qian',
    drafter: 'qian',
    approver: 'li',
    tracker: 'river-chief-office',
    title: '大渡河（金口河段）联席会议纪要',
  },
  {
    kind: 'officeMeeting',
    organiser: 'qian',
    drafter: 'qian',
    approver: 'zhang',
    tracker: 'river-chief-office',
    title: '区河长制办公室会议纪要',
  },
  {
    kind: 'directorsMeeting',
    organiser: 'zhao',
    drafter: 'zhao',
    approver: 'zhang',
    tracker: 'general-chief-office',
    title: '区总河长办公室主任会议纪要',
  },
];

// Sequential: the rotation test counts the 联席会议 the walk through each kind held before it.
describe.sequential('each meeting kind, from scheduling to tracked decisions', () => {
  KINDS.forEach((w, index) => {
    it(`${w.kind}: ${w.organiser} schedules, ${w.drafter} drafts, ${w.approver} returns then approves, closings reach ${w.approver}`, async () => {
      const day = `2026-12-0${2 + index}`;
      const form = { kind: w.kind, water: w.water, date: `${day} +0800`, time: '15:00', place: '区政府第一会议室' };
      expect((await tap('wu', { a: 'meeting.create' }, form)).toast?.type).toBe('error');
      const scheduled = await tap(w.organiser, { a: 'meeting.create' }, form);
      expect(scheduled.toast?.content).toBe('会议通知已发出');
      const meeting = (await t.bot.models.meetings.findOne().sort({ createdAt: -1 }).lean())!;
      const id = meeting.minutesId;
      expect((await docById(id)).title).toBe(w.title);
      expect(meeting.participants).toContain(await personKey(w.approver));
      // Minutes are written once the meeting has begun.
      clock.set(`${day}T15:00:00+08:00`);

      // The drafter records a decision by replying in the thread of their copy of the card.
      const copy = t.fake
        .messages()
        .find(
          (m) =>
            m.msgType === 'interactive' &&
            text(m.content).includes(w.title) &&
            (m.receiveId === openId(w.drafter) || m.chatId !== undefined),
        )!;
      const [ack] = await say(w.drafter, {
        chatId: copy.chatId ?? `oc_p2p_${w.drafter}`,
        rootId: copy.messageId,
        text: '议定：区水务局2027年3月31日前完成全区河湖管理范围复核',
      });
      expect(textOf(ack)).toBe('已记录1项议定事项（第1项）。');
      // And one by the card's form.
      await tap(w.drafter, await button(id, 'doc.itemForm'));
      expect(
        (
          await tap(w.drafter, await button(id, 'doc.saveItem'), {
            text: '开展河湖“清四乱”专项行动',
            unit: 'yonghe',
            date: '2027-02-28 +0800',
          })
        ).toast?.content,
      ).toBe('已保存');
      expect((await tap('wu', await button(id, 'doc.submit'))).toast?.type).toBe('error');
      expect((await tap(w.drafter, await button(id, 'doc.submit'))).toast?.content).toBe('已提交审定');

      // Nobody but the approver decides; a return goes back to the drafter with its comment.
      const wrong = w.approver === 'zhang' ? 'li' : 'zhang';
      expect((await tap(wrong, await button(id, 'doc.approve'))).toast?.content).toMatch(/^只有审定人可以审定/);
      expect(
        (await tap(w.approver, await button(id, 'doc.return'), { comment: '请补充资金保障' })).toast?.content,
      ).toBe('已退回修改');
      expect(
        (
          await tap(w.drafter, await button(id, 'doc.saveItem', { n: 1 }), {
            text: '完成全区河湖管理范围复核，所需资金纳入预算',
            unit: 'water-bureau',
            date: '2027-03-31 +0800',
          })
        ).toast?.content,
      ).toBe('已保存');
      await tap(w.drafter, await button(id, 'doc.submit'));
      expect((await tap(w.approver, await button(id, 'doc.approve'))).toast?.content).toBe('已审定通过并印发');

      expect((await docById(id)).number).toBe(`金总河长办纪〔2026〕${index + 1}号`);
      const problem = (await t.bot.models.issues.findOne({ 'source.ref': `doc:${id}#1` }).lean())!;
      expect(problem).toMatchObject({ state: 'assigned', assigneeUnit: 'water-bureau', source: { kind: 'decision' } });
      // The tracking unit supervises, unless it is itself the assignee.
      expect(problem.supervisorUnits).toEqual(w.tracker === 'water-bureau' ? [] : [w.tracker]);
      expect(problem.chiefId).toBe(await personKey(w.approver));
      expect(
        await t.bot.models.issues.countDocuments({
          'source.ref': `doc:${id}#2`,
          assigneeUnit: 'yonghe',
          state: 'assigned',
        }),
      ).toBe(1);

      // Its closing is reported to the approving chief and copied to the River Chief Office.
      const act = async (who: string, type: string, formValue?: Record<string, unknown>) => {
        const current = (await t.bot.models.issues.findOne({ _id: problem._id }).lean())!;
        return tap(who, { a: 'issue.act', id: current.key, v: current.version, t: type }, formValue);
      };
      await act('sun', 'accept');
      await act('sun', 'requestClose', { text: '复核完成，报告已报送' });
      const before = t.fake.messages().length;
      expect((await act('qian', 'verifyPass')).toast?.content).toBe('已核查销号，已报告河湖长');
      const report = (m: { content: unknown }) =>
        text(m.content).includes('问题销号报告') && text(m.content).includes('完成全区河湖管理范围复核');
      const after = t.fake.messages().slice(before);
      expect(after.some((m) => report(m) && m.receiveId === openId(w.approver))).toBe(true);
      expect(after.some((m) => report(m) && m.chatId === 'oc_example_hezhangban')).toBe(true);
    });
  });

  it('rotates the 联席会议 convener among the parties of the cooperation agreement', async () => {
    // The walk above held the first one, convened by this district; the next turn is the first neighbour's.
    await tap(
      'qian',
      { a: 'meeting.create' },
      { kind: 'jointMeeting', water: 'dadu-jinkouhe', date: '2027-01-10 +0800', time: '09:00', place: '汉源县' },
    );
    const conveners = (await t.bot.models.meetings.find({ kind: 'jointMeeting' }).sort({ startsAt: 1 }).lean()).map(
      (m) => m.convener,
    );
    expect(conveners).toEqual(['金口河区', '汉源县']);
    const refused = await tap(
      'qian',
      { a: 'meeting.create' },
      { kind: 'jointMeeting', water: 'yeniu', date: '2027-01-10 +0800', time: '09:00', place: '区政府' },
    );
    expect(refused.toast).toEqual({ type: 'error', content: '野牛河不是跨界河湖，联席会议只用于跨界河湖。' });
  });
});

describe('四张清单 from draft to tracked tasks', () => {
  it('lets only the liaison unit start it, and tracks its tasks once the chief approves', async () => {
    const [refused] = await say('zhou', { text: '/起草 四张清单 大渡河' });
    expect(textOf(refused)).toBe('四张清单由区水务局起草，您不能发起。');
    const [form] = await say('sun', { text: '/起草 四张清单 大渡' });
    expect(text(form?.content)).toContain('起草四张清单');

    const empty = await tap('sun', { a: 'doc.create', k: 'fourLists', w: 'dadu-jinkouhe' }, {});
    expect(empty.toast).toEqual({ type: 'error', content: '请至少填写一张清单' });
    const created = await tap(
      'sun',
      { a: 'doc.create', k: 'fourLists', w: 'dadu-jinkouhe' },
      {
        goals: '1. 出境断面水质稳定达到Ⅱ类',
        problems: '滨河路段岸坡垮塌',
        tasks: '永和镇2027年3月31日前完成滨河路段岸坡修复\n开展汛前河道保洁',
        responsibilities: '区水务局负责技术指导',
      },
    );
    expect(created.toast?.content).toBe('草稿已生成');
    const lists = (await t.bot.models.documents.findOne({ kind: 'fourLists' }).lean())!;
    expect(lists.title).toBe('大渡河（金口河段）2026年度河湖长制工作“四张清单”');
    expect(lists.items.map((i) => [i.list, i.text, i.unitId ?? null])).toEqual([
      ['goals', '出境断面水质稳定达到Ⅱ类', null],
      ['problems', '滨河路段岸坡垮塌', null],
      ['tasks', '永和镇2027年3月31日前完成滨河路段岸坡修复', 'yonghe'],
      ['tasks', '开展汛前河道保洁', null],
      ['responsibilities', '区水务局负责技术指导', null],
    ]);
    expect((await tap('sun', await button(lists._id, 'doc.submit'))).toast).toEqual({
      type: 'error',
      content: '第4项还缺少责任单位或完成时限，请先补全。',
    });
    await tap('sun', await button(lists._id, 'doc.saveItem', { n: 4 }), {
      text: '开展汛前河道保洁',
      unit: 'gongan',
      date: '2027-04-30 +0800',
    });
    await tap('sun', await button(lists._id, 'doc.submit'));
    expect((await tap('wang', await button(lists._id, 'doc.approve'))).toast?.type).toBe('error');
    const before = t.fake.messages().length;
    expect((await tap('li', await button(lists._id, 'doc.approve'))).toast?.content).toBe('已审定通过并印发');

    const published = (await t.bot.models.documents.findOne({ _id: lists._id }).lean())!;
    expect(published.number).toBe('金总河长办发〔2026〕1号');
    const tasks = await t.bot.models.issues.find({ 'source.kind': 'task' }).sort({ seq: 1 }).lean();
    expect(tasks.map((p) => [p.description, p.assigneeUnit, p.state])).toEqual([
      ['永和镇2027年3月31日前完成滨河路段岸坡修复', 'yonghe', 'assigned'],
      ['开展汛前河道保洁', 'gongan', 'assigned'],
    ]);
    const file = t.fake
      .messages()
      .slice(before)
      .find((m) => m.msgType === 'file' && m.chatId === 'oc_example_shuiwu')!;
    const docx = (
      await mammoth.extractRawText({ buffer: t.fake.upload((file.content as { file_key: string }).file_key)!.bytes })
    ).value;
    expect(docx).toContain('金口河区总河长办公室文件');
    expect(docx).toContain('任务清单');
    expect(docx).toContain('2. 开展汛前河道保洁。（责任单位：共安彝族乡；完成时限：2027年4月30日前）');
    expect(docx).toContain('1. 出境断面水质稳定达到Ⅱ类');
  });
});

describe('two approvals at once', () => {
  it('publishes once, with one number and one problem per decision', async () => {
    clock.advance(60_000);
    await t.bot.meetings.schedule(openId('sun'), {
      kind: 'basinMeeting',
      waterBodyId: 'dadu-jinkouhe',
      day: { year: 2026, month: 12, day: 28 },
      time: '10:00',
      place: '区水务局',
      units: [],
      people: [],
    });
    const meeting = (await t.bot.models.meetings.findOne().sort({ createdAt: -1 }).lean())!;
    clock.set('2026-12-28T10:00:00+08:00');
    await t.bot.documents.addLines(openId('sun'), meeting.minutesId, ['议定：永和镇2027年2月28日前完成排污口整治']);
    await t.bot.documents.submit(openId('sun'), meeting.minutesId, (await docById(meeting.minutesId)).version);
    await t.settle();
    const value = await button(meeting.minutesId, 'doc.approve');
    clock.advance(1_000);
    const both = await Promise.all(
      [0, 1].map(() =>
        t.post(
          cardAction({
            operatorOpenId: openId('li'),
            value,
            messageId: 'om_card',
            chatId: 'oc_x',
            verificationToken: TEST_APP.verificationToken,
          }),
          { path: '/webhook/card', clock },
        ),
      ),
    );
    await t.settle();
    expect(both.map((r) => (r.json as Reply).toast?.content).sort()).toEqual([
      '已审定通过并印发',
      '该文件已被处理，卡片已刷新。',
    ]);
    expect(await t.bot.models.documentNumbers.countDocuments({ documentId: meeting.minutesId })).toBe(1);
    expect(await t.bot.models.issues.countDocuments({ 'source.ref': `doc:${meeting.minutesId}#1` })).toBe(1);
  });
});

describe('a publication cut short', () => {
  it('is finished by the reminder job: number, posts and tracked decisions', async () => {
    clock.advance(60_000);
    await t.bot.meetings.schedule(openId('sun'), {
      kind: 'basinMeeting',
      waterBodyId: 'dadu-jinkouhe',
      day: { year: 2026, month: 12, day: 29 },
      time: '10:00',
      place: '区水务局',
      units: [],
      people: [],
    });
    const meeting = (await t.bot.models.meetings.findOne().sort({ createdAt: -1 }).lean())!;
    clock.set('2026-12-29T10:00:00+08:00');
    await t.bot.documents.addLines(openId('sun'), meeting.minutesId, ['议定：金河镇2027年2月28日前完成河道清障']);
    await t.bot.documents.submit(openId('sun'), meeting.minutesId, (await docById(meeting.minutesId)).version);
    // The approval is claimed and saved, then the process stops before publishing.
    const store = t.bot.stores.documents;
    const draft = (await store.get(meeting.minutesId))!;
    const line = {
      at: clock.now(),
      by: 'li-hezhang',
      action: 'approve' as const,
      from: 'pendingApproval' as const,
      to: 'published' as const,
      note: null,
    };
    expect(
      await store.applyChange(draft, { state: 'published', publishedAt: clock.now(), pendingPublication: true }, line),
    ).toBe(true);
    await t.settle();

    await t.bot.meetingSweep.sweep(clock.now());
    expect((await docById(meeting.minutesId)).number).toBeNull();
    clock.advance(10 * 60_000);
    const result = await t.bot.meetingSweep.sweep(clock.now());
    await t.settle();
    expect(result.publicationsFinished).toBe(1);
    const finished = await docById(meeting.minutesId);
    expect(finished).toMatchObject({ state: 'published', pendingPublication: false });
    expect(finished.number).toMatch(/^金总河长办纪〔2026〕\d+号$/);
    expect(
      await t.bot.models.issues.countDocuments({ 'source.ref': `doc:${meeting.minutesId}#1`, state: 'assigned' }),
    ).toBe(1);
    expect(
      t.fake.messages().some((m) => m.chatId === 'oc_example_hezhangban' && text(m.content).includes(finished.number!)),
    ).toBe(true);
    expect((await t.bot.meetingSweep.sweep(clock.now())).publicationsFinished).toBe(0);
  });
});
