import { describe, expect, it } from 'vitest';
import { issueNumber, numberPrefix, parseIssueRef } from '../../src/domain/issues/issue.js';
import {
  DEFAULT_ISSUE_SETTINGS,
  deadlineFor,
  deadlineStatus,
  supervisionDue,
  supervisionSteps,
} from '../../src/domain/issues/supervision.js';
import { WorkCalendar } from '../../src/domain/time/work-calendar.js';

const tz = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);
const local = (d: Date) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'short' }).format(d);

describe('problem numbers', () => {
  it('reads like an office document number, per district and year', () => {
    expect(issueNumber(numberPrefix('金口河区'), 2026, 42)).toBe('金口河〔2026〕第0042号');
    expect(numberPrefix('峨边彝族自治县')).toBe('峨边彝族');
    expect(numberPrefix('金口河区', '金河')).toBe('金河');
  });

  it('understands what people type', () => {
    expect(parseIssueRef('0042')).toEqual({ seq: 42 });
    expect(parseIssueRef('42')).toEqual({ seq: 42 });
    expect(parseIssueRef('第42号')).toEqual({ seq: 42 });
    expect(parseIssueRef('金口河〔2026〕第0042号')).toEqual({ year: 2026, seq: 42 });
    expect(parseIssueRef('〔2025〕7')).toEqual({ year: 2025, seq: 7 });
    expect(parseIssueRef('2026-0042')).toEqual({ year: 2026, seq: 42 });
    expect(parseIssueRef('JKH-2026-0042')).toEqual({ year: 2026, seq: 42 });
    expect(parseIssueRef('野牛河')).toBeUndefined();
    expect(parseIssueRef('0')).toBeUndefined();
  });
});

describe('deadlines', () => {
  it('a deadline day ends at local midnight, and is shown as days left or overdue', () => {
    const deadline = deadlineFor({ year: 2026, month: 12, day: 4 }, tz);
    expect(deadline.toISOString()).toBe('2026-12-04T16:00:00.000Z');
    expect(deadlineStatus(deadline, at('2026-12-01T23:59:00+08:00'), tz)).toBe('剩3天');
    expect(deadlineStatus(deadline, at('2026-12-04T23:59:00+08:00'), tz)).toBe('今日到期');
    expect(deadlineStatus(deadline, at('2026-12-05T00:01:00+08:00'), tz)).toBe('已逾期1天');
  });
});

describe('the supervision ladder', () => {
  const calendar = new WorkCalendar({
    holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  });
  const steps = (deadline: string, setAt: string) =>
    supervisionSteps(
      deadlineFor({ year: +deadline.slice(0, 4), month: +deadline.slice(5, 7), day: +deadline.slice(8, 10) }, tz),
      at(setAt),
      DEFAULT_ISSUE_SETTINGS,
      9,
      calendar,
      tz,
    );

  it('reminds 3 and 1 days before, then overdue, then suggests 提示 and 通报, on working days at 09:00', () => {
    const ladder = steps('2026-12-04', '2026-11-24T10:00:00+08:00');
    expect(ladder.map((s) => `${s.name} ${local(s.at)}`)).toEqual([
      'before3 2026-12-01 09:00',
      'before1 2026-12-03 09:00',
      'overdue 2026-12-07 09:00', // 5 Dec is a Saturday
      'prompt 2026-12-08 09:00',
      'bulletin 2026-12-15 09:00',
    ]);
  });

  it('moves a reminder that falls on a holiday to the working day before', () => {
    const ladder = steps('2026-10-08', '2026-09-20T10:00:00+08:00');
    // 5 Oct (3 days before) and 7 Oct (1 day before) are holidays: both move to 30 Sep, sent once.
    expect(ladder.filter((s) => s.kind === 'dueSoon').map((s) => `${s.name} ${local(s.at)}`)).toEqual([
      'before3 2026-09-30 09:00',
    ]);
    expect(ladder.find((s) => s.kind === 'overdue')?.at).toEqual(at('2026-10-09T09:00:00+08:00'));
  });

  it('leaves out steps that fall before the deadline was set', () => {
    const ladder = steps('2026-12-04', '2026-12-02T15:00:00+08:00');
    expect(ladder.map((s) => s.name)).toEqual(['before1', 'overdue', 'prompt', 'bulletin']);
  });

  it('acts on the latest step due (a missed earlier one is superseded) and says when to look again', () => {
    const ladder = steps('2026-12-04', '2026-11-24T10:00:00+08:00');
    expect(supervisionDue(ladder, at('2026-11-30T12:00:00+08:00'))).toMatchObject({
      due: undefined,
      nextAt: at('2026-12-01T09:00:00+08:00'),
    });
    const late = supervisionDue(ladder, at('2026-12-09T12:00:00+08:00'));
    expect(late.due?.name).toBe('prompt');
    expect(late.nextAt).toEqual(at('2026-12-15T09:00:00+08:00'));
    expect(supervisionDue(ladder, at('2026-12-20T12:00:00+08:00'))).toMatchObject({
      due: { name: 'bulletin' },
      nextAt: undefined,
    });
  });
});
