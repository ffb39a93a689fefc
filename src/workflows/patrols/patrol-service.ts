import type { Clock } from '../../domain/clock.js';
import { patrolReminderOfKey } from '../../domain/delivery/message-keys.js';
import { type ChiefDuty, chiefDuties, type Directory, personName } from '../../domain/directory/directory.js';
import { dutyKey } from '../../domain/patrols/duty-key.js';
import { SEED_OBLIGATIONS } from '../../domain/patrols/obligation.js';
import { checkPatrolInput, isLateEntry, patrolPeriods } from '../../domain/patrols/patrol.js';
import { periodStanding } from '../../domain/patrols/standing.js';
import { attachmentRefusal, mayRecordPatrol } from '../../domain/patrols/who-may-record.js';
import { monthDay } from '../../domain/time/format.js';
import {
  contains,
  type Period,
  type PeriodKind,
  parsePeriodKey,
  periodContaining,
  periodLabel,
} from '../../domain/time/period.js';
import { compareLocalDates, formatLocalDate, fromLocal, type LocalDate, toLocal } from '../../domain/time/zoned.js';
import { StaleError, UserInputError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import { fillPatrolPeriods } from '../../store/migrations/patrol-periods.js';
import type { PatrolStore } from '../../store/patrol-store.js';
import type { CardJson, Messenger } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import { dutyOfCard, periodOfCard } from './card-refs.js';
import { currentReminderView, notesFor } from './current-reminder.js';
import { dutyPatrols } from './duty-patrols.js';
import { liaisonActor, liaisonView } from './liaison.js';
import { dutyActor, ownPatrol } from './patrol-rights.js';
import { refreshReminderCopies } from './reminder-copies.js';
import { sweepPatrols } from './reminder-sweep.js';
import type { DrawnAt } from './reminder-view.js';
import type { PatrolCardPresenter, PatrolReminderView } from './views.js';
import { waterName } from './water-names.js';

export interface PatrolDeps {
  directory: DirectoryStore;
  patrols: PatrolStore;
  messenger: Messenger;
  cards: PatrolCardPresenter;
  clock: Clock;
  timeZone: string;
  logger: Logger;
  /** Problems found on a patrol go on to be registered as problems (问题); wired by the patrols feature. */
  onProblems?: (patrol: {
    key: string;
    chiefId: string;
    recordedBy: string;
    waterBodyId?: string;
    patrolledAt: Date;
    problems: string[];
  }) => Promise<unknown>;
  /** A patrol was withdrawn: the problems registered from it are put to its recorder; wired by the patrols feature. */
  onWithdrawn?: (patrolKey: string) => Promise<unknown>;
}

/** What a person typed into the patrol form, already parsed from Feishu's form values. */
export interface PatrolFormInput {
  day: LocalDate;
  observations: string;
  problems: string[];
  /** 补记说明: why the patrol is entered after its period; required then. */
  lateReason?: string;
}

/**
 * Patrols (巡河): the card actions on a reminder (记录巡河, 已安排, 查看责任河湖, 更正, 撤回),
 * the liaison unit's reports, and the daily sweep. A tap and the sweep draw the reminder card
 * with the same functions (reminder-view.ts), so it looks the same whoever produced it.
 */
export class PatrolService {
  constructor(private readonly deps: PatrolDeps) {}

  /** The patrol job's body: reminders, overdue notices and the office digest due at `now`. */
  sweep(now: Date): Promise<{ reminders: number; overdue: number; digest: boolean }> {
    return sweepPatrols(this.deps, now);
  }

  /** The reminder card as it stands now (after 返回 from the form, or to refresh). */
  async currentCard(key: string, periodKey: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const duty = dutyOfCard(directory, key);
    return this.deps.cards.reminder(await this.currentView(directory, duty, this.period(periodKey)));
  }

  /** 记录巡河: the form, for the chief or their liaison unit. */
  async openForm(actorOpenId: string, key: string, periodKey: string): Promise<CardJson> {
    const { directory, duty } = await this.authorised(actorOpenId, key);
    const period = this.period(periodKey);
    return this.deps.cards.form({
      focus: (await notesFor(this.deps.patrols, duty, period)).focus,
      chiefName: personName(directory, duty.personId),
      waterBodyName: waterName(directory, duty),
      dutyKey: key,
      periodKey,
      today: formatLocalDate(toLocal(this.deps.clock.now(), this.deps.timeZone)),
    });
  }

  /** Records a patrol from the form; returns the updated reminder card and refreshes its other copies. */
  async submit(actorOpenId: string, key: string, periodKey: string, input: PatrolFormInput): Promise<CardJson> {
    const { directory, duty, actor, onBehalf } = await this.authorised(actorOpenId, key);
    const period = this.period(periodKey);
    const patrolledAt = this.checkedPatrolTime(input, duty.obligation.period);
    const late = this.lateEntry(patrolledAt, duty.obligation.period, input);
    const saved = await this.deps.patrols.record(
      {
        chiefId: duty.personId,
        role: duty.role,
        waterBodyId: duty.waterBodyId,
        recordedBy: actor.id,
        patrolledAt,
        observations: input.observations.trim(),
        problems: input.problems,
        photoKeys: [],
        ...late,
      },
      patrolPeriods(patrolledAt, this.deps.timeZone),
    );
    this.deps.logger.info({ duty: key, onBehalf, by: actor.id }, 'patrol recorded');
    await this.registerProblems(saved.id, duty.personId, actor.id, duty.waterBodyId, patrolledAt, input.problems);
    // The card tells the period's standing, which this patrol may or may not change.
    return this.redrawn(directory, duty, period, {
      entryNote: this.entryNote(patrolledAt, period, duty.obligation.period),
    });
  }

  /**
   * Keeps role and period keys on patrols recorded before they were kept (an upgrade), so
   * overviews count every patrol. Idempotent; returns how many were filled in.
   */
  async backfillDerived(): Promise<number> {
    const { directory, patrols, timeZone } = this.deps;
    return (await fillPatrolPeriods(directory, patrols, timeZone)).changed;
  }

  /** 更正: the form again, filled with the patrol as recorded; only whoever recorded it may. */
  async openCorrection(
    actorOpenId: string,
    key: string,
    periodKey: string,
    patrolId: string,
    version: number,
  ): Promise<CardJson> {
    const { directory, duty, actor } = await this.authorised(actorOpenId, key);
    const patrol = await ownPatrol(this.deps.patrols, patrolId, version, actor.id);
    return this.deps.cards.form({
      focus: [],
      chiefName: personName(directory, duty.personId),
      waterBodyName: waterName(directory, duty),
      dutyKey: key,
      periodKey,
      today: formatLocalDate(toLocal(patrol.patrolledAt, this.deps.timeZone)),
      correcting: {
        patrolId,
        version,
        observations: patrol.observations,
        problems: patrol.problems.join('\n'),
        lateReason: patrol.lateReason ?? '',
      },
    });
  }

  /** Saves a correction; the card shows the corrected record. */
  async correct(
    actorOpenId: string,
    key: string,
    periodKey: string,
    patrolId: string,
    version: number,
    input: PatrolFormInput,
  ): Promise<CardJson> {
    const { directory, duty, actor } = await this.authorised(actorOpenId, key);
    const patrol = await ownPatrol(this.deps.patrols, patrolId, version, actor.id);
    // A correction keeps the patrol's entry time: whether it is a 补记 is judged against when it was first entered.
    const patrolledAt = this.checkedPatrolTime(input, duty.obligation.period, patrol.createdAt);
    const late = this.lateEntry(patrolledAt, duty.obligation.period, input, patrol.createdAt);
    const changed = await this.deps.patrols.change(patrolId, version, actor.id, {
      action: 'corrected',
      set: {
        patrolledAt,
        observations: input.observations.trim(),
        problems: input.problems,
        periods: patrolPeriods(patrolledAt, this.deps.timeZone),
        late: late.late,
        lateReason: late.lateReason ?? null,
      },
    });
    if (!changed) throw new StaleError('该巡河记录已被更正或撤回，卡片已刷新。');
    this.deps.logger.info({ patrol: patrolId, by: actor.id }, 'patrol corrected');
    await this.registerProblems(patrolId, duty.personId, actor.id, duty.waterBodyId, patrolledAt, input.problems);
    const period = this.period(periodKey);
    return this.redrawn(directory, duty, period, {
      entryNote: this.entryNote(patrolledAt, period, duty.obligation.period, patrol.createdAt),
    });
  }

  /** 撤回: the patrol no longer counts; its history stays. The card returns to its reminder state. */
  async withdraw(
    actorOpenId: string,
    key: string,
    periodKey: string,
    patrolId: string,
    version: number,
  ): Promise<CardJson> {
    const { directory, duty, actor } = await this.authorised(actorOpenId, key);
    await ownPatrol(this.deps.patrols, patrolId, version, actor.id);
    if (!(await this.deps.patrols.change(patrolId, version, actor.id, { action: 'withdrawn' }))) {
      throw new StaleError('该巡河记录已被更正或撤回，卡片已刷新。');
    }
    this.deps.logger.info({ patrol: patrolId, by: actor.id }, 'patrol withdrawn');
    await this.deps.onWithdrawn?.(patrolId);
    return this.redrawn(directory, duty, this.period(periodKey));
  }

  /**
   * 明查暗访 report from the liaison unit (or the River Chief Office, which works with it,
   * art. 9): shown on the chief's reminder card and form as 本次巡河关注事项.
   */
  async submitFocus(
    actorOpenId: string,
    waterBodyId: string,
    periodKey: string,
    clues: string[],
    requests: string[],
  ): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const { actor } = liaisonActor(directory, actorOpenId, waterBodyId);
    const items = [...clues.map((c) => `问题线索：${c}`), ...requests.map((r) => `乡镇诉求：${r}`)];
    if (items.length === 0) throw new UserInputError('请至少填写一条问题线索或乡镇需协调解决的事项');
    const period = this.period(periodKey);
    const duty = chiefDuties(directory, SEED_OBLIGATIONS).find(
      (d) => d.role === 'riverChief' && d.waterBodyId === waterBodyId,
    );
    if (!duty) throw new StaleError('该河湖已没有区级河湖长，无需报送。');
    await this.deps.patrols.setNote(waterBodyId, 'focus', period.key, items, actor.id);
    await this.redrawn(directory, duty, period);
    const view = liaisonView(directory, duty, period, { items, byName: actor.name });
    if (!view) throw new StaleError('该河湖已没有联络员单位。');
    return this.deps.cards.liaisonRequest(view);
  }

  /** 重难点问题 (art. 9): the liaison unit's standing list for a water body, found by any unique part of its name. */
  async setKeyProblems(
    actorOpenId: string,
    waterQuery: string,
    items: string[],
  ): Promise<{ waterBodyName: string; count: number }> {
    const directory = await requireDirectory(this.deps.directory);
    const matches = directory.waterBodies.filter((w) => w.id === waterQuery || w.name.includes(waterQuery));
    if (matches.length === 0) throw new UserInputError(`没有找到河湖“${waterQuery}”`);
    if (matches.length > 1)
      throw new UserInputError(`“${waterQuery}”对应多条河湖：${matches.map((w) => w.name).join('、')}，请写得更完整些`);
    const water = matches[0]!;
    const { actor } = liaisonActor(directory, actorOpenId, water.id);
    await this.deps.patrols.setNote(water.id, 'keyProblems', undefined, items, actor.id);
    return { waterBodyName: water.name, count: items.length };
  }

  /**
   * Photos (an image, or a rich-text reply's inline pictures) or a location sent in the thread of a patrol card go with the patrol recorded for
   * that duty and period (the way people already report: reply with pictures). Returns the
   * acknowledgement to send, or undefined when the thread is not a patrol card's.
   */
  async attachFromThread(
    senderOpenId: string,
    rootMessageId: string,
    attachment: { photos: string[] } | { location: { name: string; latitude: string; longitude: string } },
  ): Promise<string | undefined> {
    const key = await this.deps.messenger.keyOfMessage(rootMessageId);
    const reminder = key ? patrolReminderOfKey(key) : undefined;
    if (!reminder) return undefined;
    const directory = await requireDirectory(this.deps.directory);
    const actor = directory.people.find((p) => p.openId === senderOpenId);
    if (!actor) return undefined;
    const duty = chiefDuties(directory, SEED_OBLIGATIONS).find((d) => dutyKey(d) === reminder.dutyKey);
    const period = parsePeriodKey(reminder.periodKey, this.deps.timeZone);
    if (!duty || !period) return undefined;
    const recorded = {
      chiefId: duty.personId,
      waterBodyId: duty.role === 'generalChief' ? undefined : duty.waterBodyId,
    };
    if (!mayRecordPatrol(directory, actor.id, recorded).may) return attachmentRefusal(directory, recorded);
    const patrol = await this.deps.patrols.latestIn(
      duty.personId,
      duty.role === 'generalChief' ? undefined : duty.waterBodyId,
      period.start,
      period.end,
    );
    if (!patrol) return '请先点击卡片上的“记录巡河”提交本次巡河，再发送照片或位置。';
    await this.deps.patrols.attach(patrol.key, attachment);
    const day = monthDay(toLocal(patrol.patrolledAt, this.deps.timeZone));
    if ('location' in attachment) return `已将位置“${attachment.location.name}”附到${day}的巡河记录。`;
    return attachment.photos.length > 1
      ? `已将${attachment.photos.length}张照片附到${day}的巡河记录。`
      : `已将照片附到${day}的巡河记录。`;
  }

  /** 已安排: the chief plans a day; reminders wait until then. */
  async plan(actorOpenId: string, key: string, periodKey: string, day: LocalDate): Promise<CardJson> {
    const { directory, actor, duty } = await this.authorised(actorOpenId, key);
    const period = this.period(periodKey);
    const today = toLocal(this.deps.clock.now(), this.deps.timeZone);
    if (compareLocalDates(day, today) < 0) throw new UserInputError('安排的巡河日期不能早于今天');
    if (fromLocal(day, this.deps.timeZone).getTime() >= period.end.getTime()) {
      throw new UserInputError(`安排的日期须在截止日（${monthDay(period.lastDay)}）之前`);
    }
    await this.deps.patrols.setPlan(`${key}:${periodKey}`, day, actor.id);
    return this.redrawn(directory, duty, period);
  }

  /** 查看责任河湖: the person's duties and where each stands this period. */
  async dutyList(actorOpenId: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const now = this.deps.clock.now();
    const tz = this.deps.timeZone;
    const mine = chiefDuties(directory, SEED_OBLIGATIONS).filter((d) => d.personId === person.id);
    const patrols = await this.deps.patrols.factsSince(periodContaining('year', now, tz).start, [person.id]);
    const duties = mine.map((duty) => {
      const period = periodContaining(duty.obligation.period, now, tz);
      // The same computation as the reminder card's (periodStanding).
      const { done } = periodStanding(dutyPatrols(patrols, duty), period, duty.obligation.times);
      const label = waterName(directory, duty) ?? '全区（区级总河长）';
      const status = done
        ? `${periodLabel(period, true)}已巡河 ✓`
        : `${periodLabel(period, true)}尚未巡河，截止${monthDay(period.lastDay)}`;
      return { label, status, dutyKey: dutyKey(duty), periodKey: period.key, done };
    });
    return this.deps.cards.dutyList({ personName: person.name, duties });
  }

  /** The directory, and the duty a card names with the person tapping it, if they may record its patrols. */
  private async authorised(actorOpenId: string, key: string) {
    const directory = await requireDirectory(this.deps.directory);
    return { directory, ...dutyActor(directory, actorOpenId, key) };
  }

  private period(periodKey: string): Period {
    return periodOfCard(periodKey, this.deps.timeZone);
  }

  private drawnAt(): DrawnAt {
    return { now: this.deps.clock.now(), timeZone: this.deps.timeZone };
  }

  private currentView(directory: Directory, duty: ChiefDuty, period: Period) {
    return currentReminderView(this.deps.patrols, directory, duty, period, this.drawnAt());
  }

  /**
   * The reminder card after a change, put on every copy already sent for the duty and period;
   * `extra` is what only the card just tapped says (the 补记 note).
   */
  private async redrawn(
    directory: Directory,
    duty: ChiefDuty,
    period: Period,
    extra: Pick<PatrolReminderView, 'entryNote'> = {},
  ): Promise<CardJson> {
    const card = this.deps.cards.reminder({ ...(await this.currentView(directory, duty, period)), ...extra });
    await refreshReminderCopies(this.deps.messenger, directory, duty, period, card, this.drawnAt());
    return card;
  }

  /** Whether a patrol is a 补记, with its reason (kept only then). */
  private lateEntry(
    patrolledAt: Date,
    dutyPeriod: PeriodKind,
    input: PatrolFormInput,
    enteredAt = this.deps.clock.now(),
  ): { late: boolean; lateReason?: string } {
    const late = isLateEntry(patrolledAt, enteredAt, dutyPeriod, this.deps.timeZone);
    return late ? { late, lateReason: input.lateReason?.trim() } : { late };
  }

  /** What the card of one period says of a patrol just entered for another (补记): when it happened, when entered, where it counts. */
  private entryNote(
    patrolledAt: Date,
    cardPeriod: Period,
    dutyPeriod: PeriodKind,
    enteredAt = this.deps.clock.now(),
  ): string | undefined {
    if (contains(cardPeriod, patrolledAt)) return undefined;
    const tz = this.deps.timeZone;
    const counted = periodLabel(periodContaining(dutyPeriod, patrolledAt, tz), false);
    return `已补记${monthDay(toLocal(patrolledAt, tz))}的巡河（${monthDay(toLocal(enteredAt, tz))}录入），计入${counted}。`;
  }

  /** Problem lines on a patrol become problems (问题) to assign; a corrected patrol adds only new lines. */
  private async registerProblems(
    key: string,
    chiefId: string,
    recordedBy: string,
    waterBodyId: string | undefined,
    patrolledAt: Date,
    problems: string[],
  ) {
    if (problems.length > 0)
      await this.deps.onProblems?.({ key, chiefId, recordedBy, waterBodyId, patrolledAt, problems });
  }

  /**
   * The patrol time a form's day stands for, after checking what the person entered. A form
   * gives a day; the patrol is placed at local noon so it sits inside that day in any report.
   */
  private checkedPatrolTime(input: PatrolFormInput, dutyPeriod: PeriodKind, enteredAt = this.deps.clock.now()): Date {
    const tz = this.deps.timeZone;
    const patrolledAt = fromLocal({ ...input.day, hour: 12 }, tz);
    const errors = checkPatrolInput(
      {
        patrolledAt,
        observations: input.observations,
        problems: input.problems,
        lateReason: input.lateReason,
        dutyPeriod,
      },
      enteredAt,
      tz,
    );
    if (errors.length > 0) throw new UserInputError(errors.map((e) => e.message).join('；'), errors);
    return patrolledAt;
  }
}
