import type { Directory } from '../../domain/directory/directory.js';
import type { IssueSnapshot } from '../../domain/issues/lifecycle.js';
import { type SupervisionStep, supervisionDue, supervisionSteps } from '../../domain/issues/supervision.js';
import { WorkCalendar } from '../../domain/time/work-calendar.js';

/** The district's working days, as the directory's calendar sets them (holidays, make-up days). */
export function workCalendar(directory: Directory): WorkCalendar {
  return new WorkCalendar({
    holidays: directory.calendar.holidays,
    makeUpWorkdays: directory.calendar.makeUpWorkdays,
  });
}

/** The 督办 steps of a deadline set at `setAt`, on the district's settings and working days. */
export function supervisionStepsFor(
  directory: Directory,
  deadline: Date,
  setAt: Date,
  timeZone: string,
): SupervisionStep[] {
  return supervisionSteps(
    deadline,
    setAt,
    directory.issues,
    directory.reminders.hour,
    workCalendar(directory),
    timeZone,
  );
}

/** When the supervision sweep should next look at a problem in this state, or null. */
export function nextSupervisionAt(
  directory: Directory,
  issue: IssueSnapshot,
  now: Date,
  timeZone: string,
): Date | null {
  if ((issue.state !== 'assigned' && issue.state !== 'rectifying') || !issue.deadline) return null;
  const steps = supervisionStepsFor(directory, issue.deadline, issue.deadlineSetAt ?? now, timeZone);
  const { due, nextAt } = supervisionDue(steps, now);
  // Back in rectification after its deadline (退回整改): the due step is acted on at once.
  return due ? now : (nextAt ?? null);
}
