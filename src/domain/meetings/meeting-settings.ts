import type { WorkCalendar } from '../time/work-calendar.js';
import { addDays, compareLocalDates, daysBetween, fromLocal, type LocalDate, toLocal } from '../time/zoned.js';

/**
 * When meeting and document reminders go out (seed art. 5, 10, 12): before a meeting, to an
 * approver who has not acted, to 区总河长办公室 when no 总河长会议 has been held by a date,
 * for the yearly 联席会议 rotation, and before the four lists are due. Pure.
 */
export interface MeetingSettings {
  /** Minutes numbers: 金总河长办纪〔2026〕3号; default from the district's name. */
  minutesPrefix?: string;
  /** Other documents: 金总河长办发〔2026〕8号. */
  documentPrefix?: string;
  /** Hours before a meeting that participants are reminded. */
  remindHoursBefore: number[];
  /** Working days an approver may leave a draft before being reminded (and again after as many). */
  approvalRemindAfterDays: number;
  /** `MM-DD`: if no 总河长会议 has been held or scheduled this year by then, 区总河长办公室 is reminded weekly. */
  generalMeetingBy: string;
  /** `MM-DD`: each year the River Chief Office hears whose turn it is to convene each 联席会议. */
  jointMeetingRemindOn: string;
  /** `MM-DD`: the yearly 四张清单 are due (published) by this day. */
  fourListsDueOn: string;
  /** Days before that due day that the liaison unit is reminded. */
  fourListsRemindDaysBefore: number[];
}

export const DEFAULT_MEETING_SETTINGS: MeetingSettings = {
  remindHoursBefore: [24, 2],
  approvalRemindAfterDays: 2,
  generalMeetingBy: '11-01',
  jointMeetingRemindOn: '03-01',
  fourListsDueOn: '03-31',
  fourListsRemindDaysBefore: [30, 7],
};

/** `MM-DD` in a year. */
export function dayOfYear(monthDay: string, year: number): LocalDate {
  const [month = 1, day = 1] = monthDay.split('-').map(Number);
  return { year, month, day };
}

/** The latest reminder stage (hours before) whose time has come, before the meeting starts. */
export function meetingReminderStage(startsAt: Date, hoursBefore: number[], now: Date): number | undefined {
  if (now.getTime() >= startsAt.getTime()) return undefined;
  const due = hoursBefore.filter((h) => startsAt.getTime() - h * 3_600_000 <= now.getTime());
  return due.length > 0 ? Math.min(...due) : undefined;
}

/** Whether the reminder hour has come today, on a working day. */
function remindingNow(now: Date, hour: number, calendar: WorkCalendar, timeZone: string): LocalDate | undefined {
  const local = toLocal(now, timeZone);
  return local.hour >= hour && calendar.isWorkingDay(local) ? local : undefined;
}

/**
 * Which reminder an approver is due, counted in working days since the draft was submitted:
 * 1 after `every` working days, 2 after twice as many, …; undefined before the first.
 */
export function approvalNudge(
  submittedAt: Date,
  every: number,
  calendar: WorkCalendar,
  hour: number,
  now: Date,
  timeZone: string,
): number | undefined {
  if (!remindingNow(now, hour, calendar, timeZone) || every < 1) return undefined;
  const nudge = Math.floor(workingDaysSince(submittedAt, calendar, now, timeZone) / every);
  return nudge >= 1 ? nudge : undefined;
}

/** Working days after the day of `since`, up to and including today. */
export function workingDaysSince(since: Date, calendar: WorkCalendar, now: Date, timeZone: string): number {
  const today = toLocal(now, timeZone);
  let worked = 0;
  for (let d = addDays(toLocal(since, timeZone), 1); compareLocalDates(d, today) <= 0; d = addDays(d, 1)) {
    if (calendar.isWorkingDay(d)) worked++;
  }
  return worked;
}

/** From a day in the year on: which week's reminder is due (0 on the day itself), on working days at the hour. */
export function weeklyFrom(
  monthDay: string,
  hour: number,
  calendar: WorkCalendar,
  now: Date,
  timeZone: string,
): { year: number; week: number } | undefined {
  const today = remindingNow(now, hour, calendar, timeZone);
  if (!today) return undefined;
  const since = daysBetween(dayOfYear(monthDay, today.year), today);
  return since >= 0 ? { year: today.year, week: Math.floor(since / 7) } : undefined;
}

/** Once a year from a day on (on the first working day at the hour): the year, or undefined. */
export function yearlyFrom(
  monthDay: string,
  hour: number,
  calendar: WorkCalendar,
  now: Date,
  timeZone: string,
): number | undefined {
  const today = remindingNow(now, hour, calendar, timeZone);
  return today && daysBetween(dayOfYear(monthDay, today.year), today) >= 0 ? today.year : undefined;
}

/**
 * The four lists' reminder due now: the latest of `daysBefore` the due day that has come
 * (0 on and after the due day itself, meaning overdue), for this year's lists.
 */
export function fourListsStage(
  settings: Pick<MeetingSettings, 'fourListsDueOn' | 'fourListsRemindDaysBefore'>,
  hour: number,
  calendar: WorkCalendar,
  now: Date,
  timeZone: string,
): { year: number; daysBefore: number } | undefined {
  const today = remindingNow(now, hour, calendar, timeZone);
  if (!today) return undefined;
  const left = daysBetween(today, dayOfYear(settings.fourListsDueOn, today.year));
  if (left < 0) return { year: today.year, daysBefore: 0 };
  const due = settings.fourListsRemindDaysBefore.filter((d) => left <= d);
  return due.length > 0 ? { year: today.year, daysBefore: Math.min(...due) } : undefined;
}

/** A meeting's start from the day and `HH:MM` people pick. */
export function meetingStart(day: LocalDate, time: string, timeZone: string): Date | undefined {
  const m = /^(\d{1,2})[:：](\d{2})$/.exec(time.trim());
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return undefined;
  return fromLocal({ ...day, hour, minute }, timeZone);
}
