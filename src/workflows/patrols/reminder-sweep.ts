import { messageKey } from '../../domain/delivery/message-keys.js';
import { type ChiefDuty, chiefDuties, personName } from '../../domain/directory/directory.js';
import { goLiveDay } from '../../domain/directory/go-live.js';
import { decideReminders } from '../../domain/patrols/decide-reminders.js';
import { dutyKey, reminderKey } from '../../domain/patrols/duty-key.js';
import { CHIEF_ROLE_NAMES, SEED_OBLIGATIONS } from '../../domain/patrols/obligation.js';
import { overdueDuties } from '../../domain/patrols/overdue.js';
import { monthDay } from '../../domain/time/format.js';
import { type PeriodKind, periodContaining, periodLabel } from '../../domain/time/period.js';
import { WorkCalendar } from '../../domain/time/work-calendar.js';
import { formatLocalDate, toLocal } from '../../domain/time/zoned.js';
import type { Logger } from '../../log/logger.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { PatrolStore } from '../../store/patrol-store.js';
import type { Messenger } from '../ports.js';
import { dutyStates } from './duty-states.js';
import { liaisonView } from './liaison.js';
import { reminderRecipient } from './recipients.js';
import { liaisonPolicies, reminderPolicies } from './reminder-policies.js';
import { reminderView } from './reminder-view.js';
import type { PatrolCardPresenter } from './views.js';
import { waterName } from './water-names.js';

/** What the sweep reads and sends with. */
export interface PatrolSweepDeps {
  directory: Pick<DirectoryStore, 'loadDirectory'>;
  patrols: PatrolStore;
  messenger: Messenger;
  cards: PatrolCardPresenter;
  timeZone: string;
  logger: Logger;
}

const PERIOD_WORDS: Record<PeriodKind, string> = { month: '每月', quarter: '每季度', year: '每年' };

/** `区级河湖长每月至少巡河1次` */
function dutyText(duty: ChiefDuty): string {
  return `${CHIEF_ROLE_NAMES[duty.role]}${PERIOD_WORDS[duty.obligation.period]}至少巡河${duty.obligation.times}次`;
}

/**
 * The patrol job's body: reminders due at `now` (once-only per chief, water body, period
 * and stage), then overdue notices to chiefs whose last period ended unmet (once each) and
 * the office's daily digest of them. Nothing goes out on non-working days or before the hour.
 */
export async function sweepPatrols(
  deps: PatrolSweepDeps,
  now: Date,
): Promise<{ reminders: number; overdue: number; digest: boolean }> {
  const directory = await deps.directory.loadDirectory();
  if (!directory) return { reminders: 0, overdue: 0, digest: false };
  const tz = deps.timeZone;
  const calendar = new WorkCalendar(directory.calendar);
  const duties = chiefDuties(directory, SEED_OBLIGATIONS);
  // From the patrol figures: a bounded number of queries, whatever the number of chiefs.
  const states = [...(await dutyStates(deps.patrols, duties, now, tz))];
  const since = Math.min(...duties.map((d) => periodContaining(d.obligation.period, now, tz).start.getTime()));
  const notesOf = await deps.patrols.notesSince(new Date(since));

  let reminders = 0;
  for (const decision of decideReminders(states, {
    now,
    timeZone: tz,
    calendar,
    policies: reminderPolicies(directory),
    goLive: goLiveDay(directory, tz),
  })) {
    const target = reminderRecipient(directory, decision.duty);
    if (!target) {
      deps.logger.warn({ duty: dutyKey(decision.duty) }, 'chief has no Feishu account or chat; reminder not sent');
      continue;
    }
    const notes = decision.duty.waterBodyId
      ? notesOf(decision.duty.waterBodyId, decision.period.key)
      : { keyProblems: [], focus: [] };
    const view = reminderView(
      directory,
      decision.duty,
      decision.period,
      { now, timeZone: tz },
      {
        year: { done: decision.yearDone, target: decision.yearTarget },
        plannedDay: undefined,
        mentionOpenId: target.mention,
        notes,
      },
    );
    await deps.messenger.send(reminderKey(decision.duty, decision.period.key, decision.stage.stage), target.to, {
      kind: 'card',
      card: deps.cards.reminder(view),
    });
    reminders += 1;
  }

  // Art. 6: the liaison unit is asked for its 明查暗访 ahead of its district river chief's patrol.
  const riverDuties = states
    .filter((st) => st.duty.role === 'riverChief')
    .map((st) => ({ duty: st.duty, patrolTimes: st.patrolTimes }));
  for (const decision of decideReminders(riverDuties, {
    now,
    timeZone: tz,
    calendar,
    policies: liaisonPolicies(directory),
  })) {
    const water = directory.waterBodies.find((w) => w.id === decision.duty.waterBodyId);
    const unit = directory.units.find((u) => u.id === water?.liaisonUnit);
    if (!water || !unit?.chatId) continue;
    const view = liaisonView(directory, decision.duty, decision.period, undefined);
    if (!view) continue;
    await deps.messenger.send(
      messageKey('liaisonRequest', { waterId: water.id, periodKey: decision.period.key }),
      { chatId: unit.chatId },
      {
        kind: 'card',
        card: deps.cards.liaisonRequest(view),
      },
    );
  }

  const today = toLocal(now, tz);
  const afterHour = today.hour >= directory.reminders.hour;
  if (!calendar.isWorkingDay(today) || !afterHour) return { reminders, overdue: 0, digest: false };
  const overdue = overdueDuties(states, now, tz, goLiveDay(directory, tz));
  let notices = 0;
  for (const item of overdue) {
    // Told privately: an overdue patrol is not announced in the water body's group.
    const chief = directory.people.find((p) => p.id === item.duty.personId);
    if (!chief?.openId) continue;
    await deps.messenger.send(
      messageKey('patrolOverdue', { dutyKey: dutyKey(item.duty), periodKey: item.period.key }),
      { openId: chief.openId },
      {
        kind: 'card',
        card: deps.cards.overdue({
          chiefName: chief.name,
          waterBodyName: waterName(directory, item.duty),
          periodName: periodLabel(item.period, false),
          dutyText: dutyText(item.duty),
          dutyKey: dutyKey(item.duty),
          periodKey: item.period.key,
        }),
      },
    );
    notices += 1;
  }
  const officeChat =
    overdue.length > 0 ? directory.units.find((u) => u.kind === 'riverChiefOffice')?.chatId : undefined;
  if (officeChat) {
    const items = overdue.map((item) => {
      const name = personName(directory, item.duty.personId);
      return `${CHIEF_ROLE_NAMES[item.duty.role]} ${name} · ${waterName(directory, item.duty) ?? '全区'} · ${periodLabel(item.period, false)}巡河${item.done}/${item.duty.obligation.times}次`;
    });
    await deps.messenger.send(
      messageKey('patrolOverdueDigest', { day: formatLocalDate(today) }),
      { chatId: officeChat },
      {
        kind: 'card',
        card: deps.cards.overdueDigest({ date: monthDay(today), items }),
      },
    );
  }
  return { reminders, overdue: notices, digest: officeChat !== undefined };
}
