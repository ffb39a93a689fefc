import { type Directory, personName, unitName } from '../../domain/directory/directory.js';
import { unitReachable } from '../../domain/directory/reachability.js';
import { issueActor, returnedBy, unitActor, unitsOf } from '../../domain/issues/involvement.js';
import { type Issue, SOURCE_NAMES } from '../../domain/issues/issue.js';
import { availableActions, type IssueActor } from '../../domain/issues/lifecycle.js';
import { deadlineStatus } from '../../domain/issues/supervision.js';
import { shortDate } from '../../domain/time/format.js';
import { type CopyRenderer, splitPlace } from '../card-copies.js';
import { deadlineText } from './deadline-text.js';
import { historyLineText } from './history-text.js';
import type { IssueCardPresenter, IssueView } from './views.js';

/** When a card is drawn and the district's zone: what its days, 剩N天 and 已逾期 are counted from. */
export interface CardTime {
  now: Date;
  timeZone: string;
}

/**
 * A handling or supervising unit's name, marked when nothing reaches it (no member with an
 * account, no chat): the card then says so to everyone who sees it, instead of implying the
 * unit was told. The assignee is checked at 交办; a supervising department is not, and a
 * directory imported later may leave either without anyone.
 */
function unitLabel(directory: Directory, unitId: string): string {
  const unit = directory.units.find((u) => u.id === unitId);
  return unit && !unitReachable(directory, unit) ? `${unit.name}（无法送达）` : unitName(directory, unitId);
}

/**
 * The problem card's state as plain data, with no buttons (see placeView for what a copy's
 * people may do). The same for every copy, whoever or whatever produced it.
 */
export function issueView(directory: Directory, issue: Issue, { now, timeZone }: CardTime): IssueView {
  const day = (at: Date) => shortDate(at, timeZone);
  const water = directory.waterBodies.find((w) => w.id === issue.waterBodyId);
  const history = issue.history;
  return {
    id: issue.id,
    version: issue.version,
    number: issue.number,
    state: issue.state,
    waterBodyName: water?.name,
    townshipName: issue.townshipId ? unitName(directory, issue.townshipId) : undefined,
    place: issue.place,
    description: issue.description,
    category: issue.category,
    urgency: issue.urgency,
    sourceName: SOURCE_NAMES[issue.source.kind],
    foundByName: personName(directory, issue.foundBy),
    foundOn: day(issue.foundAt),
    assigneeName: issue.assigneeUnit ? unitLabel(directory, issue.assigneeUnit) : undefined,
    supervisorNames: issue.supervisorUnits.map((u) => unitLabel(directory, u)),
    deadline: issue.deadline ? deadlineText(issue.deadline, timeZone) : undefined,
    deadlineStatus: issue.deadline ? deadlineStatus(issue.deadline, now, timeZone) : undefined,
    overdue: !!issue.deadline && now.getTime() >= issue.deadline.getTime(),
    requirement: issue.requirement,
    pendingExtension: issue.pendingExtension
      ? {
          until: deadlineText(issue.pendingExtension.until, timeZone),
          reason: issue.pendingExtension.reason,
          byName: personName(directory, issue.pendingExtension.by),
        }
      : undefined,
    progress: issue.progress.slice(-3).map((p) => ({
      when: day(p.at),
      byName: personName(directory, p.by),
      note: p.note,
      photos: p.photos.length,
    })),
    history: history.map((h, i) => ({
      when: day(h.at),
      byName: personName(directory, h.by),
      text: historyLineText(directory, issue, history, i, timeZone),
    })),
    photos: issue.photos.length,
    actions: [],
    mentionOpenIds: [],
  };
}

/**
 * What the people at a place see they may do (destinations.ts names places): the office's
 * chat the office's buttons, a unit's chat that unit's, a person's direct chat that person's;
 * a water body's chat, shared by all kinds of people, and a place unknown, none. A unit that
 * returned the problem (责任退回) and does not have it again sees it 已退回, with nothing to do.
 * The buttons are a courtesy: every tap is checked (lifecycle.ts).
 */
export function placeView(
  directory: Directory,
  issue: Issue,
  place: string | undefined,
  timeZone: string,
): Pick<IssueView, 'actions' | 'returned'> {
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
        unitName: returned.facts?.unitName ?? unitName(directory, returned.facts?.unitId),
        on: shortDate(returned.at, timeZone),
      },
    };
  return { actions: availableActions(issue, actor) };
}

/** The problem's card for each place as the problem now stands (see placeView). */
export function issueCardRenderer(
  cards: IssueCardPresenter,
  directory: Directory,
  issue: Issue,
  time: CardTime,
): CopyRenderer {
  const base = issueView(directory, issue, time);
  return (place) => cards.issue({ ...base, ...placeView(directory, issue, place, time.timeZone) });
}
