import type { Clock } from '../../domain/clock.js';
import { messageKey } from '../../domain/delivery/message-keys.js';
import { type Directory, type Person, personName, type Unit, unitName } from '../../domain/directory/directory.js';
import { issueActor, returnedBy, unitActor, unitsOf } from '../../domain/issues/involvement.js';
import { type Issue, type IssueHistoryLine, numberPrefix, SOURCE_NAMES } from '../../domain/issues/issue.js';
import { availableActions, type IssueActor, type IssueSnapshot } from '../../domain/issues/lifecycle.js';
import { deadlineDay, deadlineStatus, supervisionDue, supervisionSteps } from '../../domain/issues/supervision.js';
import { monthDay, shortDate } from '../../domain/time/format.js';
import { WorkCalendar } from '../../domain/time/work-calendar.js';
import { toLocal } from '../../domain/time/zoned.js';
import type { Logger } from '../../log/logger.js';
import type { ClaimStore } from '../../store/claim-store.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { IssueStore } from '../../store/issue-store.js';
import type { PatrolStore } from '../../store/patrol-store.js';
import {
  adoptedCopy,
  type CopyRenderer,
  isCopy,
  placeOfTapped,
  splitPlace,
  updateDeliveredCards,
} from '../card-copies.js';
import { type Destination, notify, officeDestinations, personDestination, unitDestinations } from '../destinations.js';
import type { CardJson, MessageBody, Messenger } from '../ports.js';
import { requireDirectory } from '../require-directory.js';
import type { IssueCardPresenter, IssueView } from './views.js';

export interface IssueDeps {
  directory: DirectoryStore;
  issues: IssueStore;
  claims: ClaimStore;
  /** The patrols problems were registered from: whether one was withdrawn, and by whom it was entered. */
  patrols: Pick<PatrolStore, 'findByKey'>;
  messenger: Messenger;
  cards: IssueCardPresenter;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

export type { Destination };

const HISTORY_TEXT: Record<IssueHistoryLine['action'], string> = {
  reported: '登记问题',
  assign: '交办',
  accept: '接收，开始整改',
  returnResponsibility: '责任退回',
  progress: '报送进展',
  requestClose: '申请销号',
  verifyPass: '核查通过，予以销号',
  verifyFail: '退回整改',
  requestExtension: '申请延期',
  approveExtension: '同意延期',
  rejectExtension: '不同意延期',
  withdraw: '撤销问题',
  confirm: '确认问题属实，予以保留',
};

/**
 * What the problem workflows share: the directory as an action sees it, where cards go,
 * and the card's state. IssueService (taps, commands, replies) and the supervision sweep
 * both build on it, so a card looks the same whoever produced it.
 */
export class IssueContext {
  constructor(readonly deps: IssueDeps) {}

  requireDirectory(): Promise<Directory> {
    return requireDirectory(this.deps.directory);
  }

  numbering(directory: Directory, at: Date): { prefix: string; year: number } {
    return {
      prefix: numberPrefix(directory.district, directory.issues.numberPrefix),
      year: toLocal(at, this.deps.timeZone).year,
    };
  }

  personName(directory: Directory, id: string | undefined): string {
    return personName(directory, id);
  }

  unitName(directory: Directory, id: string | undefined): string {
    return unitName(directory, id);
  }

  person(directory: Directory, openId: string): Person | undefined {
    return directory.people.find((p) => p.openId === openId);
  }

  day(at: Date): string {
    return shortDate(at, this.deps.timeZone);
  }

  /** The deadline as the day it stands for: `12月4日`. */
  deadlineText(deadline: Date): string {
    return monthDay(deadlineDay(deadline, this.deps.timeZone));
  }

  calendar(directory: Directory): WorkCalendar {
    return new WorkCalendar({
      holidays: directory.calendar.holidays,
      makeUpWorkdays: directory.calendar.makeUpWorkdays,
    });
  }

  /** When the supervision sweep should next look at a problem in this state, or null. */
  nextSupervisionAt(directory: Directory, issue: IssueSnapshot, now: Date): Date | null {
    if ((issue.state !== 'assigned' && issue.state !== 'rectifying') || !issue.deadline) return null;
    const steps = supervisionSteps(
      issue.deadline,
      issue.deadlineSetAt ?? now,
      directory.issues,
      directory.reminders.hour,
      this.calendar(directory),
      this.deps.timeZone,
    );
    const { due, nextAt } = supervisionDue(steps, now);
    // Back in rectification after its deadline (退回整改): the due step is acted on at once.
    return due ? now : (nextAt ?? null);
  }

  /** The card's state as plain data, with no buttons: see `viewer` for what a copy's people may do. */
  view(directory: Directory, issue: Issue, history: IssueHistoryLine[], mentionOpenIds: string[] = []): IssueView {
    const now = this.deps.clock.now();
    const tz = this.deps.timeZone;
    const water = directory.waterBodies.find((w) => w.id === issue.waterBodyId);
    return {
      id: issue.id,
      version: issue.version,
      number: issue.number,
      state: issue.state,
      waterBodyName: water?.name,
      townshipName: issue.townshipId ? this.unitName(directory, issue.townshipId) : undefined,
      place: issue.place,
      description: issue.description,
      category: issue.category,
      urgency: issue.urgency,
      sourceName: SOURCE_NAMES[issue.source.kind],
      foundByName: this.personName(directory, issue.foundBy),
      foundOn: this.day(issue.foundAt),
      assigneeName: issue.assigneeUnit ? this.unitName(directory, issue.assigneeUnit) : undefined,
      supervisorNames: issue.supervisorUnits.map((u) => this.unitName(directory, u)),
      deadline: issue.deadline ? this.deadlineText(issue.deadline) : undefined,
      deadlineStatus: issue.deadline ? deadlineStatus(issue.deadline, now, tz) : undefined,
      overdue: !!issue.deadline && now.getTime() >= issue.deadline.getTime(),
      requirement: issue.requirement,
      pendingExtension: issue.pendingExtension
        ? {
            until: this.deadlineText(issue.pendingExtension.until),
            reason: issue.pendingExtension.reason,
            byName: this.personName(directory, issue.pendingExtension.by),
          }
        : undefined,
      progress: issue.progress.slice(-3).map((p) => ({
        when: this.day(p.at),
        byName: this.personName(directory, p.by),
        note: p.note,
        photos: p.photos.length,
      })),
      history: history.map((h, i) => ({
        when: this.day(h.at),
        byName: this.personName(directory, h.by),
        text: `${HISTORY_TEXT[h.action]}${this.stepDetail(directory, issue, history, i)}${h.note && h.action !== 'reported' ? `：${h.note}` : ''}`,
      })),
      photos: issue.photos.length,
      actions: [],
      mentionOpenIds,
    };
  }

  /**
   * What a history line adds to its verb, from the facts it recorded at the time: the unit and
   * deadline of a 交办 (`（金河镇，期限12月4日）`), the unit of a 责任退回, the dates of a 延期
   * (`至12月20日（原期限12月8日）`). Lines stored before facts were kept say what can still be
   * known for certain: an old 交办 not followed by a 责任退回 went to the unit that has it now;
   * any other says 单位未记录; old 延期 lines show only their reason.
   */
  stepDetail(directory: Directory, issue: Issue, history: IssueHistoryLine[], index: number): string {
    const line = history[index];
    if (!line) return '';
    const f = line.facts;
    const unit = f?.unitName ?? (f?.unitId ? this.unitName(directory, f.unitId) : undefined);
    const date = (d: Date | string | undefined) => (d ? this.deadlineText(new Date(d)) : undefined);
    const was = date(f?.previousDeadline) ? `（原期限${date(f?.previousDeadline)}）` : '';
    switch (line.action) {
      case 'assign': {
        if (f) return `（${[unit, date(f.deadline) && `期限${date(f.deadline)}`].filter(Boolean).join('，')}）`;
        const returnedLater = history.slice(index + 1).some((h) => h.action === 'returnResponsibility');
        return `（${!returnedLater && issue.assigneeUnit ? this.unitName(directory, issue.assigneeUnit) : '单位未记录'}）`;
      }
      case 'returnResponsibility':
        return unit ? `（${unit}）` : '';
      case 'requestExtension':
      case 'rejectExtension':
        return date(f?.requestedUntil) ? `至${date(f?.requestedUntil)}${was}` : '';
      case 'approveExtension':
        return date(f?.deadline) ? `至${date(f?.deadline)}${was}` : '';
      default:
        return '';
    }
  }

  /**
   * What the people at a place see they may do (destinations.ts names places): the office's
   * chat the office's buttons, a unit's chat that unit's, a person's direct chat that person's;
   * a water body's chat, shared by all kinds of people, and a place unknown, none. A unit that
   * returned the problem (责任退回) and does not have it again sees it 已退回, with nothing to do.
   * The buttons are a courtesy: every tap is checked (lifecycle.ts).
   */
  viewer(directory: Directory, issue: Issue, place: string | undefined): Pick<IssueView, 'actions' | 'returned'> {
    const { kind, id } = splitPlace(place);
    let actor: IssueActor | undefined;
    let units: string[] = [];
    if (kind === 'unit' && id) {
      actor = unitActor(directory, id, issue);
      units = [id];
    } else if (kind === 'dm' && id) {
      const person = directory.people.find((p) => p.id === id);
      if (person) {
        actor = issueActor(directory, person, issue);
        units = unitsOf(directory, person.id).map((u) => u.id);
      }
    }
    if (!actor) return { actions: [] };
    const returned = actor.isOffice || actor.isSupervisor ? undefined : returnedBy(issue, units);
    if (returned)
      return {
        actions: [],
        returned: {
          unitName: returned.facts?.unitName ?? this.unitName(directory, returned.facts?.unitId),
          on: this.day(returned.at),
        },
      };
    return { actions: availableActions(issue, actor) };
  }

  /** The card for each place as the problem now stands (see viewer). */
  renderer(directory: Directory, issue: Issue): CopyRenderer {
    const base = this.view(directory, issue, issue.history);
    return (place) => this.deps.cards.issue({ ...base, ...this.viewer(directory, issue, place) });
  }

  /** The card for one place; `dm:<person>` is what that person may do. */
  card(directory: Directory, issue: Issue, place: string | undefined): CardJson {
    return this.renderer(directory, issue)(place);
  }

  /** The place whose card a tapped message shows: its copy's place, else the tapper's direct chat. */
  async placeOfTapped(issue: Issue, messageId: string | undefined, tapperId: string): Promise<string> {
    const key = messageId ? await this.deps.messenger.keyOfMessage(messageId) : undefined;
    return placeOfTapped(issue.cardKeys, key, tapperId);
  }

  /** Every copy of the problem's card shows its state now, each as its place sees it. */
  async refreshCopies(issue: Issue, render: CopyRenderer): Promise<void> {
    await updateDeliveredCards(
      this.deps.messenger,
      issue.cardKeys,
      `${issue.version}:${this.deps.clock.now().getTime()}`,
      render,
    );
  }

  /** Posts the place's card there once (the key makes a repeat a no-op) and remembers the copy. */
  async postCard(issue: Issue, destination: Destination, render: CopyRenderer): Promise<void> {
    const key = messageKey('issueCard', { issueId: issue.id, place: destination.place });
    await this.deps.issues.addCardKey(issue.id, key);
    if (!issue.cardKeys.includes(key)) issue.cardKeys.push(key);
    await this.deps.messenger.send(key, destination.to, { kind: 'card', card: render(destination.place) });
  }

  /** Keeps the message a person tapped up to date as a copy of the card, showing what its place may do. */
  async adopt(issue: Issue, messageId: string | undefined, tapperId: string): Promise<void> {
    if (!messageId) return;
    const key = await this.deps.messenger.keyOfMessage(messageId);
    if (!key || isCopy(issue.cardKeys, key)) return;
    const entry = adoptedCopy(key, tapperId);
    await this.deps.issues.addCardKey(issue.id, entry);
    issue.cardKeys.push(entry);
  }

  unitDestinations(directory: Directory, unit: Unit | undefined): Destination[] {
    return unitDestinations(directory, unit);
  }

  officeDestinations(directory: Directory): Destination[] {
    return officeDestinations(directory);
  }

  personDestination(directory: Directory, personId: string | undefined): Destination | undefined {
    return personDestination(directory, personId);
  }

  /** Sends a message once per key to each destination, once to a place named twice. */
  async notify(destinations: Destination[], key: string, body: MessageBody): Promise<void> {
    await notify(this.deps.messenger, destinations, key, body);
  }
}
