import { type Directory, isAccountable, type Person, type Unit } from '../directory/directory.js';
import type { Issue, IssueSourceKind } from './issue.js';
import type { IssueActor } from './lifecycle.js';

/**
 * Who is involved in a problem, read from the directory: the acting person's standing for
 * the lifecycle's permission checks, and the people cards and reports go to.
 */

export function unitsOf(directory: Directory, personId: string): Unit[] {
  return directory.units.filter((u) => u.members.includes(personId));
}

export function riverChiefOffice(directory: Directory): Unit | undefined {
  return directory.units.find((u) => u.kind === 'riverChiefOffice');
}

export function isOfficeStaff(directory: Directory, personId: string): boolean {
  return riverChiefOffice(directory)?.members.includes(personId) ?? false;
}

/** How this person stands to this problem. */
export function issueActor(
  directory: Directory,
  person: Person,
  issue: Pick<Issue, 'assigneeUnit' | 'supervisorUnits'> & Partial<Pick<Issue, 'foundBy' | 'reportedBy'>>,
): IssueActor {
  const mine = new Set(unitsOf(directory, person.id).map((u) => u.id));
  return {
    personId: person.id,
    isOffice: isOfficeStaff(directory, person.id),
    isAssignee: issue.assigneeUnit !== undefined && mine.has(issue.assigneeUnit),
    isSupervisor: issue.supervisorUnits.some((u) => mine.has(u)),
    isReporter: issue.foundBy === person.id || issue.reportedBy === person.id,
  };
}

/** How a unit's people stand to this problem, as one: a unit chat's copy of the card offers what they may do. */
export function unitActor(
  directory: Directory,
  unitId: string,
  issue: Pick<Issue, 'assigneeUnit' | 'supervisorUnits'>,
): IssueActor {
  return {
    personId: '',
    isOffice: riverChiefOffice(directory)?.id === unitId,
    isAssignee: issue.assigneeUnit === unitId,
    isSupervisor: issue.supervisorUnits.includes(unitId),
  };
}

/**
 * The latest 责任退回 by one of these units, when none of them has the problem again: their
 * copy shows it returned, with nothing left for them to do.
 */
export function returnedBy(
  issue: Pick<Issue, 'assigneeUnit' | 'history'>,
  unitIds: string[],
): Issue['history'][number] | undefined {
  if (issue.assigneeUnit && unitIds.includes(issue.assigneeUnit)) return undefined;
  return [...issue.history]
    .reverse()
    .find((h) => h.action === 'returnResponsibility' && !!h.facts?.unitId && unitIds.includes(h.facts.unitId));
}

/**
 * The chief who cares about a problem and gets the closing report (art. 8): the water
 * body's district chief, else the chief of the township where it is.
 */
export function responsibleChief(
  directory: Directory,
  waterBodyId: string | undefined,
  townshipId: string | undefined,
): string | undefined {
  const water = directory.waterBodies.find((w) => w.id === waterBodyId);
  if (!water) return undefined;
  if (water.districtChief) return water.districtChief;
  if (townshipId && water.townshipChiefs[townshipId]) return water.townshipChiefs[townshipId];
  const chiefs = Object.values(water.townshipChiefs);
  return chiefs.length === 1 ? chiefs[0] : undefined;
}

/** The township chief of the problem's water body in the assignee township (the overdue ladder's second rung). */
export function townshipChiefFor(
  directory: Directory,
  waterBodyId: string | undefined,
  townshipId: string | undefined,
): string | undefined {
  if (!townshipId) return undefined;
  return directory.waterBodies.find((w) => w.id === waterBodyId)?.townshipChiefs[townshipId];
}

/**
 * Supervisors recorded at assignment (art. 15): the water body's liaison unit and the
 * competent department the office names.
 */
export function supervisorsFor(
  directory: Directory,
  waterBodyId: string | undefined,
  department: string | undefined,
  assignee: string,
): string[] {
  const liaison = directory.waterBodies.find((w) => w.id === waterBodyId)?.liaisonUnit;
  return [liaison, department].filter((u): u is string => !!u && u !== assignee);
}

/** The units a problem may be assigned to: townships and departments (liaison units are departments too). */
export function assignableUnits(directory: Directory): Unit[] {
  return directory.units.filter(isAccountable);
}

/**
 * Who may look at a problem's card on request: the office, the units handling or supervising
 * it, its water body's chiefs and whoever found or reported it.
 */
export function mayViewIssue(
  directory: Directory,
  person: Person,
  issue: Pick<Issue, 'assigneeUnit' | 'supervisorUnits' | 'waterBodyId' | 'foundBy' | 'reportedBy' | 'chiefId'>,
): boolean {
  const actor = issueActor(directory, person, issue);
  if (actor.isOffice || actor.isAssignee || actor.isSupervisor) return true;
  if ([issue.foundBy, issue.reportedBy, issue.chiefId].includes(person.id) || directory.generalChief === person.id)
    return true;
  const water = directory.waterBodies.find((w) => w.id === issue.waterBodyId);
  if (!water) return false;
  const liaison = directory.units.find((u) => u.id === water.liaisonUnit);
  return (
    water.districtChief === person.id ||
    Object.values(water.townshipChiefs).includes(person.id) ||
    Object.values(water.villageChiefs).includes(person.id) ||
    (liaison?.members.includes(person.id) ?? false)
  );
}

/**
 * Who may register a problem on a water body, and which source it counts as: the offices'
 * registrations are 河长办登记; a liaison unit's on the water body it serves are the clues of its
 * 明查暗访 (art. 6); a chief's on a water body of theirs are 巡河发现; anyone else who may register
 * (a liaison unit or chief elsewhere) found it in the course of work, 日常发现.
 */
export function registrationSource(
  directory: Directory,
  person: Person,
  waterBodyId?: string,
): Extract<IssueSourceKind, 'office' | 'clue' | 'patrol' | 'daily'> | undefined {
  const mine = unitsOf(directory, person.id);
  const kinds = new Set(mine.map((u) => u.kind));
  if (kinds.has('riverChiefOffice') || kinds.has('generalChiefOffice')) return 'office';
  const chiefOf = (w: Directory['waterBodies'][number]) =>
    w.districtChief === person.id ||
    Object.values(w.townshipChiefs).includes(person.id) ||
    Object.values(w.villageChiefs).includes(person.id);
  const isChief = directory.generalChief === person.id || directory.waterBodies.some(chiefOf);
  if (!kinds.has('liaisonUnit') && !isChief) return undefined;
  if (waterBodyId === undefined) return kinds.has('liaisonUnit') ? 'clue' : 'patrol';
  const water = directory.waterBodies.find((w) => w.id === waterBodyId);
  if (water && mine.some((u) => u.kind === 'liaisonUnit' && u.id === water.liaisonUnit)) return 'clue';
  if (water && (directory.generalChief === person.id || chiefOf(water))) return 'patrol';
  return 'daily';
}
