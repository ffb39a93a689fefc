import type { ChiefDuty, Directory } from '../../domain/directory/directory.js';
import { reminderKey } from '../../domain/patrols/duty-key.js';
import { reminderStages } from '../../domain/patrols/reminder-plan.js';
import type { Period } from '../../domain/time/period.js';
import { WorkCalendar } from '../../domain/time/work-calendar.js';
import { updateDeliveredCards } from '../card-copies.js';
import type { CardJson, Messenger } from '../ports.js';
import { reminderPolicies } from './reminder-policies.js';
import type { DrawnAt } from './reminder-view.js';

/** Every reminder card already sent for this duty and period (one per stage) shows the same state. */
export async function refreshReminderCopies(
  messenger: Messenger,
  directory: Directory,
  duty: ChiefDuty,
  period: Period,
  card: CardJson,
  { now, timeZone }: DrawnAt,
): Promise<void> {
  const stages = reminderStages(
    period,
    reminderPolicies(directory)[period.kind],
    new WorkCalendar(directory.calendar),
    timeZone,
  );
  const keys = stages.map((stage) => reminderKey(duty, period.key, stage.stage));
  await updateDeliveredCards(messenger, keys, String(now.getTime()), card);
}
