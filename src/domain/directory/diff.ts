import type { Directory, Person, Unit, WaterBody } from './directory.js';

/** What an import changes, per kind of record; the summary card shows these counts and names. */
export interface KindDiff<T> {
  added: T[];
  changed: T[];
  /** Ids present before and absent from the new roster. */
  removed: string[];
  unchanged: number;
}

export interface DirectoryDiff {
  people: KindDiff<Person>;
  units: KindDiff<Unit>;
  waterBodies: KindDiff<WaterBody>;
  settingsChanged: boolean;
}

export type DirectorySettings = Pick<
  Directory,
  | 'district'
  | 'generalChief'
  | 'duties'
  | 'reminderDelivery'
  | 'calendar'
  | 'reminders'
  | 'issues'
  | 'meetings'
  | 'goLiveOn'
>;

/** Key order and absent-vs-undefined must not make equal records look different. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function diffKind<T extends { id: string }>(current: readonly T[], next: readonly T[]): KindDiff<T> {
  const before = new Map(current.map((item) => [item.id, canonical(item)]));
  const diff: KindDiff<T> = { added: [], changed: [], removed: [], unchanged: 0 };
  for (const item of next) {
    const previous = before.get(item.id);
    if (previous === undefined) diff.added.push(item);
    else if (previous !== canonical(item)) diff.changed.push(item);
    else diff.unchanged += 1;
    before.delete(item.id);
  }
  diff.removed = [...before.keys()];
  return diff;
}

export function diffDirectory(
  current: { people: Person[]; units: Unit[]; waterBodies: WaterBody[]; settings: DirectorySettings | undefined },
  next: Directory,
): DirectoryDiff {
  const settings: DirectorySettings = {
    district: next.district,
    generalChief: next.generalChief,
    duties: next.duties,
    reminderDelivery: next.reminderDelivery,
    calendar: next.calendar,
    reminders: next.reminders,
    issues: next.issues,
    meetings: next.meetings,
    goLiveOn: next.goLiveOn,
  };
  return {
    people: diffKind(current.people, next.people),
    units: diffKind(current.units, next.units),
    waterBodies: diffKind(current.waterBodies, next.waterBodies),
    settingsChanged: current.settings === undefined || canonical(current.settings) !== canonical(settings),
  };
}

export function isEmptyDiff(diff: DirectoryDiff): boolean {
  const kinds = [diff.people, diff.units, diff.waterBodies];
  return !diff.settingsChanged && kinds.every((k) => k.added.length + k.changed.length + k.removed.length === 0);
}
