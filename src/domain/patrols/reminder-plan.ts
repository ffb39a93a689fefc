import type { Period, PeriodKind } from '../time/period.js';
import type { WorkCalendar } from '../time/work-calendar.js';
import { addDays, compareLocalDates, daysBetween, fromLocal, type LocalDate, toLocal } from '../time/zoned.js';

/**
 * When a chief who has not patrolled yet is reminded within a period. Reminders go out at a
 * sensible local hour on working days only; a stage that falls on a holiday or weekend moves
 * to the working day before it, so the chief never hears later than intended.
 */
export interface ReminderPolicy {
  /** Days before the period's end for each stage, e.g. [7, 2] for monthly duties. */
  daysBeforeEnd: readonly number[];
  /** Local hour (0–23) at which reminders go out. */
  hour: number;
}

export const DEFAULT_REMINDER_POLICIES: Readonly<Record<PeriodKind, ReminderPolicy>> = {
  month: { daysBeforeEnd: [7, 2], hour: 9 },
  quarter: { daysBeforeEnd: [20, 5], hour: 9 },
  year: { daysBeforeEnd: [30, 10], hour: 9 },
};

export interface ReminderStage {
  /** `d7`, `d2`: part of the once-only key (person, water body, period, stage). */
  stage: string;
  /** The local day it is sent, and the instant. */
  day: LocalDate;
  at: Date;
}

/**
 * The reminder stages of one period, in time order. "N days before the end" is the day from
 * which N days remain, the last day included: for November, 7 days before is 24 November.
 */
export function reminderStages(
  period: Period,
  policy: ReminderPolicy,
  calendar: WorkCalendar,
  timeZone: string,
): ReminderStage[] {
  const stages: ReminderStage[] = [];
  const seen = new Set<string>();
  for (const days of [...policy.daysBeforeEnd].sort((a, b) => b - a)) {
    let target = addDays(period.lastDay, -(days - 1));
    if (compareLocalDates(target, period.firstDay) < 0) target = period.firstDay;
    const day =
      calendar.workingDayOnOrBefore(target, period.firstDay) ?? calendar.workingDayOnOrAfter(target, period.lastDay);
    if (!day) continue;
    const key = `${day.year}-${day.month}-${day.day}`;
    if (seen.has(key)) continue; // two stages moved onto one day: send once
    seen.add(key);
    stages.push({ stage: `d${days}`, day, at: fromLocal({ ...day, hour: policy.hour }, timeZone) });
  }
  return stages;
}

/** Calendar days left until the period's deadline, today and the last day included. */
export function daysLeft(period: Period, now: Date, timeZone: string): number {
  return daysBetween(toLocal(now, timeZone), period.lastDay) + 1;
}
