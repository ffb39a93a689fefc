import type { WorkCalendar } from '../time/work-calendar.js';
import { addDays, daysBetween, fromLocal, type LocalDate, toLocal } from '../time/zoned.js';
import type { Urgency } from './issue.js';

/**
 * 督办: how an assigned problem is chased. Before its deadline the assignee unit is reminded
 * (default 3 days and 1 day before); once it passes, the ladder runs: the unit and its
 * township chief, then, after configurable days, the River Chief Office with a suggested
 * 提示 and later 通报, which the office confirms (seed art. 8, 14, 20–21).
 */

export interface IssueSettings {
  /** Days before the deadline on which the assignee unit is reminded. */
  remindDaysBefore: number[];
  /** Days overdue after which the office is asked to confirm a 提示. */
  promptAfterDays: number;
  /** Days overdue after which the office is asked to confirm a 通报. */
  bulletinAfterDays: number;
  /** 责任退回 is allowed this many hours after assignment. */
  returnWindowHours: number;
  /** The name in problem numbers (金口河〔2026〕第0042号); the district's name without 区 by default. */
  numberPrefix?: string;
  /** The 整改期限 the 交办 form proposes: this many working days after today, per urgency. */
  deadlineWorkingDays: Record<Urgency, number>;
  /** The 延期至 the extension form proposes: this many working days after the current deadline. */
  extensionWorkingDays: number;
}

export const DEFAULT_ISSUE_SETTINGS: IssueSettings = {
  remindDaysBefore: [3, 1],
  promptAfterDays: 3,
  bulletinAfterDays: 10,
  returnWindowHours: 24,
  deadlineWorkingDays: { normal: 15, expedited: 7, urgent: 3 },
  extensionWorkingDays: 10,
};

/**
 * The day a date picker proposes: for a 交办, the working days the directory sets for the
 * problem's urgency after today; for a 延期, the usual extension after the current deadline
 * (or after today, when that has passed). Never today, which no deadline can be.
 */
export function proposedDeadline(
  input: { kind: 'assign'; urgency: Urgency } | { kind: 'extension'; current: LocalDate | undefined },
  today: LocalDate,
  settings: Pick<IssueSettings, 'deadlineWorkingDays' | 'extensionWorkingDays'>,
  calendar: WorkCalendar,
): LocalDate {
  if (input.kind === 'assign') return calendar.addWorkingDays(today, settings.deadlineWorkingDays[input.urgency]);
  const from = input.current && daysBetween(today, input.current) > 0 ? input.current : today;
  return calendar.addWorkingDays(from, settings.extensionWorkingDays);
}

/** A deadline is a day: the problem is overdue from the start of the next local day. */
export function deadlineFor(day: LocalDate, timeZone: string): Date {
  return fromLocal(addDays(day, 1), timeZone);
}

/** The local day a deadline instant stands for. */
export function deadlineDay(deadline: Date, timeZone: string): LocalDate {
  return toLocal(new Date(deadline.getTime() - 1), timeZone);
}

/** Days from today to the deadline day: positive left, 0 due today, negative overdue. */
export function daysToDeadline(deadline: Date, now: Date, timeZone: string): number {
  return daysBetween(toLocal(now, timeZone), deadlineDay(deadline, timeZone));
}

/** `剩3天`, `今日到期`, `已逾期2天` */
export function deadlineStatus(deadline: Date, now: Date, timeZone: string): string {
  const days = daysToDeadline(deadline, now, timeZone);
  if (days > 0) return `剩${days}天`;
  return days === 0 ? '今日到期' : `已逾期${-days}天`;
}

export type SupervisionStep =
  | { name: string; kind: 'dueSoon'; daysBefore: number; at: Date }
  | { name: string; kind: 'overdue'; at: Date }
  | { name: string; kind: 'escalate'; suggest: 'prompt' | 'bulletin'; daysOverdue: number; at: Date };

/**
 * The ladder for one deadline, in time order, sent at the reminder hour on working days.
 * Reminders before the deadline move to the working day before; overdue steps to the
 * working day after. Steps that would fall before the deadline was set are left out.
 */
export function supervisionSteps(
  deadline: Date,
  deadlineSetAt: Date,
  settings: IssueSettings,
  hour: number,
  calendar: WorkCalendar,
  timeZone: string,
): SupervisionStep[] {
  const last = deadlineDay(deadline, timeZone);
  const setDay = toLocal(deadlineSetAt, timeZone);
  const steps: SupervisionStep[] = [];
  const seen = new Set<number>();
  const at = (day: LocalDate) => fromLocal({ ...day, hour }, timeZone);
  const push = (step: SupervisionStep) => {
    if (step.at.getTime() <= deadlineSetAt.getTime() || seen.has(step.at.getTime())) return;
    seen.add(step.at.getTime());
    steps.push(step);
  };
  for (const days of [...settings.remindDaysBefore].sort((a, b) => b - a)) {
    const day = calendar.workingDayOnOrBefore(addDays(last, -days), setDay);
    if (day) push({ name: `before${days}`, kind: 'dueSoon', daysBefore: daysBetween(day, last), at: at(day) });
  }
  const afterDue = (days: number) =>
    calendar.workingDayOnOrAfter(addDays(last, 1 + days), addDays(last, 1 + days + 30));
  const overdue = afterDue(0);
  if (overdue) push({ name: 'overdue', kind: 'overdue', at: at(overdue) });
  const ladder: Array<['prompt' | 'bulletin', number]> = [
    ['prompt', settings.promptAfterDays],
    ['bulletin', settings.bulletinAfterDays],
  ];
  for (const [suggest, days] of ladder) {
    const day = afterDue(days);
    if (day) push({ name: suggest, kind: 'escalate', suggest, daysOverdue: daysBetween(last, day), at: at(day) });
  }
  return steps.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The step to act on now (the latest one due: a missed earlier step is superseded) and when to look again. */
export function supervisionDue(
  steps: SupervisionStep[],
  now: Date,
): { due: SupervisionStep | undefined; nextAt: Date | undefined } {
  let due: SupervisionStep | undefined;
  let nextAt: Date | undefined;
  for (const step of steps) {
    if (step.at.getTime() <= now.getTime()) due = step;
    else if (!nextAt) nextAt = step.at;
  }
  return { due, nextAt };
}
