import type { ChiefDuty, Directory } from '../../domain/directory/directory.js';
import { goLiveDay } from '../../domain/directory/go-live.js';
import { dutyKey } from '../../domain/patrols/duty-key.js';
import { yearProgress } from '../../domain/patrols/obligation.js';
import { periodStanding } from '../../domain/patrols/standing.js';
import { type Period, periodContaining } from '../../domain/time/period.js';
import { countsOf, figureKey, refOfDuty } from '../../store/figures/patrol-figures.js';
import type { PatrolStore } from '../../store/patrol-store.js';
import { dutyPatrols } from './duty-patrols.js';
import { reminderRecipient } from './recipients.js';
import { type DrawnAt, type PatrolNotes, recordedPatrol, reminderView } from './reminder-view.js';
import type { PatrolReminderView } from './views.js';

/** The liaison unit's notes on the duty's water body this period (none for the district-wide duty). */
export function notesFor(patrols: Pick<PatrolStore, 'notes'>, duty: ChiefDuty, period: Period): Promise<PatrolNotes> {
  return duty.waterBodyId
    ? patrols.notes(duty.waterBodyId, period.key)
    : Promise.resolve({ keyProblems: [], focus: [] });
}

/**
 * A duty's reminder card state now: this year's patrols, any plan, the liaison unit's notes;
 * when the period's duty is fulfilled, the latest patrol that fulfils it (periodStanding,
 * the same computation /巡河 uses), whoever recorded it and whenever it was entered.
 */
export async function currentReminderView(
  patrols: PatrolStore,
  directory: Directory,
  duty: ChiefDuty,
  period: Period,
  at: DrawnAt,
): Promise<PatrolReminderView> {
  const { now, timeZone } = at;
  const planKey = `${dutyKey(duty)}:${period.key}`;
  const year = periodContaining('year', now, timeZone).year;
  const [plans, recorded, sheet] = await Promise.all([
    patrols.plans([planKey]),
    // The duty's patrols from the start of the period on (its standing, and the latest to show).
    patrols.factsSince(period.start, [duty.personId]).then((facts) => dutyPatrols(facts, duty)),
    patrols.sheetOf(duty, year),
  ]);
  // 本年已巡河 from the patrol figures; the card's own period from its patrols (it shows the latest, to correct or withdraw).
  const sheets = new Map(sheet ? [[figureKey(refOfDuty(duty, year)), sheet]] : []);
  const view = reminderView(directory, duty, period, at, {
    year: yearProgress(duty.obligation, now, countsOf(sheets, duty), timeZone, goLiveDay(directory, timeZone)),
    plannedDay: plans.get(planKey),
    mentionOpenId: reminderRecipient(directory, duty)?.mention,
    notes: await notesFor(patrols, duty, period),
  });
  const { done, latest } = periodStanding(recorded, period, duty.obligation.times);
  if (!done || !latest) return view;
  return { ...view, recorded: recordedPatrol(directory, duty, latest, timeZone) };
}
