import { describe, expect, it } from 'vitest';
import { currentFulfilment, SEED_OBLIGATIONS, yearProgress } from '../../src/domain/patrols/obligation.js';
import { DEFAULT_REMINDER_POLICIES, daysLeft, reminderStages } from '../../src/domain/patrols/reminder-plan.js';
import { periodContaining, periodOf, periodsOfYear, previousPeriod } from '../../src/domain/time/period.js';
import { WorkCalendar } from '../../src/domain/time/work-calendar.js';
import { formatLocalDate, fromLocal, parseLocalDate, toLocal } from '../../src/domain/time/zoned.js';

const TZ = 'Asia/Shanghai';

describe('periods in Asia/Shanghai', () => {
  it('counts a patrol at 23:30 on 31 March for Q1', () => {
    const patrol = new Date('2026-03-31T23:30:00+08:00');
    expect(periodContaining('quarter', patrol, TZ).key).toBe('2026-Q1');
    expect(periodContaining('month', patrol, TZ).key).toBe('2026-03');
  });

  it('counts a patrol at 00:30 on 1 April for Q2, though it is still 31 March in UTC', () => {
    const patrol = new Date('2026-04-01T00:30:00+08:00');
    expect(patrol.toISOString()).toBe('2026-03-31T16:30:00.000Z');
    expect(periodContaining('quarter', patrol, TZ).key).toBe('2026-Q2');
    expect(periodContaining('month', patrol, TZ).key).toBe('2026-04');
  });

  it('gives each period its local bounds and deadline', () => {
    const q4 = periodOf('quarter', 2026, 4, TZ);
    expect(q4.start.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(q4.end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(formatLocalDate(q4.lastDay)).toBe('2026-12-31');
    expect(formatLocalDate(periodOf('month', 2028, 2, TZ).lastDay)).toBe('2028-02-29');
    expect(periodsOfYear('quarter', 2026, TZ).map((p) => p.key)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(previousPeriod(periodOf('month', 2026, 1, TZ), TZ).key).toBe('2025-12');
  });

  it('round-trips local times through instants', () => {
    const at = fromLocal({ year: 2026, month: 11, day: 24, hour: 9 }, TZ);
    expect(at.toISOString()).toBe('2026-11-24T01:00:00.000Z');
    expect(toLocal(at, TZ)).toMatchObject({ year: 2026, month: 11, day: 24, hour: 9, minute: 0 });
    expect(parseLocalDate('2026-02-30')).toBeUndefined();
    expect(parseLocalDate('2026-2-3')).toEqual({ year: 2026, month: 2, day: 3 });
  });
});

describe('patrol duties', () => {
  const patrols = [
    new Date('2026-01-10T10:00:00+08:00'),
    new Date('2026-02-10T10:00:00+08:00'),
    new Date('2026-11-03T10:00:00+08:00'),
    new Date('2025-12-31T23:59:00+08:00'),
  ];

  it('a district river chief owes one patrol each month', () => {
    const november = currentFulfilment(SEED_OBLIGATIONS.riverChief, new Date('2026-11-27T12:00:00+08:00'), patrols, TZ);
    expect(november).toMatchObject({ done: 1, required: 1, fulfilled: true });
    const march = currentFulfilment(SEED_OBLIGATIONS.riverChief, new Date('2026-03-15T12:00:00+08:00'), patrols, TZ);
    expect(march).toMatchObject({ done: 0, fulfilled: false });
    expect(yearProgress(SEED_OBLIGATIONS.riverChief, new Date('2026-11-27T12:00:00+08:00'), patrols, TZ)).toEqual({
      done: 3,
      target: 12,
    });
  });

  it('the general chief owes one patrol each quarter, four a year', () => {
    const q1 = currentFulfilment(SEED_OBLIGATIONS.generalChief, new Date('2026-03-31T20:00:00+08:00'), patrols, TZ);
    expect(q1).toMatchObject({ done: 2, required: 1, fulfilled: true });
    expect(yearProgress(SEED_OBLIGATIONS.generalChief, new Date('2026-06-01T00:00:00+08:00'), patrols, TZ).target).toBe(
      4,
    );
  });

  it('owes nothing for the periods that ended before the district went live', () => {
    const goLive = { year: 2026, month: 11, day: 15 };
    // November (the go-live month) and December are owed; patrols before November are not counted.
    expect(
      yearProgress(SEED_OBLIGATIONS.riverChief, new Date('2026-11-27T12:00:00+08:00'), patrols, TZ, goLive),
    ).toEqual({
      done: patrols.filter(
        (p) => p >= new Date('2026-11-01T00:00:00+08:00') && p < new Date('2027-01-01T00:00:00+08:00'),
      ).length,
      target: 2,
    });
    expect(
      yearProgress(SEED_OBLIGATIONS.generalChief, new Date('2026-11-27T12:00:00+08:00'), patrols, TZ, goLive).target,
    ).toBe(1);
  });
});

describe('reminder stages', () => {
  const plain = new WorkCalendar();

  it('reminds 7 and 2 days before the end of a month at 09:00 local on working days', () => {
    // November 2026: the 24th is a Tuesday; the 29th is a Sunday, so "2 days before" moves to Friday the 27th.
    const stages = reminderStages(periodOf('month', 2026, 11, TZ), DEFAULT_REMINDER_POLICIES.month, plain, TZ);
    expect(stages.map((s) => [s.stage, formatLocalDate(s.day), s.at.toISOString()])).toEqual([
      ['d7', '2026-11-24', '2026-11-24T01:00:00.000Z'],
      ['d2', '2026-11-27', '2026-11-27T01:00:00.000Z'],
    ]);
  });

  it('reminds 20 and 5 days before the end of a quarter', () => {
    const stages = reminderStages(periodOf('quarter', 2026, 1, TZ), DEFAULT_REMINDER_POLICIES.quarter, plain, TZ);
    // 12 March 2026 is a Thursday; 27 March a Friday.
    expect(stages.map((s) => formatLocalDate(s.day))).toEqual(['2026-03-12', '2026-03-27']);
  });

  it('skips holidays and uses make-up working days (调休)', () => {
    // Pretend the whole 24–27 November are holidays, and Sunday the 22nd is worked instead.
    const calendar = new WorkCalendar({
      holidays: ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'],
      makeUpWorkdays: ['2026-11-22'],
    });
    const stages = reminderStages(periodOf('month', 2026, 11, TZ), DEFAULT_REMINDER_POLICIES.month, calendar, TZ);
    // d7 (24th) moves back to the make-up Sunday 22nd; d2 (29th) moves back past the holidays to the same day: sent once.
    expect(stages.map((s) => [s.stage, formatLocalDate(s.day)])).toEqual([['d7', '2026-11-22']]);
  });

  it('counts days left with today and the last day included', () => {
    const november = periodOf('month', 2026, 11, TZ);
    expect(daysLeft(november, new Date('2026-11-28T08:00:00+08:00'), TZ)).toBe(3);
    expect(daysLeft(november, new Date('2026-11-30T23:00:00+08:00'), TZ)).toBe(1);
    expect(daysLeft(november, new Date('2026-11-24T00:10:00+08:00'), TZ)).toBe(7);
  });
});
