import {
  ADMONITION_STAGE_NAMES,
  type AdmonitionAction,
  admonitionInitiators,
  admonitionTransition,
  mayInitiateAdmonition,
  mayIssueNotice,
  mayOrganiseAdmonition,
  REVIEW_OUTCOME_NAMES,
  reviewDue,
  SANCTION_NAMES,
  type Sanction,
  sanctionName,
} from '../../domain/accountability/sanction.js';
import type { Clock } from '../../domain/clock.js';
import { messageKey } from '../../domain/delivery/message-keys.js';
import { type Directory, isOffice, type Person, personName, unitName } from '../../domain/directory/directory.js';
import { assignableUnits } from '../../domain/issues/involvement.js';
import { parseIssueRef } from '../../domain/issues/issue.js';
import { STATE_NAMES } from '../../domain/issues/lifecycle.js';
import { meetingStart } from '../../domain/meetings/meeting-settings.js';
import { matchName } from '../../domain/queries/arguments.js';
import { fullDate, meetingTime } from '../../domain/time/format.js';
import { fromLocal, type LocalDate, toLocal } from '../../domain/time/zoned.js';
import { ForbiddenError, StaleError, UserInputError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { IssueStore } from '../../store/issue-store.js';
import type { SupervisionNoticeDoc } from '../../store/models/issue.js';
import type { SanctionStore } from '../../store/sanction-store.js';
import { updateDeliveredCards } from '../card-copies.js';
import {
  type Destination,
  distinctPlaces,
  notify,
  officeDestinations,
  personDestination,
  unitDestinations,
  unitDestinationsById,
} from '../destinations.js';
import type { CardJson, Messenger } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import type { AdmonitionStep, SanctionCardPresenter, SanctionView } from './views.js';

export interface SanctionDeps {
  directory: DirectoryStore;
  sanctions: SanctionStore;
  issues: IssueStore;
  messenger: Messenger;
  cards: SanctionCardPresenter;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

export interface NoticeInput {
  kind: 'prompt' | 'bulletin';
  /** A 通报 of praise rather than criticism. */
  praise?: boolean;
  unitId: string;
  reason: string;
  /** Problem numbers as people type them (`0042 0043`). */
  issueRefs: string;
}

export interface AdmonitionInput {
  unitId: string;
  initiatorId: string;
  interviewee: string;
  reason: string;
  issueRefs: string;
  day: LocalDate;
  time: string;
  place: string;
  /** open_ids from the person picker. */
  participants: string[];
}

export type AdmonitionStepInput =
  | { step: 'record'; record: string; commitments: string; reviewOn: LocalDate }
  | { step: 'review'; outcome: 'fulfilled' | 'unfulfilled'; note: string }
  | { step: 'refer'; body: string; on: LocalDate; note: string };

/** A sanction just issued: its card, and the unit's name when nobody in it could be told. */
export interface Issued {
  card: CardJson;
  unreachableUnit?: string;
}

const STEP_HEADINGS: Record<AdmonitionStep, string> = {
  record: '记录约谈情况',
  review: '约谈落实情况复核',
  refer: '移交问题线索',
};

/**
 * 提示、通报、约谈 (seed art. 20–21): issued from a form or by confirming a supervision
 * suggestion; each reaches the unit in Feishu, and each is what the yearly assessment deducts
 * for. A 约谈 is organised by 区河长制办公室 through to its 复核, with a reminder on the
 * review day and, where accountability is needed, the referral recorded.
 */
export class SanctionService {
  constructor(private readonly deps: SanctionDeps) {}

  /** The 提示/通报 form, with the unit filled in when the command named one. */
  async noticeForm(actorOpenId: string, kind: 'prompt' | 'bulletin', words = ''): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    if (!mayIssueNotice(directory, person.id))
      throw new ForbiddenError(`只有区总河长办公室、区河长制办公室可以发出${SANCTION_NAMES[kind]}。`);
    const [first = '', ...rest] = words.split(/\s+/).filter(Boolean);
    const named = first ? matchName(first, assignableUnits(directory)) : undefined;
    const unit = named?.kind === 'one' ? named.item.id : undefined;
    return this.deps.cards.noticeForm({
      kind,
      unitOptions: this.unitOptions(directory),
      unit,
      reason: unit ? rest.join(' ') : words.trim() || undefined,
    });
  }

  /** Issues a 提示 or 通报 from the form; `key` makes a retried submission issue it once. */
  async issueNotice(actorOpenId: string, input: NoticeInput, key: string): Promise<Issued> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    if (!mayIssueNotice(directory, person.id))
      throw new ForbiddenError(`只有区总河长办公室、区河长制办公室可以发出${SANCTION_NAMES[input.kind]}。`);
    const unit = assignableUnits(directory).find((u) => u.id === input.unitId);
    if (!unit) throw new UserInputError('请选择被提示或通报的单位');
    const issueIds = await this.issueIds(input.issueRefs);
    const sanction: Sanction = {
      id: `notice:${key}`,
      kind: input.kind,
      unitId: unit.id,
      reason: input.reason,
      issueIds,
      issuedBy: person.id,
      issuedAt: this.deps.clock.now(),
      praise: input.kind === 'bulletin' && input.praise ? true : undefined,
      version: 1,
    };
    return this.issue(directory, sanction);
  }

  /** A supervision suggestion the office confirmed: recorded as the 提示/通报 it is. */
  async fromSupervision(notice: SupervisionNoticeDoc, kind: 'prompt' | 'bulletin', by: string): Promise<void> {
    const directory = await requireDirectory(this.deps.directory);
    await this.issue(directory, {
      id: `supervision:${notice.key}`,
      kind,
      unitId: notice.unitId,
      reason: notice.reason,
      issueIds: [notice.issueKey],
      issuedBy: by,
      issuedAt: this.deps.clock.now(),
      noticeKey: notice.key,
      version: 1,
    });
  }

  /** The 约谈 form: for those who may call one and for the office, which organises it. */
  async admonitionForm(actorOpenId: string, words = ''): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    this.mayArrange(directory, person);
    const named = words.trim() ? matchName(words.trim().split(/\s+/)[0] ?? '', assignableUnits(directory)) : undefined;
    return this.deps.cards.admonitionForm({
      unitOptions: this.unitOptions(directory),
      initiatorOptions: admonitionInitiators(directory).map((id) => ({ value: id, label: personName(directory, id) })),
      personOpenIds: directory.people.flatMap((p) => (p.openId ? [p.openId] : [])),
      initiator: mayInitiateAdmonition(directory, person.id) ? person.id : undefined,
      unit: named?.kind === 'one' ? named.item.id : undefined,
    });
  }

  /** Schedules a 约谈; the card goes to the initiator, the unit, the participants and the office. */
  async scheduleAdmonition(actorOpenId: string, input: AdmonitionInput, key: string): Promise<Issued> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    this.mayArrange(directory, person);
    if (!mayInitiateAdmonition(directory, input.initiatorId))
      throw new UserInputError(
        '约谈须由区总河长、区级河湖长或区总河长办公室、区河长制办公室负责人发起，请重新选择发起人',
      );
    if (!mayOrganiseAdmonition(directory, person.id) && input.initiatorId !== person.id)
      throw new ForbiddenError('您只能以本人名义发起约谈。');
    const unit = assignableUnits(directory).find((u) => u.id === input.unitId);
    if (!unit) throw new UserInputError('请选择被约谈的单位');
    const startsAt = meetingStart(input.day, input.time, this.deps.timeZone);
    if (!startsAt) throw new UserInputError('开始时间格式不对，例如 09:30');
    const now = this.deps.clock.now();
    if (startsAt.getTime() < now.getTime() - 86_400_000) throw new UserInputError('约谈时间已过去，请重新选择日期');
    // The person picker answers with open_ids; participants are kept as the directory's people.
    const participants = input.participants.map((openId) => directory.people.find((p) => p.openId === openId)?.id);
    if (participants.some((id) => id === undefined)) throw new UserInputError('参加人员不在组织名录中，请重新选择');
    const sanction: Sanction = {
      id: `admonition:${key}`,
      kind: 'admonition',
      unitId: unit.id,
      reason: input.reason,
      issueIds: await this.issueIds(input.issueRefs),
      issuedBy: input.initiatorId,
      issuedAt: now,
      admonition: {
        initiatorId: input.initiatorId,
        interviewee: input.interviewee,
        startsAt,
        place: input.place,
        participants: [...new Set(participants.filter((id): id is string => !!id && id !== input.initiatorId))],
        stage: 'scheduled',
      },
      version: 1,
    };
    return this.issue(directory, sanction);
  }

  /** The form for one of the office's steps on a 约谈. */
  async stepForm(actorOpenId: string, id: string, version: number, step: AdmonitionStep): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const sanction = await this.load(id);
    this.mayOrganise(directory, person);
    if (sanction.version !== version) throw new StaleError('卡片已过期，已刷新为最新内容。');
    return this.deps.cards.admonitionStep({
      id,
      version,
      step,
      heading: STEP_HEADINGS[step],
      unitName: unitName(directory, sanction.unitId),
    });
  }

  /** Records a step (the talk, its 复核, the referral); every copy of the card follows. */
  async step(actorOpenId: string, id: string, version: number, input: AdmonitionStepInput): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    this.mayOrganise(directory, person);
    const sanction = await this.load(id);
    if (!sanction.admonition) throw new UserInputError('这不是约谈记录。');
    if (sanction.version !== version) throw new StaleError('卡片已过期，已刷新为最新内容。');
    const now = this.deps.clock.now();
    const hour = directory.reminders.hour;
    const action: AdmonitionAction =
      input.step === 'record'
        ? {
            type: 'record',
            record: input.record,
            commitments: input.commitments,
            reviewOn: fromLocal({ ...input.reviewOn, hour }, this.deps.timeZone),
          }
        : input.step === 'review'
          ? { type: 'review', outcome: input.outcome, note: input.note }
          : { type: 'refer', body: input.body, on: fromLocal(input.on, this.deps.timeZone), note: input.note };
    const result = admonitionTransition(sanction.admonition, action, person.id, now);
    if (!result.ok) throw result.forbidden ? new ForbiddenError(result.reason) : new UserInputError(result.reason);
    const next = result.next;
    if (!(await this.deps.sanctions.updateAdmonition(sanction, next)))
      throw new StaleError('该约谈刚被他人更新，卡片已刷新。');
    const updated = { ...sanction, admonition: next, version: sanction.version + 1 };
    this.deps.logger.info({ sanction: id, step: input.step, by: person.id }, 'admonition step recorded');
    const card = this.deps.cards.sanction(await this.view(directory, updated));
    await updateDeliveredCards(
      this.deps.messenger,
      this.places(directory, updated).map((d) => messageKey('sanctionCard', { sanctionId: id, place: d.place })),
      `v${updated.version}`,
      card,
    );
    if (input.step === 'refer') {
      await notify(
        this.deps.messenger,
        this.leaders(directory, updated),
        messageKey('sanctionReferral', { sanctionId: id }),
        {
          kind: 'text',
          text: `${unitName(directory, updated.unitId)}约谈事项的问题线索已于${fullDate(action.type === 'refer' ? action.on : now, this.deps.timeZone)}移交${input.body}。`,
        },
      );
    }
    return card;
  }

  /** The card as it stands, for the offices, the unit's people and a 约谈's initiator and participants. */
  async card(actorOpenId: string, id: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const sanction = await this.load(id);
    const concerned =
      mayIssueNotice(directory, person.id) ||
      directory.units.some((u) => u.id === sanction.unitId && u.members.includes(person.id)) ||
      (!!sanction.admonition &&
        [sanction.admonition.initiatorId, ...sanction.admonition.participants].includes(person.id));
    if (!concerned) throw new ForbiddenError('您与该记录无关，无法查看。');
    return this.deps.cards.sanction(await this.view(directory, sanction));
  }

  /** 复核 reminders due now: to the office and the initiator, once per 约谈 and review day. */
  async sweep(now: Date): Promise<number> {
    const directory = await this.deps.directory.loadDirectory();
    if (!directory) return 0;
    let sent = 0;
    for (const sanction of await this.deps.sanctions.reviewsDue(now)) {
      const admonition = sanction.admonition;
      if (!admonition || !reviewDue(admonition, now) || !admonition.reviewOn) continue;
      const day = fullDate(admonition.reviewOn, this.deps.timeZone);
      const text = `约谈复核提醒：${unitName(directory, sanction.unitId)}（${admonition.interviewee}）的约谈承诺事项应于${day}复核。请核实落实情况，在约谈卡片上点击“复核”记录结果。\n承诺事项：${admonition.commitments ?? ''}`;
      const places = distinctPlaces([
        ...officeDestinations(directory),
        personDestination(directory, admonition.initiatorId),
      ]);
      // The review is recorded on the 约谈 card, weeks after it was sent: a copy older than
      // Feishu's 14-day window is sent afresh so its “复核” button answers.
      const card = this.deps.cards.sanction(await this.view(directory, sanction));
      await updateDeliveredCards(
        this.deps.messenger,
        places.map((d) => messageKey('sanctionCard', { sanctionId: sanction.id, place: d.place })),
        `review:${day}`,
        card,
      );
      await notify(
        this.deps.messenger,
        places,
        messageKey('sanctionReviewReminder', { sanctionId: sanction.id, day }),
        { kind: 'text', text },
      );
      sent += 1;
    }
    if (sent > 0) this.deps.logger.info({ reviews: sent }, 'admonition review reminders sent');
    return sent;
  }

  private async issue(directory: Directory, sanction: Sanction): Promise<Issued> {
    const year = toLocal(sanction.issuedAt, this.deps.timeZone).year;
    const created = await this.deps.sanctions.create(sanction, year);
    const current = created ? sanction : ((await this.deps.sanctions.get(sanction.id)) ?? sanction);
    const card = this.deps.cards.sanction(await this.view(directory, current));
    if (created)
      this.deps.logger.info({ sanction: sanction.id, kind: sanction.kind, unit: sanction.unitId }, 'sanction issued');
    for (const d of this.places(directory, current))
      await this.deps.messenger.send(messageKey('sanctionCard', { sanctionId: current.id, place: d.place }), d.to, {
        kind: 'card',
        card,
      });
    const unreachable = unitDestinationsById(directory, current.unitId).length === 0;
    if (unreachable)
      this.deps.logger.warn(
        { sanction: current.id, unit: current.unitId },
        'sanction recorded, but the unit has no chat or members to receive it',
      );
    return { card, unreachableUnit: unreachable ? unitName(directory, current.unitId) : undefined };
  }

  /** Where a sanction's card goes: the unit, both offices, and for a 约谈 its initiator and participants. */
  private places(directory: Directory, sanction: Sanction): Destination[] {
    const offices = directory.units.filter(isOffice);
    return distinctPlaces([
      ...unitDestinationsById(directory, sanction.unitId),
      ...offices.flatMap((u) => unitDestinations(directory, u)),
      ...(sanction.admonition
        ? [sanction.admonition.initiatorId, ...sanction.admonition.participants].map((id) =>
            personDestination(directory, id),
          )
        : []),
    ]);
  }

  /** Who hears of a referral: the initiator and the offices. */
  private leaders(directory: Directory, sanction: Sanction): Destination[] {
    return distinctPlaces([
      ...officeDestinations(directory),
      personDestination(directory, sanction.admonition?.initiatorId),
    ]);
  }

  private async view(directory: Directory, sanction: Sanction): Promise<SanctionView> {
    const tz = this.deps.timeZone;
    const issues = [];
    for (const issueId of sanction.issueIds) {
      const issue = await this.deps.issues.get(issueId);
      if (issue)
        issues.push({
          id: issue.id,
          number: issue.number,
          description: issue.description,
          stateName: STATE_NAMES[issue.state],
        });
    }
    const a = sanction.admonition;
    return {
      id: sanction.id,
      version: sanction.version,
      kind: sanction.kind,
      kindName: sanctionName(sanction),
      praise: !!sanction.praise,
      unitName: unitName(directory, sanction.unitId),
      reason: sanction.reason,
      issuedByName: personName(directory, sanction.issuedBy),
      issuedOn: fullDate(sanction.issuedAt, tz),
      issues,
      admonition: a && {
        stage: a.stage,
        stageName: ADMONITION_STAGE_NAMES[a.stage],
        initiatorName: personName(directory, a.initiatorId),
        interviewee: a.interviewee,
        when: meetingTime(a.startsAt, tz),
        place: a.place,
        participantNames: a.participants.map((id) => personName(directory, id)).join('、'),
        record: a.record,
        commitments: a.commitments,
        reviewOn: a.reviewOn && fullDate(a.reviewOn, tz),
        review: a.review && {
          outcomeName: REVIEW_OUTCOME_NAMES[a.review.outcome],
          note: a.review.note,
          byName: personName(directory, a.review.by),
          on: fullDate(a.review.at, tz),
        },
        referral: a.referral && {
          body: a.referral.body,
          on: fullDate(a.referral.on, tz),
          note: a.referral.note,
          byName: personName(directory, a.referral.by),
        },
      },
    };
  }

  private unitOptions(directory: Directory) {
    return assignableUnits(directory).map((u) => ({ value: u.id, label: u.name }));
  }

  private async issueIds(refs: string): Promise<string[]> {
    const ids: string[] = [];
    for (const word of refs.split(/[\s,，、;；]+/).filter(Boolean)) {
      const ref = parseIssueRef(word);
      const issue = ref ? await this.deps.issues.findByRef(ref) : undefined;
      if (!issue) throw new UserInputError(`找不到问题编号“${word}”，请核对后重新填写`);
      if (!ids.includes(issue.id)) ids.push(issue.id);
    }
    return ids;
  }

  private async load(id: string): Promise<Sanction> {
    const sanction = await this.deps.sanctions.get(id);
    if (!sanction) throw new UserInputError('找不到该记录，可能已被删除。');
    return sanction;
  }

  private mayArrange(directory: Directory, person: Person): void {
    if (!mayInitiateAdmonition(directory, person.id) && !mayOrganiseAdmonition(directory, person.id)) {
      throw new ForbiddenError(
        '约谈由区总河长、区级河湖长或区总河长办公室、区河长制办公室负责人发起，由区河长制办公室组织。',
      );
    }
  }

  private mayOrganise(directory: Directory, person: Person): void {
    if (!mayOrganiseAdmonition(directory, person.id))
      throw new ForbiddenError('约谈的记录、复核和移交由区河长制办公室办理。');
  }
}
