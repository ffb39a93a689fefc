import type { ChiefDuty } from '../directory/directory.js';
import { type Period, type PeriodKind, periodContaining } from '../time/period.js';
import type { WorkCalendar } from '../time/work-calendar.js';
import { compareLocalDates, type LocalDate, toLocal } from '../time/zoned.js';
import { owedThisYear, progressOver } from './obligation.js';
import { countIn, type PatrolCounts } from './patrol-counts.js';
import { daysLeft, type ReminderPolicy, type ReminderStage, reminderStages } from './reminder-plan.js';

/** What the sweep knows of one duty: the chief's patrol times this year and any plan. */
export interface DutyState {
  duty: ChiefDuty;
  /** Patrols counting for this duty (times in any order, or counts per period); those outside this year are ignored. */
  patrolTimes: PatrolCounts;
  /** 已安排: the chief plans to patrol on this day; no reminder until then. */
  plannedDay?: LocalDate;
}

export interface ReminderDecision {
  duty: ChiefDuty;
  period: Period;
  stage: ReminderStage;
  daysLeft: number;
  /** Patrols this year against the yearly duty (本年已巡河10/12次). */
  yearDone: number;
  yearTarget: number;
}

export interface SweepContext {
  now: Date;
  timeZone: string;
  calendar: WorkCalendar;
  policies: Readonly<Record<PeriodKind, ReminderPolicy>>;
  /** 启用日期: periods that ended before it are not owed (本年已巡河 counts from it). */
  goLive?: LocalDate;
}

/**
 * The reminders due at `now`, at most one per duty: the latest stage of the current period
 * whose time has come, when the duty is not yet met, today is a working day, and no plan
 * postpones it. Sending is once-only by key, so a stage missed while the bot was down goes
 * out on the next working day, and a stage already sent is never repeated.
 *
 * Periods and stages depend only on the duty's period kind, so they are computed once per
 * kind, not per chief: deciding for 100,000 chiefs stays linear and cheap.
 */
export function decideReminders(states: Iterable<DutyState>, ctx: SweepContext): ReminderDecision[] {
  const today = toLocal(ctx.now, ctx.timeZone);
  if (!ctx.calendar.isWorkingDay(today)) return [];
  const perKind = new Map<
    PeriodKind,
    { period: Period; stage: ReminderStage | undefined; daysLeft: number; owed: Period[] }
  >();
  const forKind = (kind: PeriodKind) => {
    let entry = perKind.get(kind);
    if (!entry) {
      const period = periodContaining(kind, ctx.now, ctx.timeZone);
      const due = reminderStages(period, ctx.policies[kind], ctx.calendar, ctx.timeZone).filter(
        (s) => s.at.getTime() <= ctx.now.getTime(),
      );
      entry = {
        period,
        stage: due.at(-1),
        daysLeft: daysLeft(period, ctx.now, ctx.timeZone),
        owed: owedThisYear(kind, ctx.now, ctx.timeZone, ctx.goLive),
      };
      perKind.set(kind, entry);
    }
    return entry;
  };

  const decisions: ReminderDecision[] = [];
  for (const state of states) {
    const { period, stage, daysLeft: left, owed } = forKind(state.duty.obligation.period);
    if (!stage) continue;
    if (state.plannedDay && compareLocalDates(state.plannedDay, today) >= 0) continue;
    const inPeriod = countIn(state.patrolTimes, period);
    if (inPeriod >= state.duty.obligation.times) continue;
    const year = progressOver(state.duty.obligation, owed, state.patrolTimes);
    decisions.push({
      duty: state.duty,
      period,
      stage,
      daysLeft: left,
      yearDone: year.done,
      yearTarget: year.target,
    });
  }
  return decisions;
}
