import type { Clock } from '../../domain/clock.js';
import { chiefDuties, type ChiefDuty, type Directory, type Person } from '../../domain/directory/directory.js';
import { decideReminders, type DutyState } from '../../domain/patrols/decide-reminders.js';
import { dutyKey, reminderKey } from '../../domain/patrols/duty-key.js';
import { SEED_OBLIGATIONS } from '../../domain/patrols/obligation.js';
import { overdueDuties } from '../../domain/patrols/overdue.js';
import { checkPatrolInput } from '../../domain/patrols/patrol.js';
import { DEFAULT_REMINDER_POLICIES, daysLeft, reminderStages, type ReminderPolicy } from '../../domain/patrols/reminder-plan.js';
import { mayRecordPatrol } from '../../domain/patrols/who-may-record.js';
import {
  contains,
  parsePeriodKey,
  periodContaining,
  periodLabel,
  PERIODS_PER_YEAR,
  previousPeriod,
  type Period,
  type PeriodKind,
} from '../../domain/time/period.js';
import { WorkCalendar } from '../../domain/time/work-calendar.js';
import { formatLocalDate, fromLocal, toLocal, type LocalDate } from '../../domain/time/zoned.js';
import { ForbiddenError, StaleError, UserInputError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { PatrolFact, PatrolStore } from '../../store/patrol-store.js';
import type { CardJson, Messenger, Recipient } from '../ports.js';
import type { PatrolCardPresenter, PatrolReminderView } from './views.js';

export interface PatrolServiceDeps {
  directory: DirectoryStore;
  patrols: PatrolStore;
  messenger: Messenger;
  cards: PatrolCardPresenter;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

/** What a person typed into the patrol form, already parsed from Feishu's form values. */
export interface PatrolFormInput {
  day: LocalDate;
  observations: string;
  problems: string[];
}

const NOT_IN_DIRECTORY = '您不在组织名录中，暂时无法操作。如有疑问，请联系区河长制办公室。';

function facts(patrols: PatrolFact[], duty: ChiefDuty): Date[] {
  // The general chief's duty is district-wide; other duties count patrols on their water body.
  return patrols
    .filter((p) => p.chiefId === duty.personId && (duty.role === 'generalChief' || p.waterBodyId === duty.waterBodyId))
    .map((p) => p.patrolledAt);
}

const monthDay = (day: LocalDate) => `${day.month}月${day.day}日`;

const ROLE_NAMES: Record<ChiefDuty['role'], string> = {
  generalChief: '区级总河长',
  riverChief: '区级河湖长',
  townshipChief: '乡级河湖长',
  villageChief: '村级河湖长',
};

const PERIOD_WORDS: Record<PeriodKind, string> = { month: '每月', quarter: '每季度', year: '每年' };

/** `区级河湖长每月至少巡河1次` */
function dutyText(duty: ChiefDuty): string {
  return `${ROLE_NAMES[duty.role]}${PERIOD_WORDS[duty.obligation.period]}至少巡河${duty.obligation.times}次`;
}

/**
 * Patrols (巡河) and their reminders: the daily sweep, and the card actions on a reminder
 * (记录巡河, 已安排, 查看责任河湖). Scheduled and tapped paths share this one service.
 */
export class PatrolService {
  constructor(private readonly deps: PatrolServiceDeps) {}

  /** Reminder stages as the directory configures them (defaults: 7/2 days monthly, 20/5 quarterly, 09:00). */
  private policies(directory: Directory): Readonly<Record<PeriodKind, ReminderPolicy>> {
    const r = directory.reminders;
    return {
      month: { daysBeforeEnd: r.monthDaysBefore, hour: r.hour },
      quarter: { daysBeforeEnd: r.quarterDaysBefore, hour: r.hour },
      year: { ...DEFAULT_REMINDER_POLICIES.year, hour: r.hour },
    };
  }

  /** Art. 6: the liaison unit is asked ahead of its district river chief's monthly patrol. */
  private liaisonPolicies(directory: Directory): Readonly<Record<PeriodKind, ReminderPolicy>> {
    const hour = directory.reminders.hour;
    return {
      month: { daysBeforeEnd: [directory.reminders.liaisonDaysBefore], hour },
      quarter: { daysBeforeEnd: [30], hour },
      year: { daysBeforeEnd: [45], hour },
    };
  }

  /**
   * The patrol job's body: reminders due at `now` (once-only per chief, water body, period
   * and stage), then overdue notices to chiefs whose last period ended unmet (once each) and
   * the office's daily digest of them. Nothing goes out on non-working days or before the hour.
   */
  async sweep(now: Date): Promise<{ reminders: number; overdue: number; digest: boolean }> {
    const directory = await this.deps.directory.loadDirectory();
    if (!directory) return { reminders: 0, overdue: 0, digest: false };
    const tz = this.deps.timeZone;
    const calendar = this.calendar(directory);
    const duties = chiefDuties(directory, SEED_OBLIGATIONS);
    // This year and the previous period (possibly last year's last month or quarter).
    const since = previousPeriod(periodContaining('quarter', now, tz), tz).start;
    const patrols = await this.deps.patrols.factsSince(since);
    const planKeys = duties.map((d) => `${dutyKey(d)}:${periodContaining(d.obligation.period, now, tz).key}`);
    const plans = await this.deps.patrols.plans(planKeys);
    const states: DutyState[] = duties.map((duty, i) => ({ duty, patrolTimes: facts(patrols, duty), plannedDay: plans.get(planKeys[i] ?? '') }));

    let reminders = 0;
    for (const decision of decideReminders(states, { now, timeZone: tz, calendar, policies: this.policies(directory) })) {
      const target = this.recipient(directory, decision.duty);
      if (!target) {
        this.deps.logger.warn({ duty: dutyKey(decision.duty) }, 'chief has no Feishu account or chat; reminder not sent');
        continue;
      }
      const notes = await this.notesFor(decision.duty, decision.period);
      const view = this.reminderView(directory, decision.duty, decision.period, now, facts(patrols, decision.duty), undefined, target.mention, notes);
      await this.deps.messenger.send(reminderKey(decision.duty, decision.period.key, decision.stage.stage), target.to, {
        kind: 'card',
        card: this.deps.cards.reminder(view),
      });
      reminders += 1;
    }

    // Art. 6: the liaison unit is asked for its 明查暗访 ahead of its district river chief's patrol.
    const riverDuties = states.filter((st) => st.duty.role === 'riverChief').map((st) => ({ duty: st.duty, patrolTimes: st.patrolTimes }));
    for (const decision of decideReminders(riverDuties, { now, timeZone: tz, calendar, policies: this.liaisonPolicies(directory) })) {
      const water = directory.waterBodies.find((w) => w.id === decision.duty.waterBodyId);
      const unit = directory.units.find((u) => u.id === water?.liaisonUnit);
      if (!water || !unit?.chatId) continue;
      const view = this.liaisonView(directory, decision.duty, decision.period, undefined);
      if (!view) continue;
      await this.deps.messenger.send(`liaison-request:${water.id}:${decision.period.key}`, { chatId: unit.chatId }, {
        kind: 'card',
        card: this.deps.cards.liaisonRequest(view),
      });
    }

    const today = toLocal(now, tz);
    const afterHour = today.hour >= directory.reminders.hour;
    if (!calendar.isWorkingDay(today) || !afterHour) return { reminders, overdue: 0, digest: false };
    const overdue = overdueDuties(states, now, tz);
    let notices = 0;
    for (const item of overdue) {
      // Told privately: an overdue patrol is not announced in the water body's group.
      const chief = this.person(directory, item.duty.personId);
      if (!chief?.openId) continue;
      await this.deps.messenger.send(`patrol-overdue:${dutyKey(item.duty)}:${item.period.key}`, { openId: chief.openId }, {
        kind: 'card',
        card: this.deps.cards.overdue({
          chiefName: chief.name,
          waterBodyName: this.waterName(directory, item.duty),
          periodName: periodLabel(item.period, false),
          dutyText: dutyText(item.duty),
          dutyKey: dutyKey(item.duty),
          periodKey: item.period.key,
        }),
      });
      notices += 1;
    }
    const office = directory.units.find((u) => u.kind === 'riverChiefOffice');
    const digest = overdue.length > 0 && office?.chatId !== undefined;
    if (digest && office?.chatId) {
      const items = overdue.map((item) => {
        const name = this.person(directory, item.duty.personId)?.name ?? item.duty.personId;
        return `${ROLE_NAMES[item.duty.role]} ${name} · ${this.waterName(directory, item.duty) ?? '全区'} · ${periodLabel(item.period, false)}巡河${item.done}/${item.duty.obligation.times}次`;
      });
      await this.deps.messenger.send(`patrol-overdue-digest:${formatLocalDate(today)}`, { chatId: office.chatId }, {
        kind: 'card',
        card: this.deps.cards.overdueDigest({ date: monthDay(today), items }),
      });
    }
    return { reminders, overdue: notices, digest };
  }

  /** 记录巡河: the form, for the chief or their liaison unit. */
  async openForm(actorOpenId: string, key: string, periodKey: string): Promise<CardJson> {
    const { directory, duty } = await this.authorised(actorOpenId, key);
    const period = this.period(periodKey);
    return this.deps.cards.form({
      focus: (await this.notesFor(duty, period)).focus,
      chiefName: this.person(directory, duty.personId)?.name ?? duty.personId,
      waterBodyName: this.waterName(directory, duty),
      dutyKey: key,
      periodKey,
      today: formatLocalDate(toLocal(this.deps.clock.now(), this.deps.timeZone)),
    });
  }

  /** The reminder card as it stands now (after 返回 from the form, or to refresh). */
  async currentCard(key: string, periodKey: string): Promise<CardJson> {
    const directory = await this.requireDirectory();
    const duty = this.findDuty(directory, key);
    const period = this.period(periodKey);
    const now = this.deps.clock.now();
    const patrols = await this.deps.patrols.factsSince(periodContaining('year', period.start, this.deps.timeZone).start, [duty.personId]);
    const plans = await this.deps.patrols.plans([`${key}:${periodKey}`]);
    return this.deps.cards.reminder(
      this.reminderView(
        directory,
        duty,
        period,
        now,
        facts(patrols, duty),
        plans.get(`${key}:${periodKey}`),
        this.recipient(directory, duty)?.mention,
        await this.notesFor(duty, period),
      ),
    );
  }

  /** Records a patrol from the form; returns the updated reminder card and refreshes its other copies. */
  async submit(actorOpenId: string, key: string, periodKey: string, input: PatrolFormInput): Promise<CardJson> {
    const { directory, duty, actor, onBehalf } = await this.authorised(actorOpenId, key);
    const period = this.period(periodKey);
    const tz = this.deps.timeZone;
    const now = this.deps.clock.now();
    // A form gives a day; the patrol is placed at local noon so it sits inside that day in any report.
    const patrolledAt = fromLocal({ ...input.day, hour: 12 }, tz);
    const errors = checkPatrolInput({ patrolledAt, observations: input.observations, problems: input.problems }, now, tz);
    if (errors.length > 0) throw new UserInputError(errors.map((e) => e.message).join('；'), errors);
    const saved = await this.deps.patrols.record({
      chiefId: duty.personId,
      waterBodyId: duty.waterBodyId,
      recordedBy: actor.id,
      patrolledAt,
      observations: input.observations.trim(),
      problems: input.problems,
      photoKeys: [],
    });
    this.deps.logger.info({ duty: key, onBehalf, by: actor.id }, 'patrol recorded');
    const patrols = await this.deps.patrols.factsSince(periodContaining('year', now, tz).start, [duty.personId]);
    const view = this.reminderView(directory, duty, period, now, facts(patrols, duty), undefined, this.recipient(directory, duty)?.mention, await this.notesFor(duty, period));
    const recorded = contains(period, patrolledAt)
      ? { ...view, recorded: { dateLabel: monthDay(input.day), recordedByName: actor.name, onBehalf, patrolId: saved.id, version: saved.version } }
      : view;
    const card = this.deps.cards.reminder(recorded);
    await this.refreshCopies(duty, period, card);
    return card;
  }

  /** 更正: the form again, filled with the patrol as recorded; only whoever recorded it may. */
  async openCorrection(actorOpenId: string, key: string, periodKey: string, patrolId: string, version: number): Promise<CardJson> {
    const { directory, duty, actor } = await this.authorised(actorOpenId, key);
    const patrol = await this.ownPatrol(patrolId, version, actor.id);
    return this.deps.cards.form({
      focus: [],
      chiefName: this.person(directory, duty.personId)?.name ?? duty.personId,
      waterBodyName: this.waterName(directory, duty),
      dutyKey: key,
      periodKey,
      today: formatLocalDate(toLocal(patrol.patrolledAt, this.deps.timeZone)),
      correcting: { patrolId, version, observations: patrol.observations, problems: patrol.problems.join('\n') },
    });
  }

  /** Saves a correction; the card shows the corrected record. */
  async correct(actorOpenId: string, key: string, periodKey: string, patrolId: string, version: number, input: PatrolFormInput): Promise<CardJson> {
    const { directory, duty, actor } = await this.authorised(actorOpenId, key);
    const patrol = await this.ownPatrol(patrolId, version, actor.id);
    const now = this.deps.clock.now();
    const patrolledAt = fromLocal({ ...input.day, hour: 12 }, this.deps.timeZone);
    const errors = checkPatrolInput({ patrolledAt, observations: input.observations, problems: input.problems }, now, this.deps.timeZone);
    if (errors.length > 0) throw new UserInputError(errors.map((e) => e.message).join('；'), errors);
    const changed = await this.deps.patrols.change(patrolId, version, actor.id, {
      action: 'corrected',
      set: { patrolledAt, observations: input.observations.trim(), problems: input.problems },
    });
    if (!changed) throw new StaleError('该巡河记录已被更正或撤回，卡片已刷新。');
    this.deps.logger.info({ patrol: patrolId, by: actor.id }, 'patrol corrected');
    const period = this.period(periodKey);
    const view = this.reminderView(
      directory,
      duty,
      period,
      now,
      await this.factsFor(duty, now),
      undefined,
      this.recipient(directory, duty)?.mention,
      await this.notesFor(duty, period),
    );
    const onBehalf = patrol.recordedBy !== duty.personId;
    const card = this.deps.cards.reminder(
      contains(period, patrolledAt)
        ? { ...view, recorded: { dateLabel: monthDay(input.day), recordedByName: actor.name, onBehalf, patrolId, version: version + 1 } }
        : view,
    );
    await this.refreshCopies(duty, period, card);
    return card;
  }

  /** 撤回: the patrol no longer counts; its history stays. The card returns to its reminder state. */
  async withdraw(actorOpenId: string, key: string, periodKey: string, patrolId: string, version: number): Promise<CardJson> {
    const { duty, actor } = await this.authorised(actorOpenId, key);
    await this.ownPatrol(patrolId, version, actor.id);
    if (!(await this.deps.patrols.change(patrolId, version, actor.id, { action: 'withdrawn' }))) {
      throw new StaleError('该巡河记录已被更正或撤回，卡片已刷新。');
    }
    this.deps.logger.info({ patrol: patrolId, by: actor.id }, 'patrol withdrawn');
    const card = await this.currentCard(key, periodKey);
    await this.refreshCopies(duty, this.period(periodKey), card);
    return card;
  }

  /**
   * 明查暗访 report from the liaison unit (or the River Chief Office, which works with it,
   * art. 9): shown on the chief's reminder card and form as 本次巡河关注事项.
   */
  async submitFocus(actorOpenId: string, waterBodyId: string, periodKey: string, clues: string[], requests: string[]): Promise<CardJson> {
    const directory = await this.requireDirectory();
    const { actor } = this.liaisonActor(directory, actorOpenId, waterBodyId);
    const items = [...clues.map((c) => `问题线索：${c}`), ...requests.map((r) => `乡镇诉求：${r}`)];
    if (items.length === 0) throw new UserInputError('请至少填写一条问题线索或乡镇需协调解决的事项');
    const period = this.period(periodKey);
    await this.deps.patrols.setNote(waterBodyId, 'focus', period.key, items, actor.id);
    const duty = chiefDuties(directory, SEED_OBLIGATIONS).find((d) => d.role === 'riverChief' && d.waterBodyId === waterBodyId);
    if (!duty) throw new StaleError('该河湖已没有区级河湖长，无需报送。');
    await this.refreshCopies(duty, period, await this.currentCard(dutyKey(duty), period.key));
    const view = this.liaisonView(directory, duty, period, { items, byName: actor.name });
    if (!view) throw new StaleError('该河湖已没有联络员单位。');
    return this.deps.cards.liaisonRequest(view);
  }

  /** 重难点问题 (art. 9): the liaison unit's standing list for a water body, found by any unique part of its name. */
  async setKeyProblems(actorOpenId: string, waterQuery: string, items: string[]): Promise<{ waterBodyName: string; count: number }> {
    const directory = await this.requireDirectory();
    const matches = directory.waterBodies.filter((w) => w.id === waterQuery || w.name.includes(waterQuery));
    if (matches.length === 0) throw new UserInputError(`没有找到河湖“${waterQuery}”`);
    if (matches.length > 1) throw new UserInputError(`“${waterQuery}”对应多条河湖：${matches.map((w) => w.name).join('、')}，请写得更完整些`);
    const water = matches[0]!;
    const { actor } = this.liaisonActor(directory, actorOpenId, water.id);
    await this.deps.patrols.setNote(water.id, 'keyProblems', undefined, items, actor.id);
    return { waterBodyName: water.name, count: items.length };
  }

  /**
   * A photo or location sent in the thread of a patrol card goes with the patrol recorded for
   * that duty and period (the way people already report: reply with pictures). Returns the
   * acknowledgement to send, or undefined when the thread is not a patrol card's.
   */
  async attachFromThread(
    senderOpenId: string,
    rootMessageId: string,
    attachment: { photo: string } | { location: { name: string; latitude: string; longitude: string } },
  ): Promise<string | undefined> {
    const key = await this.deps.messenger.keyOfMessage(rootMessageId);
    const match = key ? /^patrol-reminder:(.+):([^:]+):d\d+$/.exec(key) : null;
    if (!match?.[1] || !match[2]) return undefined;
    const directory = await this.requireDirectory();
    const actor = directory.people.find((p) => p.openId === senderOpenId);
    if (!actor) return undefined;
    const duty = chiefDuties(directory, SEED_OBLIGATIONS).find((d) => dutyKey(d) === match[1]);
    const period = parsePeriodKey(match[2], this.deps.timeZone);
    if (!duty || !period) return undefined;
    if (!mayRecordPatrol(directory, actor.id, { chiefId: duty.personId, waterBodyId: duty.role === 'generalChief' ? undefined : duty.waterBodyId }).may) {
      return '只有河湖长本人或其联络员单位人员的照片和位置会附到巡河记录中。';
    }
    const patrol = await this.deps.patrols.latestIn(duty.personId, duty.role === 'generalChief' ? undefined : duty.waterBodyId, period.start, period.end);
    if (!patrol) return '请先点击卡片上的“记录巡河”提交本次巡河，再发送照片或位置。';
    await this.deps.patrols.attach(patrol.key, attachment);
    const day = monthDay(toLocal(patrol.patrolledAt, this.deps.timeZone));
    return 'photo' in attachment ? `已将照片附到${day}的巡河记录。` : `已将位置“${attachment.location.name}”附到${day}的巡河记录。`;
  }

  /** 已安排: the chief plans a day; reminders wait until then. */
  async plan(actorOpenId: string, key: string, periodKey: string, day: LocalDate): Promise<CardJson> {
    const { actor, duty } = await this.authorised(actorOpenId, key);
    const period = this.period(periodKey);
    const today = toLocal(this.deps.clock.now(), this.deps.timeZone);
    const tooEarly = day.year * 10_000 + day.month * 100 + day.day < today.year * 10_000 + today.month * 100 + today.day;
    if (tooEarly) throw new UserInputError('安排的巡河日期不能早于今天');
    if (fromLocal(day, this.deps.timeZone).getTime() >= period.end.getTime()) {
      throw new UserInputError(`安排的日期须在截止日（${monthDay(period.lastDay)}）之前`);
    }
    await this.deps.patrols.setPlan(`${key}:${periodKey}`, day, actor.id);
    const card = await this.currentCard(key, periodKey);
    await this.refreshCopies(duty, period, card);
    return card;
  }

  /** 查看责任河湖: the person's duties and where each stands this period. */
  async dutyList(actorOpenId: string): Promise<CardJson> {
    const directory = await this.requireDirectory();
    const person = directory.people.find((p) => p.openId === actorOpenId);
    if (!person) throw new ForbiddenError(NOT_IN_DIRECTORY);
    const now = this.deps.clock.now();
    const tz = this.deps.timeZone;
    const mine = chiefDuties(directory, SEED_OBLIGATIONS).filter((d) => d.personId === person.id);
    const patrols = await this.deps.patrols.factsSince(periodContaining('year', now, tz).start, [person.id]);
    const duties = mine.map((duty) => {
      const period = periodContaining(duty.obligation.period, now, tz);
      const done = facts(patrols, duty).filter((t) => contains(period, t)).length;
      const label = this.waterName(directory, duty) ?? '全区（区级总河长）';
      const status = done >= duty.obligation.times ? `${periodLabel(period, true)}已巡河 ✓` : `${periodLabel(period, true)}尚未巡河，截止${monthDay(period.lastDay)}`;
      return { label, status, dutyKey: dutyKey(duty), periodKey: period.key, done: done >= duty.obligation.times };
    });
    return this.deps.cards.dutyList({ personName: person.name, duties });
  }

  // ---- helpers ----

  /** A member of the water body's liaison unit, or of the River Chief Office. */
  private liaisonActor(directory: Directory, actorOpenId: string, waterBodyId: string): { actor: Person } {
    const actor = directory.people.find((p) => p.openId === actorOpenId);
    if (!actor) throw new ForbiddenError(NOT_IN_DIRECTORY);
    const water = directory.waterBodies.find((w) => w.id === waterBodyId);
    const allowed = directory.units.some(
      (u) => (u.id === water?.liaisonUnit || u.kind === 'riverChiefOffice') && u.members.includes(actor.id),
    );
    if (!allowed) throw new ForbiddenError('只有该河湖的联络员单位或区河长制办公室人员可以报送。');
    return { actor };
  }

  private liaisonView(directory: Directory, duty: ChiefDuty, period: Period, submitted: { items: string[]; byName: string } | undefined) {
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

  private async notesFor(duty: ChiefDuty, period: Period): Promise<{ keyProblems: string[]; focus: string[] }> {
    return duty.waterBodyId ? this.deps.patrols.notes(duty.waterBodyId, period.key) : { keyProblems: [], focus: [] };
  }

  private async factsFor(duty: ChiefDuty, now: Date): Promise<Date[]> {
    return facts(await this.deps.patrols.factsSince(periodContaining('year', now, this.deps.timeZone).start, [duty.personId]), duty);
  }

  /** The patrol, if this person recorded it and it is still as they saw it. */
  private async ownPatrol(patrolId: string, version: number, actorId: string) {
    const patrol = await this.deps.patrols.findByKey(patrolId);
    if (!patrol) throw new StaleError('找不到该巡河记录，卡片已刷新。');
    if (patrol.recordedBy !== actorId) throw new ForbiddenError('只有记录人本人可以更正或撤回这条巡河记录。');
    if (patrol.status !== 'recorded' || patrol.version !== version) throw new StaleError('该巡河记录已被更正或撤回，卡片已刷新。');
    return patrol;
  }

  private calendar(directory: Directory): WorkCalendar {
    return new WorkCalendar({ holidays: directory.calendar.holidays, makeUpWorkdays: directory.calendar.makeUpWorkdays });
  }

  private async requireDirectory(): Promise<Directory> {
    const directory = await this.deps.directory.loadDirectory();
    if (!directory) throw new UserInputError('尚未导入组织名录，请联系区河长制办公室。');
    return directory;
  }

  private person(directory: Directory, id: string): Person | undefined {
    return directory.people.find((p) => p.id === id);
  }

  private waterName(directory: Directory, duty: ChiefDuty): string | undefined {
    return duty.waterBodyId ? directory.waterBodies.find((w) => w.id === duty.waterBodyId)?.name : undefined;
  }

  private findDuty(directory: Directory, key: string): ChiefDuty {
    const duty = chiefDuties(directory, SEED_OBLIGATIONS).find((d) => dutyKey(d) === key);
    // The roster changed since the card was sent: the duty is gone.
    if (!duty) throw new StaleError('该巡河职责已变更，请以最新的组织名录为准。');
    return duty;
  }

  private period(periodKey: string): Period {
    const period = parsePeriodKey(periodKey, this.deps.timeZone);
    if (!period) throw new StaleError('卡片数据无效，请重新打开最新的卡片。');
    return period;
  }

  private async authorised(actorOpenId: string, key: string) {
    const directory = await this.requireDirectory();
    const actor = directory.people.find((p) => p.openId === actorOpenId);
    if (!actor) throw new ForbiddenError(NOT_IN_DIRECTORY);
    const duty = this.findDuty(directory, key);
    const right = mayRecordPatrol(directory, actor.id, { chiefId: duty.personId, waterBodyId: duty.role === 'generalChief' ? undefined : duty.waterBodyId });
    if (!right.may) throw new ForbiddenError(right.reason);
    return { directory, duty, actor, onBehalf: right.onBehalf };
  }

  private recipient(directory: Directory, duty: ChiefDuty): { to: Recipient; mention: string | undefined } | undefined {
    const chief = this.person(directory, duty.personId);
    const water = directory.waterBodies.find((w) => w.id === duty.waterBodyId);
    if (directory.reminderDelivery === 'groupChat' && water?.chatId) return { to: { chatId: water.chatId }, mention: chief?.openId };
    if (chief?.openId) return { to: { openId: chief.openId }, mention: undefined };
    return water?.chatId ? { to: { chatId: water.chatId }, mention: undefined } : undefined;
  }

  private reminderView(
    directory: Directory,
    duty: ChiefDuty,
    period: Period,
    now: Date,
    patrolTimes: Date[],
    plannedDay: LocalDate | undefined,
    mentionOpenId: string | undefined,
    notes: { keyProblems: string[]; focus: string[] },
  ): PatrolReminderView {
    const tz = this.deps.timeZone;
    const year = periodContaining('year', now, tz);
    return {
      chiefName: this.person(directory, duty.personId)?.name ?? duty.personId,
      mentionOpenId,
      waterBodyName: this.waterName(directory, duty),
      periodLabel: periodLabel(period, contains(period, now)),
      deadline: monthDay(period.lastDay),
      daysLeft: Math.max(daysLeft(period, now, tz), 0),
      yearDone: patrolTimes.filter((t) => contains(year, t)).length,
      yearTarget: PERIODS_PER_YEAR[duty.obligation.period] * duty.obligation.times,
      dutyKey: dutyKey(duty),
      periodKey: period.key,
      plannedDay: plannedDay ? monthDay(plannedDay) : undefined,
      keyProblems: notes.keyProblems,
      focus: notes.focus,
    };
  }

  /** Every reminder card already sent for this duty and period shows the same state. */
  private async refreshCopies(duty: ChiefDuty, period: Period, card: CardJson): Promise<void> {
    const directory = await this.requireDirectory();
    const stages = reminderStages(period, this.policies(directory)[period.kind], this.calendar(directory), this.deps.timeZone);
    const version = this.deps.clock.now().getTime();
    for (const stage of stages) {
      const key = reminderKey(duty, period.key, stage.stage);
      const messageId = await this.deps.messenger.deliveredMessageId(key);
      if (messageId) await this.deps.messenger.updateCard(`${key}:update:${version}`, messageId, card);
    }
  }
}
