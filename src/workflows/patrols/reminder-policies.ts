import type { Directory } from '../../domain/directory/directory.js';
import { DEFAULT_REMINDER_POLICIES, type ReminderPolicy } from '../../domain/patrols/reminder-plan.js';
import type { PeriodKind } from '../../domain/time/period.js';

/** Reminder stages as the directory configures them (defaults: 7/2 days monthly, 20/5 quarterly, 09:00). */
export function reminderPolicies(directory: Directory): Readonly<Record<PeriodKind, ReminderPolicy>> {
  const r = directory.reminders;
  return {
    month: { daysBeforeEnd: r.monthDaysBefore, hour: r.hour },
    quarter: { daysBeforeEnd: r.quarterDaysBefore, hour: r.hour },
    year: { ...DEFAULT_REMINDER_POLICIES.year, hour: r.hour },
  };
}

/** Art. 6: the liaison unit is asked ahead of its district river chief's monthly patrol. */
export function liaisonPolicies(directory: Directory): Readonly<Record<PeriodKind, ReminderPolicy>> {
  const hour = directory.reminders.hour;
  return {
    month: { daysBeforeEnd: [directory.reminders.liaisonDaysBefore], hour },
    quarter: { daysBeforeEnd: [30], hour },
    year: { daysBeforeEnd: [45], hour },
  };
}
