import type { IssueSourceKind } from '../../domain/issues/issue.js';
import type { IssueState } from '../../domain/issues/lifecycle.js';

/**
 * The problem read model's buckets, as plain data: which buckets a problem belongs to, which
 * sections of them a change can alter, and a section's figures computed from its problems.
 * The store recomputes a section from these rows (equality queries) on every change, and the
 * rebuild and the property test compute the same sections from a scan, so all three agree
 * by construction.
 *
 * Buckets:
 * - `unit`: every problem assigned to one unit (or none yet: awaiting assignment). The
 *   district's view reads one open section per unit, never the problems.
 * - `group`: problems sharing water body, assigned unit and supervising units. Visibility
 *   (water bodies, or assigned to or supervised by units) is the same for every problem of a
 *   group, so a scoped view sums the groups it sees without counting a problem twice.
 * - `district`: the month sections of all units added up (recomputed from the units' month
 *   sections), so the district's monthly figures are twelve documents a year.
 * A group's sections are recomputed from its problems; a unit's by adding up its groups'
 * (every problem is in one group of its unit), so a change reads its group's problems once.
 *
 * Sections, each one document that is always written whole:
 * - open: the bucket's open problems per state, with the deadlines of assigned and
 *   rectifying ones (overdue is counted from them when read);
 * - month: problems registered in the month (and how many of them were withdrawn) and
 *   problems closed in it.
 * Whole documents, because the embedded database applies an update by reading and writing
 * back the whole document: two writers setting different fields of one document can lose one
 * of the writes, but a writer that recomputes its whole section and checks it afterwards
 * cannot leave a stale one behind.
 */

/** What the figures need from a problem (a projection of the issue document). */
export interface FigureRow {
  key: string;
  waterBodyId: string | null;
  assigneeUnit: string | null;
  supervisorUnits: string[];
  state: IssueState;
  deadline: Date | null;
  createdMonth: string | null;
  closedMonth: string | null;
  kind: IssueSourceKind;
}

export type BucketRef =
  | { by: 'unit'; assigneeUnit: string | null }
  | { by: 'group'; waterBodyId: string | null; assigneeUnit: string | null; supervisorUnits: string[] };

export type SectionRef =
  | { kind: 'open'; bucket: BucketRef }
  | { kind: 'month'; bucket: BucketRef; month: string }
  | { kind: 'districtMonth'; month: string };

export const OPEN_STATES = ['reported', 'assigned', 'rectifying', 'pendingVerification'] as const;
export type OpenState = (typeof OPEN_STATES)[number];
/** States in which a problem runs against its deadline (overdue is counted among these). */
export const TIMED_STATES = ['assigned', 'rectifying'] as const;

/** A distinct deadline with its open problems and the decisions among them. */
export interface DeadlineCount {
  at: Date;
  n: number;
  d: number;
}

/** Open problems of one state: how many, how many are decisions, and their deadlines. */
export interface OpenPart {
  n: number;
  /** Decisions (会议议定事项, 清单任务) among them. */
  d: number;
  /**
   * Each distinct deadline with its problems and decisions (only for assigned and rectifying),
   * packed into one string (packDeadlines). As a list of objects, the office's /状态 at
   * province size read about 3 MB of them, which took the embedded database two seconds: it
   * converts every stored value one by one, and a string is one value.
   */
  dl: string;
  /** The same list as objects, in sections written before deadlines were packed. */
  deadlines?: DeadlineCount[];
}

/**
 * Deadlines in order of instant, as `at:n:d` (instant in milliseconds, base 36; `:d` left out
 * when no decision is among them), comma-separated.
 */
export function packDeadlines(list: DeadlineCount[]): string {
  return [...list]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((x) => `${x.at.getTime().toString(36)}:${x.n}${x.d ? `:${x.d}` : ''}`)
    .join(',');
}

/** A part's deadlines, packed or (written by an older version) as a list. */
export function deadlinesOf(part: Partial<OpenPart> | undefined): DeadlineCount[] {
  if (!part) return [];
  if (typeof part.dl === 'string') {
    if (part.dl === '') return [];
    return part.dl.split(',').map((entry) => {
      const [at = '0', n = '0', d = '0'] = entry.split(':');
      return { at: new Date(Number.parseInt(at, 36)), n: Number(n), d: Number(d) };
    });
  }
  return (part.deadlines ?? []).map((x) => ({ at: new Date(x.at), n: x.n, d: x.d }));
}
export interface OpenFigures {
  open: Record<OpenState, OpenPart>;
}
export interface MonthFigures {
  /** Registered in the month: all, and how many of them were withdrawn (已撤销). */
  opened: { n: number; w: number };
  closed: { n: number };
}

/** Decisions and tasks are tracked apart (议定事项) in /状态 and /逾期. */
export const isDecision = (kind: IssueSourceKind): boolean => kind === 'decision' || kind === 'task';

const isOpen = (state: IssueState): state is OpenState => (OPEN_STATES as readonly string[]).includes(state);
export const isTimed = (state: IssueState): boolean => (TIMED_STATES as readonly string[]).includes(state);

const sortedUnique = (units: readonly string[]): string[] => [...new Set(units)].sort();

export function bucketsOf(row: FigureRow): BucketRef[] {
  return [
    { by: 'unit', assigneeUnit: row.assigneeUnit ?? null },
    {
      by: 'group',
      waterBodyId: row.waterBodyId ?? null,
      assigneeUnit: row.assigneeUnit ?? null,
      supervisorUnits: sortedUnique(row.supervisorUnits),
    },
  ];
}

/** A bucket's identity as a string: the same for the same bucket on every instance. */
export function bucketKey(ref: BucketRef): string {
  return ref.by === 'unit'
    ? JSON.stringify(['u', ref.assigneeUnit])
    : JSON.stringify(['g', ref.waterBodyId, ref.assigneeUnit, ref.supervisorUnits]);
}

/** A section's `_id`. */
export function sectionId(section: SectionRef): string {
  if (section.kind === 'open') return bucketKey(section.bucket);
  if (section.kind === 'month') return `${bucketKey(section.bucket)}@${section.month}`;
  return `district@${section.month}`;
}

/** Whether a problem belongs to a bucket (checked in memory after the equality query). */
export function inBucket(ref: BucketRef, row: FigureRow): boolean {
  if ((row.assigneeUnit ?? null) !== ref.assigneeUnit) return false;
  if (ref.by === 'unit') return true;
  return (
    (row.waterBodyId ?? null) === ref.waterBodyId &&
    sortedUnique(row.supervisorUnits).join('\n') === ref.supervisorUnits.join('\n')
  );
}

/**
 * What a problem adds to each section of its buckets, as a comparable string: a change whose
 * before and after add the same to a section leaves that section alone.
 */
function contributions(row: FigureRow): Map<string, { section: SectionRef; adds: string }> {
  const out = new Map<string, { section: SectionRef; adds: string }>();
  for (const bucket of bucketsOf(row)) {
    const put = (section: SectionRef, adds: string) => {
      const id = sectionId(section);
      out.set(id, { section, adds: `${out.get(id)?.adds ?? ''}${adds};` });
    };
    if (isOpen(row.state)) {
      const timed = isTimed(row.state) ? (row.deadline?.getTime() ?? '') : '';
      put({ kind: 'open', bucket }, `${row.state}|${isDecision(row.kind)}|${timed}`);
    }
    if (row.createdMonth)
      put({ kind: 'month', bucket, month: row.createdMonth }, `opened|${row.state === 'withdrawn'}`);
    if (row.closedMonth) put({ kind: 'month', bucket, month: row.closedMonth }, 'closed');
  }
  return out;
}

/** The sections a change from `before` to `after` can alter (district months included). */
export function dirtySections(before: FigureRow | undefined, after: FigureRow | undefined): SectionRef[] {
  const from = before ? contributions(before) : new Map<string, { section: SectionRef; adds: string }>();
  const to = after ? contributions(after) : new Map<string, { section: SectionRef; adds: string }>();
  const out = new Map<string, SectionRef>();
  for (const [id, c] of [...from, ...to]) {
    if (from.get(id)?.adds === to.get(id)?.adds) continue;
    out.set(id, c.section);
    if (c.section.kind === 'month' && c.section.bucket.by === 'unit') {
      const district: SectionRef = { kind: 'districtMonth', month: c.section.month };
      out.set(sectionId(district), district);
    }
  }
  return [...out.values()];
}

/** The open section from the bucket's open problems (any states; others are ignored). */
export function openFigures(rows: FigureRow[]): OpenFigures {
  const open = {} as Record<OpenState, OpenPart>;
  for (const state of OPEN_STATES) {
    const ofState = rows.filter((r) => r.state === state);
    const byDeadline = new Map<number, { at: Date; n: number; d: number }>();
    if (isTimed(state)) {
      for (const r of ofState) {
        if (!r.deadline) continue;
        const entry = byDeadline.get(r.deadline.getTime()) ?? { at: r.deadline, n: 0, d: 0 };
        entry.n++;
        if (isDecision(r.kind)) entry.d++;
        byDeadline.set(r.deadline.getTime(), entry);
      }
    }
    open[state] = {
      n: ofState.length,
      d: ofState.filter((r) => isDecision(r.kind)).length,
      dl: packDeadlines([...byDeadline.values()]),
    };
  }
  return { open };
}

/** A month section from the bucket's problems registered in it and those closed in it. */
export function monthFigures(month: string, rows: FigureRow[]): MonthFigures {
  const opened = rows.filter((r) => r.createdMonth === month);
  return {
    opened: { n: opened.length, w: opened.filter((r) => r.state === 'withdrawn').length },
    closed: { n: rows.filter((r) => r.closedMonth === month).length },
  };
}

/** Month sections added up: a unit's month from its groups', the district's from the units'. */
export function sumMonths(parts: Array<Partial<MonthFigures>>): MonthFigures {
  return {
    opened: {
      n: parts.reduce((s, u) => s + (u.opened?.n ?? 0), 0),
      w: parts.reduce((s, u) => s + (u.opened?.w ?? 0), 0),
    },
    closed: { n: parts.reduce((s, u) => s + (u.closed?.n ?? 0), 0) },
  };
}

/**
 * Open sections added up (a unit's from its groups'): the same figures `openFigures` gives
 * for all their problems at once, since every problem is in exactly one group of its unit.
 */
export function sumOpen(parts: Array<Partial<OpenFigures>>): OpenFigures {
  const open = {} as Record<OpenState, OpenPart>;
  for (const state of OPEN_STATES) {
    const byDeadline = new Map<number, { at: Date; n: number; d: number }>();
    let n = 0;
    let d = 0;
    for (const part of parts.map((p) => p.open?.[state])) {
      if (!part) continue;
      n += part.n;
      d += part.d;
      for (const x of deadlinesOf(part)) {
        const at = x.at;
        const entry = byDeadline.get(at.getTime()) ?? { at, n: 0, d: 0 };
        entry.n += x.n;
        entry.d += x.d;
        byDeadline.set(at.getTime(), entry);
      }
    }
    open[state] = { n, d, dl: packDeadlines([...byDeadline.values()]) };
  }
  return { open };
}

export type SectionFigures = OpenFigures | MonthFigures;

/** A section's figures as a comparable string (dates by instant; empty equals absent). */
export function canonical(section: SectionRef, figures: Partial<OpenFigures & MonthFigures> | undefined): string {
  if (section.kind !== 'open') {
    const opened = figures?.opened ?? { n: 0, w: 0 };
    return `${opened.n}/${opened.w}/${figures?.closed?.n ?? 0}`;
  }
  return OPEN_STATES.map((s) => {
    const part = figures?.open?.[s];
    if (!part) return '0/0/';
    const deadlines = deadlinesOf(part).map((x) => `${x.at.getTime()}:${x.n}:${x.d}`);
    return `${part.n}/${part.d}/${deadlines.join(',')}`;
  }).join('|');
}

export function isEmptySection(section: SectionRef, figures: Partial<OpenFigures & MonthFigures>): boolean {
  return canonical(section, figures) === canonical(section, undefined);
}

/** Every section computed from a scan of the problems (rebuild, tests); empty ones left out. */
export function sectionsFromRows(rows: FigureRow[]): Map<string, { section: SectionRef; figures: SectionFigures }> {
  const members = new Map<string, { section: SectionRef; rows: FigureRow[] }>();
  for (const row of rows) {
    for (const [id, { section }] of contributions(row)) {
      const entry = members.get(id) ?? { section, rows: [] };
      entry.rows.push(row);
      members.set(id, entry);
    }
  }
  const out = new Map<string, { section: SectionRef; figures: SectionFigures }>();
  const districtMonths = new Map<string, MonthFigures[]>();
  for (const [id, { section, rows: members_ }] of members) {
    if (section.kind === 'open') out.set(id, { section, figures: openFigures(members_) });
    else if (section.kind === 'month') {
      const figures = monthFigures(section.month, members_);
      out.set(id, { section, figures });
      if (section.bucket.by === 'unit')
        districtMonths.set(section.month, [...(districtMonths.get(section.month) ?? []), figures]);
    }
  }
  for (const [month, units] of districtMonths) {
    const section: SectionRef = { kind: 'districtMonth', month };
    out.set(sectionId(section), { section, figures: sumMonths(units) });
  }
  return out;
}
