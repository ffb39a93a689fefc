import { type ChiefDuty, type Directory, personName } from '../../domain/directory/directory.js';
import { dutyKey } from '../../domain/patrols/duty-key.js';
import { daysLeft } from '../../domain/patrols/reminder-plan.js';
import { monthDay } from '../../domain/time/format.js';
import { contains, type Period, periodLabel } from '../../domain/time/period.js';
import { type LocalDate, toLocal } from '../../domain/time/zoned.js';
import type { PatrolFact } from '../../store/patrol-store.js';
import type { PatrolReminderView } from './views.js';
import { waterName } from './water-names.js';

/** When a card is drawn, and in which time zone its days are told. */
export interface DrawnAt {
  now: Date;
  timeZone: string;
}

/** The liaison unit's notes for a water body and period: 重难点问题 and 本次巡河关注事项. */
export interface PatrolNotes {
  keyProblems: string[];
  focus: string[];
}

/** What the reminder card shows beyond the duty and its period. */
export interface ReminderFacts {
  /** 本年已巡河 against the year's duty (yearProgress). */
  year: { done: number; target: number };
  plannedDay: LocalDate | undefined;
  mentionOpenId: string | undefined;
  notes: PatrolNotes;
}

/** A duty's reminder card for a period, before any patrol fulfils it; the same whether a sweep or a tap draws it. */
export function reminderView(
  directory: Directory,
  duty: ChiefDuty,
  period: Period,
  { now, timeZone }: DrawnAt,
  facts: ReminderFacts,
): PatrolReminderView {
  return {
    chiefName: personName(directory, duty.personId),
    mentionOpenId: facts.mentionOpenId,
    waterBodyName: waterName(directory, duty),
    periodLabel: periodLabel(period, contains(period, now)),
    deadline: monthDay(period.lastDay),
    daysLeft: Math.max(daysLeft(period, now, timeZone), 0),
    yearDone: facts.year.done,
    yearTarget: facts.year.target,
    dutyKey: dutyKey(duty),
    periodKey: period.key,
    plannedDay: facts.plannedDay ? monthDay(facts.plannedDay) : undefined,
    keyProblems: facts.notes.keyProblems,
    focus: facts.notes.focus,
  };
}

/** What a fulfilled card says of the patrol that fulfils it: when, by whom, and whether on the chief's behalf. */
export function recordedPatrol(
  directory: Directory,
  duty: ChiefDuty,
  latest: PatrolFact,
  timeZone: string,
): NonNullable<PatrolReminderView['recorded']> {
  const day = (at: Date) => monthDay(toLocal(at, timeZone));
  // A 补记 says both when it happened and when it was entered.
  const dateLabel = latest.late
    ? `${day(latest.patrolledAt)}巡河，${day(latest.enteredAt)}补记`
    : day(latest.patrolledAt);
  return {
    dateLabel,
    recordedByName: personName(directory, latest.recordedBy),
    onBehalf: latest.recordedBy !== duty.personId,
    patrolId: latest.id,
    version: latest.version,
  };
}
