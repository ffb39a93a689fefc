import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Collection } from 'mongodb';
import type { AnyBulkWriteOperation } from 'mongoose';
import type { Clock } from '../../domain/clock.js';
import { bulkWriteInSlices } from '../bulk-write.js';
import { ClaimStore } from '../claim-store.js';
import { batchedInsert, type GroupCommit } from '../group-commit.js';
import type { ClaimModels } from '../models/claim.js';
import type { IssueDoc, IssueModels } from '../models/issue.js';
import { isDuplicateKey } from '../mongo-errors.js';
import {
  type BucketRef,
  canonical,
  deadlinesOf,
  dirtySections,
  type FigureRow,
  inBucket,
  isEmptySection,
  isTimed,
  type MonthFigures,
  monthFigures,
  OPEN_STATES,
  type OpenFigures,
  type OpenState,
  openFigures,
  type SectionFigures,
  type SectionRef,
  sectionId,
  sectionsFromRows,
  sumMonths,
  sumOpen,
  TIMED_STATES,
} from './problem-buckets.js';
import { ProblemDueFacts } from './problem-due-facts.js';
import type { ProblemDueModels } from './problem-due-model.js';
import type {
  ProblemFigureMarkDoc,
  ProblemFigureModels,
  ProblemMonthDoc,
  ProblemOpenDoc,
} from './problem-figure-model.js';

/** What /状态 needs from problems, read from the figures. */
export interface StatusCounts {
  open: number;
  awaitingAssignment: number;
  openedByMonth: Map<string, number>;
  closedByMonth: Map<string, number>;
  overdue: number;
  overdueByUnit: Map<string, number>;
  openByUnit: Map<string, number>;
  decisionsOpen: number;
  decisionsOverdue: number;
  decisionsDueSoon: number;
}

/** Where a /问题 list looks: one water body, one unit, both, or neither. */
export interface ListPlace {
  waterBodyId?: string;
  assigneeUnit?: string;
}

/** Who sees what: these water bodies, or problems assigned to or supervised by these units. */
export interface FigureScope {
  waterBodyIds: string[];
  unitIds: string[];
}

/** Rounds of `drain` before it gives up on marks that keep coming (the nightly rebuild corrects). */
const SETTLE_ROUNDS = 6;
/** How often an idle refresher looks for marks left by other instances (its own wake it at once). */
const POLL_MS = 2_000;
/** A short wait after a pass that found work, so a burst of changes to one unit is one recomputation. */
const COALESCE_MS = 100;
/**
 * After a pass that found work the refresher rests this many times as long as the pass took:
 * a pass costs about the same for one change or a hundred (each marked group is read once),
 * so under a stream of taps it takes at most a quarter of the time and the database, and the
 * taps keep the rest. Readers do not depend on it: they recompute the marked sections they read.
 */
const REST_FACTOR = 3;
/** Marks taken per pass; the rest wait for the next one. */
const PASS_LIMIT = 1_000;
/** Sections a reader (or a drain) recomputes at once. The refresher does one at a time. */
const PASS_CONCURRENCY = 2;
/**
 * The refresher reads a group's problems this many at a time and after each batch pauses
 * PACE_FACTOR times as long as the batch took, unless a reader in this process is waiting
 * for figures. Unpaced, one pass over a unit with thousands of open problems kept both cores
 * busy for a few hundred milliseconds, and every tap arriving meanwhile waited (measured:
 * card taps at 50/s, p99 86 ms without the refresher, about 400 ms with it unpaced).
 */
const PACE_BATCH = 64;
const PACE_FACTOR = 6;
/** A writer's lease on a section, taken over when its instance died midway. */
const LEASE_MS = 60_000;
/**
 * Pauses in one pass add up to at most this: a section is recomputed well within its lease,
 * so no other instance takes it over as abandoned and writes while this one still computes.
 */
const PASS_PAUSES_MS = LEASE_MS / 4;
/** How soon a writer that must recompute a section another holds the lease of asks again. */
const LEASE_RETRY_MS = 20;

const ROW_FIELDS = {
  _id: 1,
  waterBodyId: 1,
  assigneeUnit: 1,
  supervisorUnits: 1,
  state: 1,
  deadline: 1,
  createdMonth: 1,
  closedMonth: 1,
  'source.kind': 1,
} as const;

type RowDoc = Pick<
  IssueDoc,
  '_id' | 'waterBodyId' | 'assigneeUnit' | 'supervisorUnits' | 'state' | 'deadline' | 'createdMonth' | 'closedMonth'
> & { source: { kind: IssueDoc['source']['kind'] } };

export function figureRow(doc: RowDoc): FigureRow {
  return {
    key: doc._id,
    waterBodyId: doc.waterBodyId ?? null,
    assigneeUnit: doc.assigneeUnit ?? null,
    supervisorUnits: doc.supervisorUnits ?? [],
    state: doc.state,
    deadline: doc.deadline ? new Date(doc.deadline) : null,
    createdMonth: doc.createdMonth ?? null,
    closedMonth: doc.closedMonth ?? null,
    kind: doc.source.kind,
  };
}

/**
 * The problem read model (问题 and 议定事项 figures per unit, state and month): marked by the
 * issue store on every change, recomputed off the request path, read by /状态, /逾期 and /简报.
 *
 * A change only marks the sections it can alter (one inserted mark naming them, inserted
 * together with the marks of concurrent changes): recomputing a section reads every open
 * problem of its group, far too slow for a card tap. The refresher (started with the bot)
 * recomputes marked sections, a group's from its problems by equality queries on unit, water
 * body and a state or a month, a unit's by adding up its groups' sections, the district's
 * months by adding up the units' months; nothing is ever incremented, so a retried or
 * repeated change cannot skew a figure.
 *
 * Every writer of a section holds its lease (a unique insert, exclusive on every backend), and
 * computes then writes it once: writes of a section are serialized, each computed after the
 * one before. A mark is deleted only by a writer that read it, then recomputed every section
 * it names, groups before their units before the district: each of those writes counts the
 * change, and so does every later one. A reader first recomputes the marked sections it is
 * about to read (and the marked groups they add up), so it never shows figures older than
 * the changes before it. A process killed between a change and its mark is put right by the
 * nightly rebuild.
 *
 * Overdue is counted when read, from each open section's short list of deadlines (each
 * distinct deadline with its number of problems): it changes with time, not with writes, and
 * counting it at read time needs no sweep and is exact at any instant (the tests' settable
 * clocks included); a sweep that rewrote buckets as deadlines pass would be stale between runs.
 */
export class ProblemFigures {
  private readonly inFlight = new Map<string, { running?: Promise<boolean>; queued?: Promise<boolean> }>();
  /** Marks of concurrent changes, inserted in one command (created on first use). */
  private insertMark?: GroupCommit<ProblemFigureMarkDoc, boolean>;
  private readonly leases: ClaimStore;
  private readonly instance = randomUUID();
  private loop?: Promise<void>;
  private running = false;
  private wake?: () => void;
  /** Readers of this process waiting for recomputed sections: the refresher stops pausing. */
  private hurry = 0;
  /** The assessment's due facts, marked, refreshed and drained alongside (problem-due-facts.ts). */
  readonly due: ProblemDueFacts;

  constructor(
    private readonly models: IssueModels & ProblemFigureModels & ProblemDueModels & ClaimModels,
    private readonly clock: Clock,
  ) {
    this.leases = new ClaimStore(models, clock);
    this.due = new ProblemDueFacts(models, clock);
  }

  /**
   * Marks the sections a change from `before` to `after` can alter, for the refresher: one
   * insert, whatever the size of the unit. A repeated mark only costs a repeated recomputation.
   */
  async mark(before: FigureRow | undefined, after: FigureRow | undefined): Promise<void> {
    await Promise.all([this.markSections(dirtySections(before, after)), this.due.mark(before, after)]);
    this.wake?.();
  }

  private async markSections(sections: SectionRef[]): Promise<void> {
    if (sections.length === 0) return;
    this.insertMark ??= batchedInsert(
      this.models.problemFigureMarks.collection as unknown as Collection<ProblemFigureMarkDoc>,
    );
    await this.insertMark.run({ _id: randomUUID(), sections, at: this.clock.now() });
  }

  /** Marks (up to `limit`, read in paced batches with a pacer), and the distinct sections they name. */
  private async marks(
    limit?: number,
    pacer?: Pacer,
  ): Promise<{ docs: ProblemFigureMarkDoc[]; sections: SectionRef[] }> {
    const query = this.models.problemFigureMarks.find({});
    if (limit) query.limit(limit);
    const docs = pacer
      ? await pacer.read<ProblemFigureMarkDoc>(query.lean<ProblemFigureMarkDoc[]>())
      : await query.lean<ProblemFigureMarkDoc[]>().exec();
    const sections = new Map<string, SectionRef>();
    for (const doc of docs) for (const section of doc.sections) sections.set(sectionId(section), section);
    return { docs, sections: [...sections.values()] };
  }

  private async clear(docs: ProblemFigureMarkDoc[], pacer?: Pacer): Promise<void> {
    const step = pacer ? PACE_BATCH : docs.length;
    for (let from = 0; from < docs.length; from += step) {
      const started = performance.now();
      const ids = docs.slice(from, from + step).map((d) => d._id);
      await this.models.problemFigureMarks.deleteMany({ _id: { $in: ids } }).exec();
      await pacer?.breathe(performance.now() - started);
    }
  }

  /** Brings every section a change from `before` to `after` can alter up to date now (the rebuild). */
  async refresh(before: FigureRow | undefined, after: FigureRow | undefined): Promise<void> {
    await this.settleAll(dirtySections(before, after));
  }

  /**
   * Recomputes sections and the sections that add them up (a group's unit, a unit's month's
   * district), level by level, so each sum is computed after the sections it adds were
   * written. `wait`: for a section whose lease another writer holds, wait for it (readers,
   * drain, rebuild); otherwise leave it out (the refresher: its marks wait for the next
   * pass). Returns the sections recomputed here.
   */
  private async settleAll(sections: SectionRef[], wait = true, pacer?: Pacer): Promise<Set<string>> {
    if (wait) this.hurry += 1;
    try {
      return await this.settleLevels(sections, wait, pacer);
    } finally {
      if (wait) this.hurry -= 1;
    }
  }

  private async settleLevels(sections: SectionRef[], wait: boolean, pacer?: Pacer): Promise<Set<string>> {
    const levels = [new Map<string, SectionRef>(), new Map<string, SectionRef>(), new Map<string, SectionRef>()];
    const add = (section: SectionRef): void => {
      levels[levelOf(section)]!.set(sectionId(section), section);
      for (const parent of parentsOf(section)) add(parent);
    };
    for (const section of sections) add(section);
    const done = new Set<string>();
    for (const level of levels) {
      const items = [...level.values()];
      let next = 0;
      const worker = async () => {
        while (next < items.length) {
          const section = items[next++]!;
          if (await this.settle(section, wait, pacer)) done.add(sectionId(section));
        }
      };
      const workers = pacer ? 1 : Math.min(PASS_CONCURRENCY, items.length);
      await Promise.all(Array.from({ length: workers }, worker));
    }
    return done;
  }

  /**
   * Recomputes the marked sections a reader is about to read (those `wanted` picks) and the
   * marked sections they add up, so what it shows counts every change made before it.
   * Without marks, one small read.
   */
  private async freshen(wanted: (section: SectionRef) => boolean): Promise<void> {
    const { sections } = await this.marks();
    const needed = (section: SectionRef): boolean => wanted(section) || parentsOf(section).some(needed);
    await this.settleAll(sections.filter(needed));
  }

  /** Recomputes every marked section, until none is left (tests, and a stopping bot). */
  async drain(): Promise<void> {
    await this.due.drain();
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      const { docs, sections } = await this.marks();
      if (docs.length === 0) return;
      await this.settleAll(sections);
      // Only the marks read before recomputing: one made meanwhile waits for the next round.
      await this.clear(docs);
    }
  }

  /** Starts recomputing marked sections in the background (the bot, until `stop`). */
  start(): void {
    if (this.loop) return;
    this.running = true;
    this.loop = this.refresher();
  }

  /** Stops the refresher after the pass under way; marks left are taken by the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private async refresher(): Promise<void> {
    while (this.running) {
      let found = 0;
      const started = performance.now();
      const pacer = new Pacer(() => this.hurry > 0 || !this.running);
      try {
        found = (await this.pass(pacer)) + (await this.due.pass(() => this.running));
      } catch {
        // The marks stay where they are (a database outage): the next pass takes them again.
      }
      if (!this.running) return;
      const rest = Math.max(COALESCE_MS, REST_FACTOR * (performance.now() - started - pacer.pausedMs));
      await this.pause(found > 0 ? rest : POLL_MS, found === 0);
    }
  }

  private pause(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      // While coalescing only `stop` cuts the wait short; while idle, a new mark does too.
      this.wake = wakeable ? done : () => (this.running ? undefined : done());
    });
  }

  /**
   * One pass over the marks: each section under its lease, those another writer holds left
   * for the next pass. A mark goes once all its sections were recomputed here.
   */
  private async pass(pacer: Pacer): Promise<number> {
    const { docs, sections } = await this.marks(PASS_LIMIT, pacer);
    if (docs.length === 0) return 0;
    const done = await this.settleAll(sections, false, pacer);
    await this.clear(
      docs.filter((d) => d.sections.every((s) => done.has(sectionId(s)))),
      pacer,
    );
    return docs.length;
  }

  /**
   * Recomputes a section once more after this call, joining one that is queued but not yet
   * started in this process: a burst of changes to one group costs one or two recomputations,
   * not one per change. True when it was recomputed (false only without `wait`, when another
   * instance held its lease).
   */
  private settle(section: SectionRef, wait: boolean, pacer?: Pacer): Promise<boolean> {
    const id = sectionId(section);
    const entry = this.inFlight.get(id) ?? {};
    if (entry.queued) return entry.queued.then((done) => done || !wait || this.settle(section, true));
    this.inFlight.set(id, entry);
    const run: Promise<boolean> = (entry.running ?? Promise.resolve(true))
      .catch(() => true)
      .then(() => {
        entry.queued = undefined;
        entry.running = run;
        return this.settleNow(section, wait, pacer);
      })
      .finally(() => {
        if (entry.running === run && !entry.queued) this.inFlight.delete(id);
      });
    entry.queued = run;
    return run;
  }

  /**
   * Computes the section and writes it, holding its lease: with one writer at a time, the
   * last write is the last computation, so no check afterwards is needed (a write computed
   * before a change is followed by one computed after it: the change's mark stays until then).
   */
  private async settleNow(section: SectionRef, wait: boolean, pacer?: Pacer): Promise<boolean> {
    const key = `figures:${sectionId(section)}`;
    while (!(await this.leases.begin(key, this.instance, LEASE_MS)).first) {
      if (!wait) return false;
      await delay(LEASE_RETRY_MS);
    }
    try {
      await this.write(section, await this.compute(section, pacer));
      return true;
    } finally {
      await this.leases.release(key);
    }
  }

  /**
   * A group's section from its problems (one equality query per state or month field); a
   * unit's by adding up its groups' sections; the district's months from the units' months.
   */
  private async compute(section: SectionRef, pacer?: Pacer): Promise<SectionFigures> {
    if (section.kind === 'districtMonth') {
      const units = await this.models.problemFiguresByMonth
        .find({ by: 'unit', month: section.month })
        .lean<ProblemMonthDoc[]>()
        .exec();
      return sumMonths(units);
    }
    const { bucket } = section;
    if (bucket.by === 'unit') {
      if (section.kind === 'open')
        return sumOpen(
          await this.models.problemFiguresByGroup
            .find({ assigneeUnit: bucket.assigneeUnit })
            .lean<ProblemOpenDoc[]>()
            .exec(),
        );
      return sumMonths(
        await this.models.problemFiguresByMonth
          .find({ by: 'group', assigneeUnit: bucket.assigneeUnit, month: section.month })
          .lean<ProblemMonthDoc[]>()
          .exec(),
      );
    }
    const where: Record<string, unknown> = { assigneeUnit: bucket.assigneeUnit, waterBodyId: bucket.waterBodyId };
    const filters: Array<Record<string, unknown>> =
      section.kind === 'open'
        ? OPEN_STATES.map((state) => ({ ...where, state }))
        : [
            { ...where, createdMonth: section.month },
            { ...where, closedMonth: section.month },
          ];
    const parts: RowDoc[][] = pacer
      ? await pacedInTurn(filters, (f) => pacer.read<RowDoc>(this.models.issues.find(f, ROW_FIELDS).lean<RowDoc[]>()))
      : await Promise.all(filters.map((f) => this.models.issues.find(f, ROW_FIELDS).lean<RowDoc[]>().exec()));
    const rows = [...new Map(parts.flat().map((d) => [d._id, figureRow(d)])).values()].filter((r) =>
      inBucket(bucket, r),
    );
    return section.kind === 'open' ? openFigures(rows) : monthFigures(section.month, rows);
  }

  /** The section's collection (one model type: the three share how they are read and written). */
  private model(section: SectionRef): ProblemFigureModels['problemFiguresByMonth'] {
    if (section.kind !== 'open') return this.models.problemFiguresByMonth;
    const model = section.bucket.by === 'unit' ? this.models.problemFiguresByUnit : this.models.problemFiguresByGroup;
    return model as unknown as ProblemFigureModels['problemFiguresByMonth'];
  }

  private async write(section: SectionRef, figures: SectionFigures): Promise<void> {
    const doc = documentOf(section, figures);
    const model = this.model(section);
    try {
      await model.replaceOne({ _id: doc._id }, doc, { upsert: true }).exec();
    } catch (error) {
      // Two writers created the section at once: the loser writes over the winner's document.
      if (!isDuplicateKey(error)) throw error;
      await model.replaceOne({ _id: doc._id }, doc).exec();
    }
  }

  /** The open sections a viewer sees: every unit's for the district, else the groups in view. */
  async openInView(scope?: FigureScope): Promise<ProblemOpenDoc[]> {
    await this.freshen((s) => s.kind === 'open' && seenBy(s, scope));
    return this.readOpen(scope);
  }

  private async readOpen(scope?: FigureScope): Promise<ProblemOpenDoc[]> {
    if (!scope) return this.models.problemFiguresByUnit.find({}).lean<ProblemOpenDoc[]>().exec();
    return this.inView(scope, (f) => this.models.problemFiguresByGroup.find(f).lean<ProblemOpenDoc[]>().exec());
  }

  /**
   * The open sections holding exactly the problems of a place (one water body, one unit, or
   * both; none: the viewer's whole part) that a viewer sees, for the /问题 lists' counts: a
   * unit alone district-wide is its unit section, anything else the groups of the place,
   * those out of the viewer's sight left out (each problem is in one group, so none counts twice).
   */
  async openAt(place: ListPlace, scope?: FigureScope): Promise<ProblemOpenDoc[]> {
    const { waterBodyId, assigneeUnit } = place;
    if (waterBodyId === undefined && assigneeUnit === undefined) return this.openInView(scope);
    if (waterBodyId === undefined && !scope) {
      const section: SectionRef = { kind: 'open', bucket: { by: 'unit', assigneeUnit: assigneeUnit ?? null } };
      await this.freshen((s) => sectionId(s) === sectionId(section));
      const doc = await this.models.problemFiguresByUnit.findOne({ _id: sectionId(section) }).lean<ProblemOpenDoc>();
      return doc ? [doc] : [];
    }
    const inPlace = (bucket: { waterBodyId: string | null; assigneeUnit: string | null }) =>
      (waterBodyId === undefined || bucket.waterBodyId === waterBodyId) &&
      (assigneeUnit === undefined || bucket.assigneeUnit === assigneeUnit);
    const wanted = (s: SectionRef) =>
      s.kind === 'open' && s.bucket.by === 'group' && inPlace(s.bucket) && (!scope || seenBy(s, scope));
    await this.freshen(wanted);
    const docs = await this.models.problemFiguresByGroup
      .find(waterBodyId !== undefined ? { waterBodyId } : { assigneeUnit })
      .lean<ProblemOpenDoc[]>()
      .exec();
    return docs.filter((d) => wanted({ kind: 'open', bucket: bucketOfGroup(d) }));
  }

  /** A year's month sections a viewer sees: the district's twelve, else the groups' in view. */
  async monthsInView(year: number, scope?: FigureScope): Promise<ProblemMonthDoc[]> {
    await this.freshen((s) => s.kind !== 'open' && seenBy(s, scope) && yearOf(s) === year);
    return this.readMonths(year, scope);
  }

  private async readMonths(year: number, scope?: FigureScope): Promise<ProblemMonthDoc[]> {
    if (!scope)
      return this.models.problemFiguresByMonth.find({ by: 'district', year }).lean<ProblemMonthDoc[]>().exec();
    return this.inView(scope, (f) =>
      this.models.problemFiguresByMonth
        .find({ ...f, by: 'group', year })
        .lean<ProblemMonthDoc[]>()
        .exec(),
    );
  }

  /** Documents of the groups in view, one equality per water body or unit, without repeats. */
  private async inView<T extends { _id: string }>(
    scope: FigureScope,
    find: (filter: Record<string, string>) => Promise<T[]>,
  ): Promise<T[]> {
    const filters: Array<Record<string, string>> = [
      ...scope.waterBodyIds.map((w) => ({ waterBodyId: w })),
      ...scope.unitIds.flatMap((u): Array<Record<string, string>> => [{ assigneeUnit: u }, { supervisorUnits: u }]),
    ];
    const parts = await Promise.all(filters.map((f) => find(f)));
    return [...new Map(parts.flat().map((d) => [d._id, d])).values()];
  }

  /** /状态's problem and decision figures; overdue and due-soon counted at `now`. */
  async statusCounts(
    scope: FigureScope | undefined,
    now: Date,
    months: string[],
    weekAhead: Date,
  ): Promise<StatusCounts> {
    const years = [...new Set(months.map((m) => Number(m.slice(0, 4))))];
    await this.freshen((s) => seenBy(s, scope) && (s.kind === 'open' || years.includes(yearOf(s))));
    const [open, ...monthDocs] = await Promise.all([
      this.readOpen(scope),
      ...years.map((y) => this.readMonths(y, scope)),
    ]);
    return statusCountsOf(open, monthDocs.flat(), now, months, weekAhead);
  }

  /** Problems registered in a month (withdrawn ones included) and closed in it, district-wide. */
  async monthTotals(month: string): Promise<{ opened: number; closed: number }> {
    await this.freshen((s) => s.kind !== 'open' && seenBy(s, undefined) && s.month === month);
    const doc = await this.models.problemFiguresByMonth
      .findOne({ _id: sectionId({ kind: 'districtMonth', month }) })
      .lean<ProblemMonthDoc>()
      .exec();
    return { opened: doc?.opened.n ?? 0, closed: doc?.closed.n ?? 0 };
  }

  /**
   * The equality filters that find every problem overdue at `now` in a viewer's part: one per
   * open section holding an overdue deadline in a state, with the bucket to check rows against.
   */
  async overdueSources(
    scope: FigureScope | undefined,
    now: Date,
  ): Promise<Array<{ filter: Record<string, unknown>; bucket: BucketRef }>> {
    const out: Array<{ filter: Record<string, unknown>; bucket: BucketRef }> = [];
    for (const doc of await this.openInView(scope)) {
      const bucket: BucketRef = scope
        ? {
            by: 'group',
            waterBodyId: doc.waterBodyId ?? null,
            assigneeUnit: doc.assigneeUnit ?? null,
            supervisorUnits: doc.supervisorUnits ?? [],
          }
        : { by: 'unit', assigneeUnit: doc.assigneeUnit ?? null };
      for (const state of TIMED_STATES) {
        if (!deadlinesOf(doc.open?.[state]).some((x) => x.at.getTime() < now.getTime())) continue;
        const filter: Record<string, unknown> = { assigneeUnit: bucket.assigneeUnit, state };
        if (bucket.by === 'group') filter.waterBodyId = bucket.waterBodyId;
        out.push({ filter, bucket });
      }
    }
    return out;
  }

  /**
   * Recomputes every section from a scan of all problems and corrects those that differ;
   * returns how many sections there are and how many it corrected. Problems changed while it
   * ran (their `updatedAt` from its start on) have their sections recomputed again by
   * equality afterwards, so a write of the scan's older view never stands.
   */
  async rebuild(): Promise<{ sections: number; corrected: number }> {
    const since = this.clock.now();
    const kinds = [
      this.models.problemFiguresByUnit,
      this.models.problemFiguresByGroup,
      this.models.problemFiguresByMonth,
    ];
    const stored = new Map<string, Partial<OpenFigures & MonthFigures>>();
    for (const model of kinds) {
      for (const doc of await (model as typeof this.models.problemFiguresByMonth).find({}).lean<ProblemMonthDoc[]>())
        stored.set(`${model.collection.name}/${doc._id}`, doc);
    }
    const rows = new Map<string, FigureRow>();
    for await (const doc of this.models.issues.find({}, ROW_FIELDS).lean<RowDoc>().cursor())
      rows.set(doc._id, figureRow(doc));
    const expected = sectionsFromRows([...rows.values()]);
    const writes = new Map<
      ProblemFigureModels['problemFiguresByMonth'],
      Array<AnyBulkWriteOperation<ProblemMonthDoc>>
    >();
    let corrected = 0;
    const correct = (section: SectionRef, figures: SectionFigures) => {
      corrected++;
      const model = this.model(section);
      const doc = documentOf(section, figures);
      writes.set(model, [
        ...(writes.get(model) ?? []),
        { replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } },
      ]);
    };
    for (const { section, figures } of expected.values()) {
      const key = `${this.model(section).collection.name}/${sectionId(section)}`;
      const have = stored.get(key);
      stored.delete(key);
      // A section written before deadlines were packed is rewritten packed, with the same figures.
      if (canonical(section, have) !== canonical(section, figures) || hasUnpackedDeadlines(have))
        correct(section, figures);
    }
    // Sections no problem belongs to any more must hold nothing: those that show figures go.
    for (const [key, have] of stored) {
      const [collection = '', id = ''] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      const section = sectionOfDoc(collection, have as ProblemMonthDoc);
      if (isEmptySection(section, have)) continue;
      corrected++;
      const model = this.model(section);
      writes.set(model, [...(writes.get(model) ?? []), { deleteOne: { filter: { _id: id } } }]);
    }
    for (const [model, ops] of writes) await bulkWriteInSlices(model, ops, allDuplicates);
    const changed = await this.models.issues
      .find({ updatedAt: { $gte: since } }, ROW_FIELDS)
      .lean<RowDoc[]>()
      .exec();
    for (const doc of changed) await this.refresh(rows.get(doc._id), figureRow(doc));
    return { sections: expected.size, corrected };
  }
}

/**
 * Whether a viewer's figures are read from a section: the district reads the units' open
 * sections and its own months (added up from the units' months, so those count too); a
 * scoped viewer reads the groups of its water bodies and units.
 */
function seenBy(section: SectionRef, scope: FigureScope | undefined): boolean {
  if (section.kind === 'districtMonth') return !scope;
  const { bucket } = section;
  if (!scope) return bucket.by === 'unit';
  if (bucket.by !== 'group') return false;
  return (
    scope.waterBodyIds.includes(bucket.waterBodyId ?? '') ||
    scope.unitIds.includes(bucket.assigneeUnit ?? '') ||
    bucket.supervisorUnits.some((u) => scope.unitIds.includes(u))
  );
}

function hasUnpackedDeadlines(doc: Partial<OpenFigures> | undefined): boolean {
  return OPEN_STATES.some((state) => Array.isArray(doc?.open?.[state]?.deadlines));
}

function bucketOfGroup(doc: ProblemOpenDoc): BucketRef {
  return {
    by: 'group',
    waterBodyId: doc.waterBodyId ?? null,
    assigneeUnit: doc.assigneeUnit ?? null,
    supervisorUnits: doc.supervisorUnits ?? [],
  };
}

/** Where a section is recomputed in a round: groups, then the units adding them up, then the district. */
function levelOf(section: SectionRef): 0 | 1 | 2 {
  if (section.kind === 'districtMonth') return 2;
  return section.bucket.by === 'unit' ? 1 : 0;
}

/** The sections that add a section up: a group's unit's, a unit's month's district month. */
function parentsOf(section: SectionRef): SectionRef[] {
  if (section.kind === 'districtMonth') return [];
  const { bucket } = section;
  if (bucket.by === 'group') {
    const unit: BucketRef = { by: 'unit', assigneeUnit: bucket.assigneeUnit };
    return [
      section.kind === 'open' ? { kind: 'open', bucket: unit } : { kind: 'month', bucket: unit, month: section.month },
    ];
  }
  return section.kind === 'month' ? [{ kind: 'districtMonth', month: section.month }] : [];
}

const yearOf = (section: SectionRef): number =>
  section.kind === 'open' ? Number.NaN : Number(section.month.slice(0, 4));

function documentOf(section: SectionRef, figures: SectionFigures): ProblemMonthDoc & ProblemOpenDoc {
  const bucket = section.kind === 'districtMonth' ? undefined : section.bucket;
  const base = {
    _id: sectionId(section),
    waterBodyId: bucket?.by === 'group' ? bucket.waterBodyId : null,
    assigneeUnit: bucket?.assigneeUnit ?? null,
    supervisorUnits: bucket?.by === 'group' ? bucket.supervisorUnits : [],
  };
  if (section.kind === 'open') return { ...base, ...(figures as OpenFigures) } as ProblemMonthDoc & ProblemOpenDoc;
  return {
    ...base,
    ...(figures as MonthFigures),
    by: bucket?.by ?? 'district',
    month: section.month,
    year: Number(section.month.slice(0, 4)),
  } as ProblemMonthDoc & ProblemOpenDoc;
}

/** The section a stored document is, from its collection and fields. */
function sectionOfDoc(collection: string, doc: ProblemMonthDoc): SectionRef {
  const bucket: BucketRef =
    collection === 'problem_figures_unit' || doc.by === 'unit'
      ? { by: 'unit', assigneeUnit: doc.assigneeUnit ?? null }
      : {
          by: 'group',
          waterBodyId: doc.waterBodyId ?? null,
          assigneeUnit: doc.assigneeUnit ?? null,
          supervisorUnits: doc.supervisorUnits ?? [],
        };
  if (collection !== 'problem_figures_month') return { kind: 'open', bucket };
  return doc.by === 'district'
    ? { kind: 'districtMonth', month: doc.month }
    : { kind: 'month', bucket, month: doc.month };
}

function allDuplicates(error: unknown): boolean {
  const errors = (error as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }).writeErrors;
  if (!errors) return isDuplicateKey(error);
  return errors.every((e) => (e.code ?? e.err?.code) === 11000);
}

const sum = <T>(items: T[], n: (item: T) => number) => items.reduce((total, item) => total + n(item), 0);

/** /状态's counts from the open and month sections a viewer sees. */
export function statusCountsOf(
  open: Array<Partial<OpenFigures> & { assigneeUnit: string | null }>,
  months: Array<Partial<MonthFigures> & { month: string }>,
  now: Date,
  monthKeys: string[],
  weekAhead: Date,
): StatusCounts {
  const t = now.getTime();
  const parts = (b: Partial<OpenFigures>) => OPEN_STATES.map((s) => b.open?.[s]).filter((p) => !!p && p.n > 0);
  const deadlines = (b: Partial<OpenFigures>) => TIMED_STATES.flatMap((s) => deadlinesOf(b.open?.[s]));
  const at = (x: { at: Date }) => x.at.getTime();
  const byUnit = (n: (b: Partial<OpenFigures>) => number) => {
    const out = new Map<string, number>();
    for (const b of open) {
      const v = n(b);
      if (v > 0) out.set(b.assigneeUnit ?? '', (out.get(b.assigneeUnit ?? '') ?? 0) + v);
    }
    return out;
  };
  const overdueOf = (b: Partial<OpenFigures>) =>
    sum(
      deadlines(b).filter((x) => at(x) < t),
      (x) => x.n,
    );
  const openOf = (b: Partial<OpenFigures>) => sum(parts(b), (p) => p?.n ?? 0);
  const ofMonth = (m: string) => months.filter((d) => d.month === m);
  return {
    open: sum(open, openOf),
    awaitingAssignment: sum(open, (b) => b.open?.reported?.n ?? 0),
    // A problem withdrawn as registered in error (已撤销) was never a problem: not counted as new.
    openedByMonth: new Map(monthKeys.map((m) => [m, sum(ofMonth(m), (d) => (d.opened?.n ?? 0) - (d.opened?.w ?? 0))])),
    closedByMonth: new Map(monthKeys.map((m) => [m, sum(ofMonth(m), (d) => d.closed?.n ?? 0)])),
    overdue: sum(open, overdueOf),
    overdueByUnit: byUnit(overdueOf),
    openByUnit: byUnit(openOf),
    decisionsOpen: sum(open, (b) => sum(parts(b), (p) => p?.d ?? 0)),
    decisionsOverdue: sum(open, (b) =>
      sum(
        deadlines(b).filter((x) => at(x) < t),
        (x) => x.d,
      ),
    ),
    decisionsDueSoon: sum(open, (b) =>
      sum(
        deadlines(b).filter((x) => at(x) >= t && at(x) < weekAhead.getTime()),
        (x) => x.d,
      ),
    ),
  };
}

/**
 * A /问题 list's counts from the open sections of its place: problems (or only decisions and
 * tasks) in these open states, and how many of them are past their deadline at `now` (only
 * assigned and rectifying ones run against a deadline, as the issue store's filter has it).
 */
export function listCountsOf(
  open: Array<Partial<OpenFigures>>,
  states: readonly OpenState[],
  decisionsOnly: boolean,
  now: Date,
): { total: number; overdue: number } {
  const of = (x: { n: number; d: number }) => (decisionsOnly ? x.d : x.n);
  const timed = states.filter((s) => isTimed(s));
  return {
    total: sum(open, (b) => sum([...states], (s) => (b.open?.[s] ? of(b.open[s]) : 0))),
    overdue: sum(open, (b) =>
      sum(
        timed.flatMap((s) => deadlinesOf(b.open?.[s])).filter((x) => x.at.getTime() < now.getTime()),
        of,
      ),
    ),
  };
}

/**
 * Spreads the refresher's reads over time: after a batch that took `ms`, a pause of
 * PACE_FACTOR times that, so the refresher takes about a seventh of the time and the database
 * while taps take the rest. No pause while `urgent` (a reader waits, or the bot stops), nor
 * once the pass has paused PASS_PAUSES_MS in all.
 */
class Pacer {
  pausedMs = 0;

  constructor(private readonly urgent: () => boolean) {}

  async breathe(ms: number): Promise<void> {
    if (this.urgent() || this.pausedMs >= PASS_PAUSES_MS) return;
    const pause = Math.min(PACE_FACTOR * ms, PASS_PAUSES_MS - this.pausedMs);
    this.pausedMs += pause;
    await delay(pause);
  }

  /** A query's results, fetched PACE_BATCH at a time with a pause after each batch. */
  async read<T>(query: { batchSize(n: number): { cursor(): AsyncIterable<unknown> } }): Promise<T[]> {
    const rows: T[] = [];
    let batchFrom = performance.now();
    for await (const doc of query.batchSize(PACE_BATCH).cursor()) {
      rows.push(doc as T);
      if (rows.length % PACE_BATCH === 0) {
        await this.breathe(performance.now() - batchFrom);
        batchFrom = performance.now();
      }
    }
    return rows;
  }
}

/** One read after another: a paced recomputation never has two reads in flight. */
async function pacedInTurn<T, R>(items: T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await read(item));
  return results;
}
