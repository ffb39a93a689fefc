import type { Clock } from '../../domain/clock.js';
import { type ChiefDuty, chiefDuties, type Directory, type Person } from '../../domain/directory/directory.js';
import { goLiveDay } from '../../domain/directory/go-live.js';
import { dutyKey, reminderKey } from '../../domain/patrols/duty-key.js';
import { SEED_OBLIGATIONS, yearProgress } from '../../domain/patrols/obligation.js';
import {
  DEFAULT_REMINDER_POLICIES,
  daysLeft,
  type ReminderPolicy,
  reminderStages,
} from '../../domain/patrols/reminder-plan.js';
import { periodStanding } from '../../domain/patrols/standing.js';
import { mayRecordPatrol } from '../../domain/patrols/who-may-record.js';
import { monthDay } from '../../domain/time/format.js';
import {
  contains,
  type Period,
  type PeriodKind,
  parsePeriodKey,
  periodContaining,
  periodLabel,
} from '../../domain/time/period.js';
import { WorkCalendar } from '../../domain/time/work-calendar.js';
import { type LocalDate, toLocal } from '../../domain/time/zoned.js';
import { ForbiddenError, StaleError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import { countsOf, figureKey, refOfDuty } from '../../store/figures/patrol-figures.js';
import type { PatrolFact, PatrolStore } from '../../store/patrol-store.js';
import { updateDeliveredCards } from '../card-copies.js';
import type { CardJson, Messenger, Recipient } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import type { PatrolCardPresenter, PatrolReminderView } from './views.js';

export interface PatrolDeps {
  directory: DirectoryStore;
  patrols: PatrolStore;
  messenger: Messenger;
  cards: PatrolCardPresenter;
  clock: Clock;
  timeZone: string;
  logger: Logger;
  /** Problems found on a patrol go on to be registered as problems (问题); wired by main. */
  onProblems?: (patrol: {
    key: string;
    chiefId: string;
    recordedBy: string;
    waterBodyId?: string;
    patrolledAt: Date;
    problems: string[];
  }) => Promise<unknown>;
  /** A patrol was withdrawn: the problems registered from it are put to its recorder; wired by main. */
  onWithdrawn?: (patrolKey: string) => Promise<unknown>;
}

/** The patrols that count for a duty. */
export function dutyPatrols(patrols: PatrolFact[], duty: ChiefDuty): PatrolFact[] {
  return patrolsByDuty(patrols)(duty);
}

/**
 * Groups patrols by chief and water body once. The general chief's duty is district-wide;
 * other duties count patrols on their own water body.
 */
function patrolsByDuty(patrols: PatrolFact[]): (duty: ChiefDuty) => PatrolFact[] {
  const byChief = new Map<string, PatrolFact[]>();
  for (const p of patrols) {
    const list = byChief.get(p.chiefId);
    if (list) list.push(p);
    else byChief.set(p.chiefId, [p]);
  }
  return (duty) =>
    (byChief.get(duty.personId) ?? []).filter(
      (p) => duty.role === 'generalChief' || p.waterBodyId === duty.waterBodyId,
    );
}

/**
 * What the patrol workflows share: the directory and records as one person's action or the
 * daily sweep sees them, and the reminder card's state. Both PatrolService (taps, commands)
 * and the sweep build on it, so a card looks the same whoever produced it.
 */
export class PatrolContext {
  constructor(readonly deps: PatrolDeps) {}

  /** Reminder stages as the directory configures them (defaults: 7/2 days monthly, 20/5 quarterly, 09:00). */
  policies(directory: Directory): Readonly<Record<PeriodKind, ReminderPolicy>> {
    const r = directory.reminders;
    return {
      month: { daysBeforeEnd: r.monthDaysBefore, hour: r.hour },
      quarter: { daysBeforeEnd: r.quarterDaysBefore, hour: r.hour },
      year: { ...DEFAULT_REMINDER_POLICIES.year, hour: r.hour },
    };
  }

  /** Art. 6: the liaison unit is asked ahead of its district river chief's monthly patrol. */
  liaisonPolicies(directory: Directory): Readonly<Record<PeriodKind, ReminderPolicy>> {
    const hour = directory.reminders.hour;
    return {
      month: { daysBeforeEnd: [directory.reminders.liaisonDaysBefore], hour },
      quarter: { daysBeforeEnd: [30], hour },
      year: { daysBeforeEnd: [45], hour },
    };
  }

  /** The reminder card as it stands now (after 返回 from the form, or to refresh). */
  async currentCard(key: string, periodKey: string): Promise<CardJson> {
    const directory = await this.requireDirectory();
    return this.deps.cards.reminder(
      await this.currentView(directory, this.findDuty(directory, key), this.period(periodKey)),
    );
  }

  /**
   * A duty's reminder card state now: this year's patrols, any plan, the liaison unit's notes;
   * when the period's duty is fulfilled, the latest patrol that fulfils it (periodStanding,
   * the same computation /巡河 uses), whoever recorded it and whenever it was entered.
   */
  async currentView(directory: Directory, duty: ChiefDuty, period: Period): Promise<PatrolReminderView> {
    const now = this.deps.clock.now();
    const planKey = `${dutyKey(duty)}:${period.key}`;
    const tz = this.deps.timeZone;
    const year = periodContaining('year', now, tz).year;
    const [plans, patrols, sheet] = await Promise.all([
      this.deps.patrols.plans([planKey]),
      this.patrolsFor(duty, period),
      this.deps.patrols.sheetOf(duty, year),
    ]);
    // 本年已巡河 from the patrol figures; the card's own period from its patrols (it shows the latest, to correct or withdraw).
    const sheets = new Map(sheet ? [[figureKey(refOfDuty(duty, year)), sheet]] : []);
    const view = this.reminderView(
      directory,
      duty,
      period,
      now,
      yearProgress(duty.obligation, now, countsOf(sheets, duty), tz, goLiveDay(directory, tz)),
      plans.get(planKey),
      this.recipient(directory, duty)?.mention,
      await this.notesFor(duty, period),
    );
    const { done, latest } = periodStanding(patrols, period, duty.obligation.times);
    if (!done || !latest) return view;
    const recordedByName = this.person(directory, latest.recordedBy)?.name ?? latest.recordedBy;
    const day = (at: Date) => monthDay(toLocal(at, this.deps.timeZone));
    // A 补记 says both when it happened and when it was entered.
    const dateLabel = latest.late
      ? `${day(latest.patrolledAt)}巡河，${day(latest.enteredAt)}补记`
      : day(latest.patrolledAt);
    return {
      ...view,
      recorded: {
        dateLabel,
        recordedByName,
        onBehalf: latest.recordedBy !== duty.personId,
        patrolId: latest.id,
        version: latest.version,
      },
    };
  }

  /** The duty's recorded patrols from the start of a period on (its standing, and the latest to show). */
  async patrolsFor(duty: ChiefDuty, period: Period): Promise<PatrolFact[]> {
    return dutyPatrols(await this.deps.patrols.factsSince(period.start, [duty.personId]), duty);
  }

  /** A member of the water body's liaison unit, or of the River Chief Office. */
  liaisonActor(directory: Directory, actorOpenId: string, waterBodyId: string): { actor: Person } {
    const actor = requirePerson(directory, actorOpenId);
    const water = directory.waterBodies.find((w) => w.id === waterBodyId);
    const allowed = directory.units.some(
      (u) => (u.id === water?.liaisonUnit || u.kind === 'riverChiefOffice') && u.members.includes(actor.id),
    );
    if (!allowed) throw new ForbiddenError('只有该河湖的联络员单位或区河长制办公室人员可以报送。');
    return { actor };
  }

  liaisonView(
    directory: Directory,
    duty: ChiefDuty,
    period: Period,
    submitted: { items: string[]; byName: string } | undefined,
  ) {
    const water = directory.waterBodies.find((w) => w.id === duty.waterBodyId);
    const unit = directory.units.find((u) => u.id === water?.liaisonUnit);
    if (!water || !unit) return undefined;
    return {
      unitName: unit.name,
      chiefName: this.person(directory, duty.personId)?.name ?? duty.personId,
      waterBodyName: water.name,
      waterBodyId: water.id,
      periodKey: period.key,
      deadline: monthDay(period.lastDay),
      submitted,
    };
  }

  async notesFor(duty: ChiefDuty, period: Period): Promise<{ keyProblems: string[]; focus: string[] }> {
    return duty.waterBodyId ? this.deps.patrols.notes(duty.waterBodyId, period.key) : { keyProblems: [], focus: [] };
  }

  /** The patrol, if this person recorded it and it is still as they saw it. */
  async ownPatrol(patrolId: string, version: number, actorId: string) {
    const patrol = await this.deps.patrols.findByKey(patrolId);
    if (!patrol) throw new StaleError('找不到该巡河记录，卡片已刷新。');
    if (patrol.recordedBy !== actorId) throw new ForbiddenError('只有记录人本人可以更正或撤回这条巡河记录。');
    if (patrol.status !== 'recorded' || patrol.version !== version)
      throw new StaleError('该巡河记录已被更正或撤回，卡片已刷新。');
    return patrol;
  }

  calendar(directory: Directory): WorkCalendar {
    return new WorkCalendar({
      holidays: directory.calendar.holidays,
      makeUpWorkdays: directory.calendar.makeUpWorkdays,
    });
  }

  requireDirectory(): Promise<Directory> {
    return requireDirectory(this.deps.directory);
  }

  person(directory: Directory, id: string): Person | undefined {
    return directory.people.find((p) => p.id === id);
  }

  waterName(directory: Directory, duty: ChiefDuty): string | undefined {
    return duty.waterBodyId ? directory.waterBodies.find((w) => w.id === duty.waterBodyId)?.name : undefined;
  }

  findDuty(directory: Directory, key: string): ChiefDuty {
    const duty = chiefDuties(directory, SEED_OBLIGATIONS).find((d) => dutyKey(d) === key);
    // The roster changed since the card was sent: the duty is gone.
    if (!duty) throw new StaleError('该巡河职责已变更，请以最新的组织名录为准。');
    return duty;
  }

  period(periodKey: string): Period {
    const period = parsePeriodKey(periodKey, this.deps.timeZone);
    if (!period) throw new StaleError('卡片数据无效，请重新打开最新的卡片。');
    return period;
  }

  async authorised(actorOpenId: string, key: string) {
    const directory = await this.requireDirectory();
    const actor = requirePerson(directory, actorOpenId);
    const duty = this.findDuty(directory, key);
    const right = mayRecordPatrol(directory, actor.id, {
      chiefId: duty.personId,
      waterBodyId: duty.role === 'generalChief' ? undefined : duty.waterBodyId,
    });
    if (!right.may) throw new ForbiddenError(right.reason);
    return { directory, duty, actor, onBehalf: right.onBehalf };
  }

  recipient(directory: Directory, duty: ChiefDuty): { to: Recipient; mention: string | undefined } | undefined {
    const chief = this.person(directory, duty.personId);
    const water = directory.waterBodies.find((w) => w.id === duty.waterBodyId);
    if (directory.reminderDelivery === 'groupChat' && water?.chatId)
      return { to: { chatId: water.chatId }, mention: chief?.openId };
    if (chief?.openId) return { to: { openId: chief.openId }, mention: undefined };
    return water?.chatId ? { to: { chatId: water.chatId }, mention: undefined } : undefined;
  }

  reminderView(
    directory: Directory,
    duty: ChiefDuty,
    period: Period,
    now: Date,
    /** 本年已巡河 against the year's duty (yearProgress). */
    year: { done: number; target: number },
    plannedDay: LocalDate | undefined,
    mentionOpenId: string | undefined,
    notes: { keyProblems: string[]; focus: string[] },
  ): PatrolReminderView {
    const tz = this.deps.timeZone;
    return {
      chiefName: this.person(directory, duty.personId)?.name ?? duty.personId,
      mentionOpenId,
      waterBodyName: this.waterName(directory, duty),
      periodLabel: periodLabel(period, contains(period, now)),
      deadline: monthDay(period.lastDay),
      daysLeft: Math.max(daysLeft(period, now, tz), 0),
      yearDone: year.done,
      yearTarget: year.target,
      dutyKey: dutyKey(duty),
      periodKey: period.key,
      plannedDay: plannedDay ? monthDay(plannedDay) : undefined,
      keyProblems: notes.keyProblems,
      focus: notes.focus,
    };
  }

  /** Every reminder card already sent for this duty and period shows the same state. */
  async refreshCopies(directory: Directory, duty: ChiefDuty, period: Period, card: CardJson): Promise<void> {
    const stages = reminderStages(
      period,
      this.policies(directory)[period.kind],
      this.calendar(directory),
      this.deps.timeZone,
    );
    const keys = stages.map((stage) => reminderKey(duty, period.key, stage.stage));
    await updateDeliveredCards(this.deps.messenger, keys, String(this.deps.clock.now().getTime()), card);
  }
}
