import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { cardAction } from '../../src/feishu/fake/event-builders.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, type Reply, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * 督办 with a settable clock: reminders before the deadline, the overdue notice with a buzz
 * for 紧急 problems, the office's 提示/通报 confirmation; each step once, however often the
 * job runs. Also 延期 and 责任退回 as the office and the township use them.
 */

const clock = new ManualClock('2026-11-24T10:00:00+08:00'); // Tuesday
const t = useTestBot({ clock });
const { tap } = peopleChat(t, clock);
const openId = exampleOpenId;

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

/** Registers a problem on 大渡河 in 永和镇 and has the office assign it to 永和镇 with this deadline. */
async function assignedIssue(description: string, deadline: string, urgency: 'normal' | 'urgent' = 'normal') {
  const issue = await t.bot.issues.report({
    waterBodyId: 'dadu-jinkouhe',
    townshipId: 'yonghe',
    place: '',
    description,
    category: '河面',
    urgency,
    source: { kind: 'office' },
    foundBy: 'qian-hezhangban',
    foundAt: clock.now(),
    reportedBy: 'qian-hezhangban',
  });
  await t.settle();
  const reply = await tap(
    'qian',
    { a: 'issue.act', id: issue.id, v: 1, t: 'assign' },
    { unit: 'yonghe', date: `${deadline} +0800`, text: '按期清理' },
  );
  expect(reply.toast?.content).toBe('已交办');
  return issue.id;
}

async function sweepAt(iso: string) {
  clock.set(iso);
  const outcome = await t.bot.supervision.sweep(clock.now());
  await t.settle();
  return outcome;
}

const toWu = (needle: string) =>
  t.fake.messages().filter((m) => m.receiveId === openId('wu') && text(m.content).includes(needle));

// Sequential: one problem climbs the ladder: each test starts from the rung (and clock) the last one reached.
describe.sequential('督办: the supervision ladder', () => {
  let id = '';

  it('reminds the assignee unit 3 days and 1 day before the deadline, once each', async () => {
    id = await assignedIssue('河面漂浮物', '2026-12-04', 'urgent');
    expect(await sweepAt('2026-11-30T09:05:00+08:00')).toEqual({
      reminders: 0,
      overdue: 0,
      escalations: 0,
      unassigned: 0,
    });
    expect(await sweepAt('2026-12-01T09:05:00+08:00')).toEqual({
      reminders: 1,
      overdue: 0,
      escalations: 0,
      unassigned: 0,
    });
    expect(toWu('督办提醒')).toHaveLength(1);
    expect(text(toWu('督办提醒')[0]?.content)).toContain('将于 12月4日 到期（剩3天）');
    // Run twice, act once: the job again, and a second instance that never saw the first run.
    expect(await sweepAt('2026-12-01T09:15:00+08:00')).toEqual({
      reminders: 0,
      overdue: 0,
      escalations: 0,
      unassigned: 0,
    });
    await t.bot.models.issues.updateOne({ key: id }, { $set: { nextSupervisionAt: clock.now() } });
    await sweepAt('2026-12-01T09:25:00+08:00');
    expect(toWu('督办提醒')).toHaveLength(1);
    expect((await sweepAt('2026-12-03T09:05:00+08:00')).reminders).toBe(1);
    expect(text(toWu('督办提醒')[1]?.content)).toContain('剩1天');
  });

  it('once overdue: tells the unit and its township chief, and buzzes them for a 紧急 problem', async () => {
    // 12月5日 is a Saturday: the overdue notice goes out on Monday.
    expect((await sweepAt('2026-12-05T09:05:00+08:00')).overdue).toBe(0);
    expect((await sweepAt('2026-12-07T09:05:00+08:00')).overdue).toBe(1);
    const notice = toWu('督办：问题已逾期');
    // 吴某某 is both 永和镇's contact and its township chief of 大渡河: one notice, not two.
    expect(notice).toHaveLength(1);
    expect(text(notice[0]?.content)).toContain('已逾期3天');
    const card = t.fake
      .messages()
      .find((m) => m.receiveId === openId('wu') && text(m.content).includes('"a":"issue.form"'));
    expect(card?.urgentTo).toEqual([openId('wu')]);
  });

  it('asks the office to confirm a 提示; only office staff may, and the first answer counts', async () => {
    expect((await sweepAt('2026-12-08T09:05:00+08:00')).escalations).toBe(1);
    const escalation = t.fake
      .messages()
      .find((m) => m.chatId === 'oc_example_hezhangban' && text(m.content).includes('逾期问题：建议提示'));
    expect(text(escalation?.content)).toContain('已逾期 4 天');
    const notice = await t.bot.models.supervisionNotices.findOne({ issueKey: id }).lean();
    expect(notice).toMatchObject({ unitId: 'yonghe', suggest: 'prompt', status: 'suggested' });

    expect((await tap('wu', { a: 'notice.decide', id: notice!.key, k: 'dismiss' })).toast).toEqual({
      type: 'error',
      content: '只有区河长制办公室可以确认提示或通报。',
    });
    const value = { a: 'notice.decide', id: notice!.key, k: 'prompt' };
    clock.advance(1_000);
    const both = await Promise.all(
      ['qian', 'qian'].map(() =>
        t.post(
          cardAction({
            operatorOpenId: openId('qian'),
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
      '已确认，计入年度考核',
      '该建议已被处理，卡片已刷新。',
    ]);
    expect(await t.bot.models.supervisionNotices.findOne({ key: notice!.key }).lean()).toMatchObject({
      status: 'confirmed',
      suggest: 'prompt',
      decidedBy: 'qian-hezhangban',
    });
    // The unit gets the 提示 itself, recorded once for the assessment.
    expect(toWu('河湖长制提示 · 永和镇')).toHaveLength(1);
    expect(await t.bot.models.sanctions.find({ unitId: 'yonghe' }).lean()).toMatchObject([
      { kind: 'prompt', issueIds: [id], issuedBy: 'qian-hezhangban', noticeKey: notice!.key },
    ]);
    expect(text(t.fake.message(escalation!.messageId)?.updates.at(-1))).toContain('予以**提示**，计入年度考核');
  });

  it('suggests a 通报 later, and stops once the problem is waiting for verification', async () => {
    expect((await sweepAt('2026-12-15T09:05:00+08:00')).escalations).toBe(1);
    expect(
      t.fake
        .messages()
        .some((m) => m.chatId === 'oc_example_hezhangban' && text(m.content).includes('逾期问题：建议通报')),
    ).toBe(true);
    const issue = (await t.bot.models.issues.findOne({ key: id }).lean())!;
    await tap('wu', { a: 'issue.act', id, v: issue.version, t: 'accept' });
    await tap('wu', { a: 'issue.act', id, v: issue.version + 1, t: 'requestClose' }, { text: '已清理' });
    expect((await t.bot.models.issues.findOne({ key: id }).lean())?.nextSupervisionAt).toBeNull();
    expect(await sweepAt('2026-12-22T09:05:00+08:00')).toEqual({
      reminders: 0,
      overdue: 0,
      escalations: 0,
      unassigned: 0,
    });
  });
});

// Sequential: the problem numbers each test expects (第0003号 …) count the problems earlier tests registered, on a clock that only moves on.
describe.sequential('延期 and 责任退回 (numbered in 2027: the sequence starts again each year)', () => {
  it('the township may hand a problem back within 24 hours, not after', async () => {
    clock.set('2027-01-06T10:00:00+08:00');
    const late = await assignedIssue('河岸垮塌', '2027-01-25');
    clock.set('2027-01-07T10:30:00+08:00');
    const lateV = (await t.bot.models.issues.findOne({ key: late }).lean())!.version;
    expect(
      (await tap('wu', { a: 'issue.act', id: late, v: lateV, t: 'returnResponsibility' }, { text: '不归我们' })).toast,
    ).toEqual({
      type: 'error',
      content: '已超过交办后 24 小时的责任退回时限，请联系区河长制办公室。',
    });

    const id = await assignedIssue('涉水违建', '2027-01-25');
    clock.advance(2 * 3_600_000);
    const v = (await t.bot.models.issues.findOne({ key: id }).lean())!.version;
    const back = await tap('wu', { a: 'issue.act', id, v, t: 'returnResponsibility' }, { text: '该段属共安彝族乡' });
    expect(back.toast?.content).toBe('已退回区河长制办公室');
    expect(await t.bot.models.issues.findOne({ key: id }).lean()).toMatchObject({
      state: 'reported',
      assigneeUnit: null,
      deadline: null,
    });
    expect(
      t.fake
        .messages()
        .some(
          (m) => m.chatId === 'oc_example_hezhangban' && text(m.content).includes('（该段属共安彝族乡），请重新交办'),
        ),
    ).toBe(true);
    // Each copy tells its own people the truth and offers only their buttons (issue 15): the township
    // that handed it back sees 已退回 and nothing to do; the office's copy offers 交办 again.
    const card = (m: { content: unknown; updates: unknown[] } | undefined) => text(m?.updates.at(-1) ?? m?.content);
    const copyIn = (where: (m: { chatId?: string; receiveId?: string }) => boolean) =>
      card(
        t.fake
          .messages()
          .find(
            (m) =>
              where(m) &&
              m.msgType === 'interactive' &&
              text(m.content).includes('涉水违建') &&
              text(m.content).includes('"tag":"collapsible_panel"'),
          ),
      );
    expect(text(back.card)).toContain('"content":"已退回"');
    expect(text(back.card)).toContain('永和镇已于1月7日责任退回，由区河长制办公室重新交办，无需再办理。');
    expect(text(back.card)).not.toContain('"a":"issue.');
    const wuCopy = () => copyIn((m) => m.receiveId === openId('wu'));
    expect(wuCopy()).toContain('"content":"已退回"');
    expect(wuCopy()).not.toContain('"a":"issue.');
    expect(copyIn((m) => m.chatId === 'oc_example_hezhangban')).toContain('"t":"assign"');
    expect(copyIn((m) => m.chatId === 'oc_example_dadu')).not.toContain('"a":"issue.');

    // Assigned to 共安彝族乡: its copy offers 接收 and 责任退回; 永和镇's still says 已退回; the office's offers no 交办.
    const v2 = (await t.bot.models.issues.findOne({ key: id }).lean())!.version;
    expect(
      (
        await tap(
          'qian',
          { a: 'issue.act', id, v: v2, t: 'assign' },
          { unit: 'gongan', date: '2027-01-25 +0800', text: '按期清理' },
        )
      ).toast?.content,
    ).toBe('已交办');
    const fengCopy = copyIn((m) => m.receiveId === openId('feng'));
    expect(fengCopy).toContain('"t":"accept"');
    expect(fengCopy).toContain('"t":"returnResponsibility"');
    expect(fengCopy).not.toContain('"t":"verifyPass"');
    expect(wuCopy()).toContain('"content":"已退回"');
    expect(wuCopy()).not.toContain('"a":"issue.');
    const office = copyIn((m) => m.chatId === 'oc_example_hezhangban');
    expect(office).toContain('"content":"已交办"');
    expect(office).not.toContain('"t":"assign"');
    expect(office).not.toContain('"t":"accept"');
  });

  it('the office may refuse an extension, with a reason', async () => {
    clock.set('2027-01-08T11:00:00+08:00');
    const id = await assignedIssue('河长公示牌破损', '2027-01-18');
    const v = (await t.bot.models.issues.findOne({ key: id }).lean())!.version;
    await tap('wu', { a: 'issue.act', id, v, t: 'requestExtension' }, { date: '2027-01-29 +0800', text: '材料未到' });
    expect((await tap('qian', { a: 'issue.act', id, v: v + 1, t: 'rejectExtension' }, {})).toast).toEqual({
      type: 'error',
      content: '请说明不同意延期的理由',
    });
    await tap('qian', { a: 'issue.act', id, v: v + 1, t: 'rejectExtension' }, { text: '公示牌可先临时修复' });
    expect(toWu('不同意金口河〔2027〕第0003号问题延期：公示牌可先临时修复')).toHaveLength(1);
    expect((await t.bot.models.issues.findOne({ key: id }).lean())?.pendingExtension).toBeNull();
  });

  it('the township asks for more time; the office approves, and the ladder follows the new deadline', async () => {
    clock.set('2027-01-11T10:00:00+08:00');
    const id = await assignedIssue('排污口疑似偷排', '2027-01-20');
    const v = (await t.bot.models.issues.findOne({ key: id }).lean())!.version;
    expect((await tap('qian', { a: 'issue.form', id, v, t: 'requestExtension' })).toast).toEqual({
      type: 'error',
      content: '只有承办单位可以进行此操作。',
    });
    const asked = await tap(
      'wu',
      { a: 'issue.act', id, v, t: 'requestExtension' },
      { date: '2027-01-29 +0800', text: '需协调环保部门检测' },
    );
    expect(asked.toast?.content).toBe('延期申请已提交');
    expect(text(asked.card)).toContain('申请延期至 1月29日');
    expect(
      t.fake
        .messages()
        .some(
          (m) =>
            m.chatId === 'oc_example_hezhangban' &&
            text(m.content).includes('申请将金口河〔2027〕第0004号问题的整改期限延至1月29日'),
        ),
    ).toBe(true);
    const approved = await tap('qian', { a: 'issue.act', id, v: v + 1, t: 'approveExtension' });
    expect(text(approved.card)).toContain('**整改期限**：1月29日');
    expect(toWu('新的整改期限为1月29日')).toHaveLength(1);
    // The old deadline's reminder day passes quietly; the new one's comes.
    const reminders = () => toWu('督办提醒').filter((m) => text(m.content).includes('排污口疑似偷排'));
    await sweepAt('2027-01-15T09:05:00+08:00');
    expect(reminders()).toHaveLength(0);
    await sweepAt('2027-01-26T09:05:00+08:00');
    expect(reminders()).toHaveLength(1);
    expect(text(reminders()[0]?.content)).toContain('将于 1月29日 到期（剩3天）');
  });
});

describe('分办: problems nobody has assigned yet', () => {
  it('are listed to the office once each working day until assigned', async () => {
    clock.set('2027-02-01T15:00:00+08:00'); // Monday
    const issue = await t.bot.issues.report({
      waterBodyId: 'yeniu',
      place: '',
      description: '野牛河铜河村段垃圾堆放',
      category: '河岸',
      urgency: 'normal',
      source: { kind: 'office' },
      foundBy: 'qian-hezhangban',
      foundAt: clock.now(),
      reportedBy: 'qian-hezhangban',
    });
    await t.settle();
    // Other problems may be waiting too; follow this one.
    const lists = () =>
      t.fake
        .messages()
        .filter(
          (m) =>
            m.chatId === 'oc_example_hezhangban' &&
            text(m.content).includes('尚未交办') &&
            text(m.content).includes('铜河村段'),
        );
    // Registered today: not yet late. Tomorrow before the reminder hour: not yet.
    await sweepAt('2027-02-01T16:00:00+08:00');
    await sweepAt('2027-02-02T08:30:00+08:00');
    expect(lists()).toHaveLength(0);
    expect((await sweepAt('2027-02-02T09:05:00+08:00')).unassigned).toBe(1);
    await sweepAt('2027-02-02T09:15:00+08:00');
    expect(lists()).toHaveLength(1);
    expect(text(lists()[0]?.content)).toContain('野牛河：野牛河铜河村段垃圾堆放（2月1日登记）');

    await tap(
      'qian',
      { a: 'issue.act', id: issue.id, v: 1, t: 'assign' },
      { unit: 'jinhe', date: '2027-02-20 +0800', text: '清理' },
    );
    expect((await sweepAt('2027-02-03T09:05:00+08:00')).unassigned).toBe(0);
    expect(lists()).toHaveLength(1);
  });
});
