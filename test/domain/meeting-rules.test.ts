import { describe, expect, it } from 'vitest';
import {
  type DocumentActor,
  documentNumber,
  documentTransition,
  numberPrefixFor,
  type OfficialDocument,
} from '../../src/domain/documents/document.js';
import { findUnit, parseItemLine } from '../../src/domain/documents/item-line.js';
import { chineseNumber } from '../../src/domain/documents/layout.js';
import { nextConvener } from '../../src/domain/meetings/meeting.js';
import {
  approvalNudge,
  DEFAULT_MEETING_SETTINGS,
  fourListsStage,
  meetingReminderStage,
  meetingStart,
  weeklyFrom,
} from '../../src/domain/meetings/meeting-settings.js';
import { firstDateWord as findDeadline } from '../../src/domain/time/date-words.js';
import { WorkCalendar } from '../../src/domain/time/work-calendar.js';

const tz = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);
const today = { year: 2026, month: 11, day: 30 };
const units = [
  { id: 'yonghe', name: '永和镇' },
  { id: 'heping', name: '和平彝族乡' },
  { id: 'water-bureau', name: '区水务局' },
  { id: 'natural-resources-bureau', name: '区自然资源局' },
];

describe('reading a decision written in a chat', () => {
  it('finds the unit by its name or its name without 区, the earliest mention first', () => {
    expect(findUnit('由永和镇负责清淤', units)).toBe('yonghe');
    expect(findUnit('水务局牵头，永和镇配合', units)).toBe('water-bureau');
    expect(findUnit('加强巡查', units)).toBeUndefined();
  });

  it('finds the deadline in the forms people write, and never moves a passed day to next year', () => {
    const day = (text: string) => findDeadline(text, today);
    expect(day('2027年1月15日前完成')).toEqual({ date: { year: 2027, month: 1, day: 15 } });
    expect(day('2026-12-31前')).toEqual({ date: { year: 2026, month: 12, day: 31 } });
    expect(day('12月20日前排查')).toEqual({ date: { year: 2026, month: 12, day: 20 } });
    expect(day('11月30日前完成')).toEqual({ date: { year: 2026, month: 11, day: 30 } });
    // A day without a year that has passed is the writer's to fix, not next year's.
    expect(day('3月31日前完成')).toEqual({ problem: '3月31日已过，请写明年份' });
    expect(day('明年3月31日前完成')).toEqual({ date: { year: 2027, month: 3, day: 31 } });
    expect(day('12月底前完成')).toEqual({ date: { year: 2026, month: 12, day: 31 } });
    expect(day('2月底前完成')).toEqual({ problem: '2月底已过，请写明年份' });
    expect(day('明年2月底前完成')).toEqual({ date: { year: 2027, month: 2, day: 28 } });
    expect(day('年底前完成')).toEqual({ date: { year: 2026, month: 12, day: 31 } });
    expect(day('明年年底前完成')).toEqual({ date: { year: 2027, month: 12, day: 31 } });
    expect(day('15日内完成')).toEqual({ date: { year: 2026, month: 12, day: 15 } });
    expect(day('2026年2月30日')).toEqual({ problem: '2026年2月30日不是有效日期' });
    expect(day('2026年11月1日前')).toEqual({ problem: '2026年11月1日已过，请重新填写' });
    expect(day('尽快完成')).toEqual({});
  });

  it('strips the 议定： prefix and keeps the words as written', () => {
    expect(parseItemLine('议定：由区自然资源局负责，2027年1月15日前完成岸线划界', units, today)).toEqual({
      text: '由区自然资源局负责，2027年1月15日前完成岸线划界',
      unitId: 'natural-resources-bureau',
      deadline: { year: 2027, month: 1, day: 15 },
    });
    expect(parseItemLine('议定事项: 加强巡查', units, today)).toEqual({
      text: '加强巡查',
      unitId: undefined,
      deadline: undefined,
    });
  });
});

describe('the approve-and-publish flow', () => {
  const now = at('2026-11-30T10:00:00+08:00');
  const draft = (over: Partial<OfficialDocument> = {}): OfficialDocument => ({
    id: 'd1',
    kind: 'minutes',
    title: '纪要',
    year: 2026,
    state: 'drafting',
    version: 1,
    drafterUnit: 'water-bureau',
    approverId: 'li',
    trackerUnit: 'water-bureau',
    items: [{ n: 1, text: '清淤', unitId: 'yonghe', deadline: at('2027-01-01T00:00:00+08:00') }],
    body: '',
    attachments: [],
    createdBy: 'sun',
    createdAt: now,
    history: [],
    cardKeys: [],
    ...over,
  });
  const drafter: DocumentActor = { personId: 'sun', isDrafter: true, isApprover: false };
  const approver: DocumentActor = { personId: 'li', isDrafter: false, isApprover: true };
  const other: DocumentActor = { personId: 'wu', isDrafter: false, isApprover: false };
  const outcome = (r: ReturnType<typeof documentTransition>) =>
    r.ok ? `${r.next.state}@${r.next.version}` : `${r.forbidden ? 'forbidden' : 'refused'}: ${r.reason}`;

  it('lets each person take only their step, in its state', () => {
    const table: Array<[string, OfficialDocument, Parameters<typeof documentTransition>[1], DocumentActor, string]> = [
      ['drafter edits a draft', draft(), { type: 'edit' }, drafter, 'drafting@2'],
      ['others may not edit', draft(), { type: 'edit' }, other, 'forbidden: 只有起草单位可以修改和提交会议纪要。'],
      [
        'the approver may not edit',
        draft(),
        { type: 'edit' },
        approver,
        'forbidden: 只有起草单位可以修改和提交会议纪要。',
      ],
      ['drafter submits', draft(), { type: 'submit' }, drafter, 'pendingApproval@2'],
      [
        'no edits while waiting',
        draft({ state: 'pendingApproval' }),
        { type: 'edit' },
        drafter,
        'refused: 会议纪要已提交审定，如需修改，请审定人退回。',
      ],
      ['approver approves', draft({ state: 'pendingApproval' }), { type: 'approve' }, approver, 'published@2'],
      [
        'drafter may not approve',
        draft({ state: 'pendingApproval' }),
        { type: 'approve' },
        drafter,
        'forbidden: 只有审定人可以审定会议纪要。',
      ],
      [
        'approver returns with a comment',
        draft({ state: 'pendingApproval' }),
        { type: 'return', comment: '请补充' },
        approver,
        'drafting@2',
      ],
      [
        'a return needs a comment',
        draft({ state: 'pendingApproval' }),
        { type: 'return', comment: ' ' },
        approver,
        'refused: 请写明修改意见。',
      ],
      ['nothing to approve while drafting', draft(), { type: 'approve' }, approver, 'refused: 会议纪要尚未提交审定。'],
      [
        'published is final',
        draft({ state: 'published' }),
        { type: 'edit' },
        drafter,
        'refused: 会议纪要已印发，不能再修改。',
      ],
      [
        'minutes need a decision',
        draft({ items: [] }),
        { type: 'submit' },
        drafter,
        'refused: 纪要还没有议定事项，请先记录议定事项。',
      ],
      [
        'decisions need unit and deadline',
        draft({
          items: [
            { n: 1, text: 'x' },
            { n: 2, text: 'y', unitId: 'yonghe' },
          ],
        }),
        { type: 'submit' },
        drafter,
        'refused: 第1、2项还缺少责任单位或完成时限，请先补全。',
      ],
      [
        'a passed deadline is refused',
        draft({ items: [{ n: 1, text: 'x', unitId: 'yonghe', deadline: at('2026-11-30T00:00:00+08:00') }] }),
        { type: 'submit' },
        drafter,
        'refused: 第1项的完成时限已过，请修改。',
      ],
      [
        'four lists need a task',
        draft({ kind: 'fourLists', items: [{ n: 1, text: 'g', list: 'goals' }] }),
        { type: 'submit' },
        drafter,
        'refused: 四张清单还没有任务清单，请填写任务。',
      ],
      [
        'a plan needs a body or a file',
        draft({ kind: 'waterBodyPlan', items: [] }),
        { type: 'submit' },
        drafter,
        'refused: 请先填写正文或上传文件。',
      ],
    ];
    for (const [name, doc, action, actor, expected] of table)
      expect(`${name}: ${outcome(documentTransition(doc, action, actor, now))}`).toBe(`${name}: ${expected}`);
  });

  it('numbers documents per series, with the district’s prefix unless configured', () => {
    expect(documentNumber(numberPrefixFor('minutes', '金口河区', {}), 2026, 3)).toBe('金总河长办纪〔2026〕3号');
    expect(documentNumber(numberPrefixFor('documents', '金口河区', {}), 2026, 8)).toBe('金总河长办发〔2026〕8号');
    expect(numberPrefixFor('minutes', '金口河区', { minutesPrefix: '金河长纪' })).toBe('金河长纪');
  });

  it('numbers items 一、二 … 二十三', () => {
    expect([1, 9, 10, 11, 20, 23].map(chineseNumber)).toEqual(['一', '九', '十', '十一', '二十', '二十三']);
  });
});

describe('the joint-meeting rotation', () => {
  it('goes round the parties in agreement order', () => {
    const parties = ['金口河区', '汉源县', '甘洛县'];
    expect(nextConvener(parties, undefined)).toBe('金口河区');
    expect(nextConvener(parties, '金口河区')).toBe('汉源县');
    expect(nextConvener(parties, '甘洛县')).toBe('金口河区');
    expect(nextConvener([], undefined)).toBeUndefined();
  });
});

describe('meeting and document reminder times', () => {
  const calendar = new WorkCalendar({
    holidays: ['2026-10-01', '2026-10-02', '2026-10-05'],
    makeUpWorkdays: ['2026-10-10'],
  });

  it('reminds before a meeting at the latest stage that has come', () => {
    const start = at('2026-12-03T09:30:00+08:00');
    expect(meetingReminderStage(start, [24, 2], at('2026-12-02T09:00:00+08:00'))).toBeUndefined();
    expect(meetingReminderStage(start, [24, 2], at('2026-12-02T09:30:00+08:00'))).toBe(24);
    expect(meetingReminderStage(start, [24, 2], at('2026-12-03T08:00:00+08:00'))).toBe(2);
    expect(meetingReminderStage(start, [24, 2], at('2026-12-03T09:30:00+08:00'))).toBeUndefined();
  });

  it('counts working days for approval reminders, skipping holidays', () => {
    const submitted = at('2026-09-30T16:00:00+08:00');
    // 10-01, 10-02, 10-05 are holidays, 10-03/04 a weekend: the first working day is 10-06.
    expect(approvalNudge(submitted, 2, calendar, 9, at('2026-10-06T09:00:00+08:00'), tz)).toBeUndefined();
    expect(approvalNudge(submitted, 2, calendar, 9, at('2026-10-07T08:59:00+08:00'), tz)).toBeUndefined();
    expect(approvalNudge(submitted, 2, calendar, 9, at('2026-10-07T09:00:00+08:00'), tz)).toBe(1);
    expect(approvalNudge(submitted, 2, calendar, 9, at('2026-10-10T09:00:00+08:00'), tz)).toBe(2);
  });

  it('reminds weekly from the annual-meeting day, on working days only', () => {
    expect(weeklyFrom('11-01', 9, calendar, at('2026-10-30T10:00:00+08:00'), tz)).toBeUndefined();
    expect(weeklyFrom('11-01', 9, calendar, at('2026-11-01T10:00:00+08:00'), tz)).toBeUndefined(); // a Sunday
    expect(weeklyFrom('11-01', 9, calendar, at('2026-11-02T10:00:00+08:00'), tz)).toEqual({ year: 2026, week: 0 });
    expect(weeklyFrom('11-01', 9, calendar, at('2026-11-09T10:00:00+08:00'), tz)).toEqual({ year: 2026, week: 1 });
  });

  it('reminds of the four lists 30 and 7 days before they are due, then as overdue', () => {
    const stage = (iso: string) => fourListsStage(DEFAULT_MEETING_SETTINGS, 9, calendar, at(iso), tz);
    expect(stage('2026-02-27T10:00:00+08:00')).toBeUndefined();
    expect(stage('2026-03-02T10:00:00+08:00')).toEqual({ year: 2026, daysBefore: 30 });
    expect(stage('2026-03-24T10:00:00+08:00')).toEqual({ year: 2026, daysBefore: 7 });
    expect(stage('2026-04-01T10:00:00+08:00')).toEqual({ year: 2026, daysBefore: 0 });
  });

  it('reads a meeting’s start from the day and HH:MM', () => {
    expect(meetingStart({ year: 2026, month: 12, day: 3 }, '09:30', tz)?.toISOString()).toBe(
      '2026-12-03T01:30:00.000Z',
    );
    expect(meetingStart({ year: 2026, month: 12, day: 3 }, '9：05', tz)?.toISOString()).toBe(
      '2026-12-03T01:05:00.000Z',
    );
    expect(meetingStart({ year: 2026, month: 12, day: 3 }, '25:00', tz)).toBeUndefined();
    expect(meetingStart({ year: 2026, month: 12, day: 3 }, '上午', tz)).toBeUndefined();
  });
});
