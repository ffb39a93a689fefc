import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * The meeting and document reminders with a settable clock: the annual 总河长会议 (art. 5),
 * the 联席会议 rotation (art. 10), the four lists' deadline (art. 12), a meeting about to
 * start, and an approver who has not acted. Each goes out once however often the job runs.
 */

const clock = new ManualClock('2026-11-02T08:00:00+08:00'); // a Monday
const t = useTestBot({ clock });
const openId = exampleOpenId;

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

async function sweepAt(local: string): Promise<string[]> {
  clock.set(new Date(local));
  const before = t.fake.messages().length;
  await t.bot.meetingSweep.sweep(clock.now());
  // Twice: the second run must send nothing more.
  await t.bot.meetingSweep.sweep(clock.now());
  await t.settle();
  return t.fake
    .messages()
    .slice(before)
    .map((m) => `${m.receiveId?.startsWith('ou_') ? m.receiveId : m.chatId}|${textOf(m)}`);
}

// Sequential: a year of reminders on one clock: later tests read the meeting and minutes earlier ones scheduled.
describe.sequential('meeting and document reminders', () => {
  it('sends nothing before the reminder hour', async () => {
    expect(await sweepAt('2026-11-02T08:30:00+08:00')).toEqual([]);
  });

  it('reminds 区总河长办公室 of the annual meeting, the office of the joint-meeting turn, liaison units of overdue four lists', async () => {
    const sent = await sweepAt('2026-11-02T09:05:00+08:00');
    expect(sent).toContain(
      'oc_example_zongheban|2026年尚未召开总河长会议。按照协调机制第五条，区级总河长每年至少召开1次总河长会议，请尽快安排（发送 /安排会议）。',
    );
    expect(sent).toContain(
      'oc_example_hezhangban|2026年大渡河（金口河段）跨界河湖联席会议轮到我区召集，请区河长制办公室商定时间并发送 /安排会议。',
    );
    // Messages to different chats may be delivered in any order.
    expect(sent.filter((s) => s.includes('“四张清单”已超过印发期限')).sort()).toEqual(
      [
        'oc_example_shuiwu|大渡河（金口河段）2026年度“四张清单”已超过印发期限（3月31日），请区水务局尽快起草报审（发送 /起草 四张清单 大渡河（金口河段））。',
        'oc_example_hezhangban|大渡河（金口河段）2026年度“四张清单”已超过印发期限（3月31日），请区水务局尽快起草报审（发送 /起草 四张清单 大渡河（金口河段））。',
        'oc_example_shengtai|野牛河2026年度“四张清单”已超过印发期限（3月31日），请区生态环境局尽快起草报审（发送 /起草 四张清单 野牛河）。',
        'oc_example_hezhangban|野牛河2026年度“四张清单”已超过印发期限（3月31日），请区生态环境局尽快起草报审（发送 /起草 四张清单 野牛河）。',
      ].sort(),
    );
    expect(sent).toHaveLength(6);
    // Later the same day and week: nothing again.
    expect(await sweepAt('2026-11-04T10:00:00+08:00')).toEqual([]);
  });

  it('reminds participants before a meeting, and stops the annual reminder once one is scheduled', async () => {
    clock.set(new Date('2026-11-04T10:00:00+08:00'));
    await t.bot.meetings.schedule(openId('qian'), {
      kind: 'generalChiefMeeting',
      day: { year: 2026, month: 11, day: 10 },
      time: '15:00',
      place: '区政府第一会议室',
      units: [],
      people: [],
    });
    await t.settle();
    // A week on: no annual reminder (a meeting is scheduled); the 24-hour reminder is not due yet.
    expect(await sweepAt('2026-11-09T09:05:00+08:00')).toEqual([]);
    const dayBefore = await sweepAt('2026-11-09T15:10:00+08:00');
    expect(dayBefore.sort()).toEqual([
      `${openId('zhang')}|会议提醒：2026年总河长会议将于2026年11月10日下午3时在区政府第一会议室召开，请准时参加。`,
      `${openId('zhao')}|会议提醒：2026年总河长会议将于2026年11月10日下午3时在区政府第一会议室召开，请准时参加。`,
    ]);
    expect(await sweepAt('2026-11-10T13:10:00+08:00')).toHaveLength(2);
    expect(await sweepAt('2026-11-10T15:30:00+08:00')).toEqual([]);
  });

  it('reminds an approver after the configured working days, once per round', async () => {
    const minutes = (await t.bot.models.documents.findOne({ kind: 'minutes' }).lean())!;
    await t.bot.documents.addLines(openId('zhao'), minutes._id, ['议定：区水务局12月31日前完成全区河湖划界复核']);
    clock.set(new Date('2026-11-13T16:00:00+08:00')); // a Friday
    await t.bot.documents.submit(
      openId('zhao'),
      minutes._id,
      (await t.bot.models.documents.findOne({ _id: minutes._id }).lean())!.version,
    );
    await t.settle();
    // Saturday, Sunday and Monday make one working day; Tuesday the second.
    expect(await sweepAt('2026-11-14T09:05:00+08:00')).toEqual([]);
    expect(await sweepAt('2026-11-16T09:05:00+08:00')).toEqual([]);
    const nudge = await sweepAt('2026-11-17T09:05:00+08:00');
    expect(nudge).toEqual([
      `${openId('zhang')}|《2026年总河长会议纪要》已于2026年11月13日提交审定，尚待您审定。请在卡片上审定通过，或写明意见退回修改。`,
    ]);
    expect(await sweepAt('2026-11-18T09:05:00+08:00')).toEqual([]);
    // The approver's card went out when the meeting was scheduled, past Feishu's 14-day update
    // window by now: the nudge comes with a fresh card (a new message) to act on.
    const second = await sweepAt('2026-11-19T09:05:00+08:00');
    expect(second.sort()).toEqual(
      [
        `${openId('zhang')}|`,
        `${openId('zhang')}|《2026年总河长会议纪要》已于2026年11月13日提交审定，尚待您审定。请在卡片上审定通过，或写明意见退回修改。`,
      ].sort(),
    );
    const original = t.fake
      .messages({ receiveId: openId('zhang') })
      .find((m) => m.msgType === 'interactive' && JSON.stringify(m.content).includes('2026年总河长会议纪要'));
    expect(clock.now().getTime() - original!.createdAt.getTime()).toBeGreaterThan(13 * 24 * 3600_000);
    const fresh = t.fake
      .messages({ receiveId: openId('zhang') })
      .filter((m) => m.msgType === 'interactive')
      .at(-1);
    expect(fresh?.createdAt.toISOString()).toBe(new Date('2026-11-19T09:05:00+08:00').toISOString());
    expect(JSON.stringify(fresh?.content)).toContain('2026年总河长会议纪要');
  });
});

describe('a cancelled meeting', () => {
  it('is cancelled by its organisers only, tells the participants, and gets no reminders or decisions', async () => {
    clock.set(new Date('2026-11-20T10:00:00+08:00'));
    const card = await t.bot.meetings.schedule(openId('sun'), {
      kind: 'patrolSiteMeeting',
      waterBodyId: 'dadu-jinkouhe',
      day: { year: 2026, month: 11, day: 26 },
      time: '09:30',
      place: '永和镇',
      units: [],
      people: [],
    });
    expect(JSON.stringify(card)).toContain('"a":"meeting.cancel"');
    await t.settle();
    const meeting = (await t.bot.models.meetings.findOne({ kind: 'patrolSiteMeeting' }).lean())!;
    await expect(t.bot.meetings.cancel(openId('wu'), meeting.minutesId)).rejects.toThrow(
      '只有区水务局或区河长制办公室可以取消会议。',
    );

    const before = t.fake.messages().length;
    const cancelled = await t.bot.meetings.cancel(openId('qian'), meeting.minutesId);
    await t.settle();
    expect(JSON.stringify(cancelled)).toContain('会议已取消');
    expect(JSON.stringify(cancelled)).not.toContain('"a":"doc.submit"');
    const told = t.fake
      .messages()
      .slice(before)
      .filter((m) => textOf(m).includes('已取消'));
    expect(told.map((m) => m.receiveId).sort()).toEqual([openId('li'), openId('sun')]);
    await expect(t.bot.meetings.cancel(openId('sun'), meeting.minutesId)).rejects.toThrow('会议已取消，卡片已刷新。');
    await expect(
      t.bot.documents.addLines(openId('sun'), meeting.minutesId, ['议定：永和镇年底前完成']),
    ).rejects.toThrow('会议已取消。');
    expect((await sweepAt('2026-11-25T09:40:00+08:00')).filter((s) => s.includes('巡河现场会议'))).toEqual([]);
  });
});
