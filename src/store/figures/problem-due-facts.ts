import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation } from 'mongoose';
import type { Clock } from '../../domain/clock.js';
import { bulkWriteInSlices } from '../bulk-write.js';
import { ClaimStore } from '../claim-store.js';
import type { ClaimModels } from '../models/claim.js';
import type { IssueDoc, IssueModels } from '../models/issue.js';
import { isDuplicateKey } from '../mongo-errors.js';
import type { FigureRow } from './problem-buckets.js';
import type { DueFact, DueSection, ProblemDueDoc, ProblemDueMarkDoc, ProblemDueModels } from './problem-due-model.js';

export type { DueFact, DueSection };

/** A fact with the unit it is assigned to (what the assessment reads). */
export type UnitDueFact = DueFact & { assigneeUnit: string };

/** Check rounds before a section is left marked for the next pass (as for the other problem figures). */
const SETTLE_ROUNDS = 6;
/** Marks taken per pass; the rest wait for the next one. */
const PASS_LIMIT = 200;
/** A refresher's lease on a section, taken over when its instance died midway. */
const LEASE_MS = 60_000;

/**
 * The month a deadline's section is keyed by: the UTC month of the deadline's last instant (a
 * deadline is the end of its day, so a problem due on 31 December stays in December). Only a
 * partition: readers pick sections by month and the facts by their exact deadline, so no
 * time zone is involved. Kept on the problem (`dueMonth`) for the equality query.
 */
export function dueMonth(deadline: Date): string {
  return new Date(deadline.getTime() - 1).toISOString().slice(0, 7);
}

/** The sections' months that hold every deadline in (from, to]. */
export function dueMonthsBetween(from: Date, to: Date): string[] {
  const last = dueMonth(to);
  const out: string[] = [];
  let y = from.getUTCFullYear();
  let m = from.getUTCMonth();
  for (;;) {
    const month = `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
    if (month > last) return out;
    out.push(month);
    m = (m + 1) % 12;
    if (m === 0) y++;
  }
}

export const dueSectionId = (s: DueSection): string => JSON.stringify([s.assigneeUnit, s.month]);

/** What a problem adds to its due section, as a comparable string; none while unassigned or undated. */
function contribution(row: FigureRow | undefined): { section: DueSection; adds: string } | undefined {
  if (!row?.assigneeUnit || !row.deadline) return undefined;
  const section = { assigneeUnit: row.assigneeUnit, month: dueMonth(row.deadline) };
  // A problem's number, description and kind never change; its deadline and closing do.
  return { section, adds: `${row.key}|${row.deadline.getTime()}|${row.state === 'closed'}|${row.closedMonth}` };
}

/** The due sections a change from `before` to `after` can alter. */
export function dirtyDueSections(before: FigureRow | undefined, after: FigureRow | undefined): DueSection[] {
  const from = contribution(before);
  const to = contribution(after);
  const same = from && to && dueSectionId(from.section) === dueSectionId(to.section) && from.adds === to.adds;
  if (same || (!from && !to)) return [];
  const out = new Map<string, DueSection>();
  for (const c of [from, to]) if (c) out.set(dueSectionId(c.section), c.section);
  return [...out.values()];
}

const SOURCE_FIELDS = {
  _id: 1,
  seq: 1,
  number: 1,
  description: 1,
  'source.kind': 1,
  assigneeUnit: 1,
  deadline: 1,
  state: 1,
  closedAt: 1,
  dueMonth: 1,
} as const;

export type DueSource = Pick<
  IssueDoc,
  '_id' | 'seq' | 'number' | 'description' | 'assigneeUnit' | 'deadline' | 'state' | 'closedAt' | 'dueMonth'
> & { source: { kind: IssueDoc['source']['kind'] } };

/** The section a problem belongs to, from the problem itself. */
export function dueSectionOf(doc: DueSource): DueSection | undefined {
  if (!doc.assigneeUnit || !doc.deadline) return undefined;
  return { assigneeUnit: doc.assigneeUnit, month: dueMonth(new Date(doc.deadline)) };
}

function factOf(doc: DueSource): DueFact {
  return {
    key: doc._id,
    seq: doc.seq,
    number: doc.number,
    description: doc.description,
    kind: doc.source.kind,
    deadline: new Date(doc.deadline!),
    closedAt: doc.state === 'closed' && doc.closedAt ? new Date(doc.closedAt) : null,
  };
}

/** A section's facts from its problems (any others among them are ignored), in listing order. */
export function dueFacts(section: DueSection, docs: DueSource[]): DueFact[] {
  const id = dueSectionId(section);
  return docs
    .filter((d) => {
      const of = dueSectionOf(d);
      return !!of && dueSectionId(of) === id;
    })
    .map(factOf)
    .sort(byListingOrder);
}

const byListingOrder = (a: DueFact, b: DueFact) =>
  a.deadline.getTime() - b.deadline.getTime() || a.seq - b.seq || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** A section's facts as a comparable string (dates by instant; empty equals absent). */
export function canonicalDue(facts: DueFact[] | undefined): string {
  return JSON.stringify(
    (facts ?? []).map((f) => [
      f.key,
      f.seq,
      f.number,
      f.description,
      f.kind,
      new Date(f.deadline).getTime(),
      f.closedAt ? new Date(f.closedAt).getTime() : null,
    ]),
  );
}

/** Every non-empty section computed from a scan of the problems (rebuild, tests). */
export function dueSectionsFromDocs(docs: DueSource[]): Map<string, { section: DueSection; facts: DueFact[] }> {
  const out = new Map<string, { section: DueSection; facts: DueFact[] }>();
  for (const doc of docs) {
    const section = dueSectionOf(doc);
    if (!section) continue;
    const id = dueSectionId(section);
    const entry = out.get(id) ?? { section, facts: [] };
    entry.facts.push(factOf(doc));
    out.set(id, entry);
  }
  for (const entry of out.values()) entry.facts.sort(byListingOrder);
  return out;
}

/**
 * The assessment's problem facts (考核 “问题按期整改”): per assigned unit and month of deadline,
 * the problems that fall due there, each with its number, description, kind, deadline and
 * closing, so the assessment reads a year's months (a document per unit and month) instead
 * of every problem ever registered.
 *
 * Kept like the other problem figures (problem-figures.ts, which calls `mark`, `pass` and
 * `drain` from its own change path and refresher): a change that alters a section (an
 * assignment, a new deadline, a closing or reopening) inserts a mark; the refresher
 * recomputes marked sections from their problems by equality on unit and `dueMonth`, then
 * checks the stored section against a fresh recomputation until they agree; a reader first
 * recomputes the marked sections it reads; the rebuild recomputes everything from a scan.
 * Only these changes mark: a state change that neither assigns nor closes leaves it alone,
 * so most taps add nothing here.
 */
export class ProblemDueFacts {
  private readonly leases: ClaimStore;
  private readonly instance = randomUUID();

  constructor(
    private readonly models: IssueModels & ProblemDueModels & ClaimModels,
    private readonly clock: Clock,
  ) {
    this.leases = new ClaimStore(models, clock);
  }

  /** Marks the sections a change from `before` to `after` alters (one insert, or none). */
  async mark(before: FigureRow | undefined, after: FigureRow | undefined): Promise<void> {
    await this.markSections(dirtyDueSections(before, after));
  }

  private async markSections(sections: DueSection[]): Promise<void> {
    if (sections.length === 0) return;
    await this.models.problemDueMarks.create({ _id: randomUUID(), sections, at: this.clock.now() });
  }

  private async marks(limit?: number): Promise<{ docs: ProblemDueMarkDoc[]; sections: DueSection[] }> {
    const query = this.models.problemDueMarks.find({});
    if (limit) query.limit(limit);
    const docs = await query.lean<ProblemDueMarkDoc[]>().exec();
    const sections = new Map<string, DueSection>();
    for (const doc of docs) for (const s of doc.sections) sections.set(dueSectionId(s), s);
    return { docs, sections: [...sections.values()] };
  }

  private async clear(docs: ProblemDueMarkDoc[]): Promise<void> {
    if (docs.length > 0) await this.models.problemDueMarks.deleteMany({ _id: { $in: docs.map((d) => d._id) } }).exec();
  }

  /** Recomputes every marked section until none is left (tests, a stopping bot). */
  async drain(): Promise<void> {
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      const { docs, sections } = await this.marks();
      if (docs.length === 0) return;
      await Promise.all(sections.map((s) => this.settle(s)));
      // Only the marks read before recomputing: one made meanwhile waits for the next round.
      await this.clear(docs);
    }
  }

  /**
   * One refresher pass (called from the problem figures' refresher): each marked section
   * under a lease, so two instances do not recompute it at once; a mark goes once all its
   * sections were recomputed here. Returns how many marks it found.
   */
  async pass(running: () => boolean): Promise<number> {
    const { docs, sections } = await this.marks(PASS_LIMIT);
    const done = new Set<string>();
    for (const section of sections) {
      if (!running()) break;
      const key = `due:${dueSectionId(section)}`;
      const lease = await this.leases.begin(key, this.instance, LEASE_MS);
      if (!lease.first) continue;
      try {
        await this.settle(section);
        done.add(dueSectionId(section));
      } finally {
        await this.leases.release(key);
      }
    }
    await this.clear(docs.filter((d) => d.sections.every((s) => done.has(dueSectionId(s)))));
    return docs.length;
  }

  /**
   * Writes the section recomputed, then recomputes and compares with what is stored until
   * they agree (a writer that read before another change and wrote after it is caught by its
   * own check); a section that will not settle is marked again.
   */
  private async settle(section: DueSection): Promise<void> {
    await this.write(section, await this.compute(section));
    for (let round = 1; round < SETTLE_ROUNDS; round++) {
      const [now, stored] = await Promise.all([this.compute(section), this.stored(section)]);
      if (canonicalDue(now) === canonicalDue(stored)) return;
      await this.write(section, now);
    }
    await this.markSections([section]);
  }

  /** A section from its problems: one equality query on unit and month. */
  private async compute(section: DueSection): Promise<DueFact[]> {
    const docs = await this.models.issues
      .find({ assigneeUnit: section.assigneeUnit, dueMonth: section.month }, SOURCE_FIELDS)
      .lean<DueSource[]>()
      .exec();
    return dueFacts(section, docs);
  }

  private async stored(section: DueSection): Promise<DueFact[] | undefined> {
    const doc = await this.models.problemDueFacts
      .findOne({ _id: dueSectionId(section) })
      .lean<ProblemDueDoc>()
      .exec();
    return doc?.facts;
  }

  private async write(section: DueSection, facts: DueFact[]): Promise<void> {
    const doc: ProblemDueDoc = { _id: dueSectionId(section), ...section, facts };
    const model = this.models.problemDueFacts;
    try {
      await model.replaceOne({ _id: doc._id }, doc, { upsert: true }).exec();
    } catch (error) {
      // Two writers created the section at once: the loser writes over the winner's document.
      if (!isDuplicateKey(error)) throw error;
      await model.replaceOne({ _id: doc._id }, doc).exec();
    }
  }

  /**
   * Problems assigned to a unit that fall due in (from, to], by deadline then number: a
   * document per unit and month read, each marked one recomputed first.
   */
  async between(from: Date, to: Date): Promise<UnitDueFact[]> {
    const months = dueMonthsBetween(from, to);
    const { sections } = await this.marks();
    await Promise.all(sections.filter((s) => months.includes(s.month)).map((s) => this.settle(s)));
    const parts = await Promise.all(
      months.map((month) => this.models.problemDueFacts.find({ month }).lean<ProblemDueDoc[]>().exec()),
    );
    const out: UnitDueFact[] = [];
    for (const doc of parts.flat()) {
      for (const fact of doc.facts) {
        const deadline = new Date(fact.deadline);
        if (deadline.getTime() <= from.getTime() || deadline.getTime() > to.getTime()) continue;
        out.push({
          ...fact,
          deadline,
          closedAt: fact.closedAt ? new Date(fact.closedAt) : null,
          assigneeUnit: doc.assigneeUnit,
        });
      }
    }
    return out.sort(byListingOrder);
  }

  /**
   * Recomputes every section from a scan of the problems and corrects those that differ
   * (also a problem's `dueMonth` that does not match its deadline, which the equality
   * recomputation would miss: a problem written before the field was kept); returns how many
   * sections there are and how many sections and problems it corrected. Problems changed
   * while it ran have their sections recomputed again by equality afterwards.
   */
  async rebuild(): Promise<{ sections: number; corrected: number }> {
    const since = this.clock.now();
    const docs: DueSource[] = [];
    const fields: Array<AnyBulkWriteOperation<IssueDoc>> = [];
    for await (const doc of this.models.issues.find({}, SOURCE_FIELDS).lean<DueSource>().cursor()) {
      docs.push(doc);
      const month = doc.deadline ? dueMonth(new Date(doc.deadline)) : null;
      if ((doc.dueMonth ?? null) !== month)
        fields.push({
          // Only while its deadline is the one read: a change made meanwhile wrote its own.
          updateOne: {
            filter: { _id: doc._id, deadline: doc.deadline ?? null },
            update: { $set: { dueMonth: month } },
          },
        });
    }
    await bulkWriteInSlices(this.models.issues, fields);

    const expected = dueSectionsFromDocs(docs);
    const stored = new Map<string, ProblemDueDoc>();
    for (const doc of await this.models.problemDueFacts.find({}).lean<ProblemDueDoc[]>().exec())
      stored.set(doc._id, doc);
    const writes: Array<AnyBulkWriteOperation<ProblemDueDoc>> = [];
    for (const [id, { section, facts }] of expected) {
      const have = stored.get(id);
      stored.delete(id);
      if (canonicalDue(have?.facts) === canonicalDue(facts)) continue;
      // The replacement carries its `_id`: mongoose skips, without an error, one that fails the schema.
      const replacement: ProblemDueDoc = { _id: id, ...section, facts };
      writes.push({ replaceOne: { filter: { _id: id }, replacement, upsert: true } });
    }
    // Sections no problem belongs to any more must hold nothing.
    for (const [id, have] of stored)
      if (canonicalDue(have.facts) !== canonicalDue([])) writes.push({ deleteOne: { filter: { _id: id } } });
    await bulkWriteInSlices(this.models.problemDueFacts, writes, allDuplicates);

    const changed = await this.models.issues
      .find({ updatedAt: { $gte: since } }, SOURCE_FIELDS)
      .lean<DueSource[]>()
      .exec();
    const before = new Map(docs.map((d) => [d._id, d]));
    const again = new Map<string, DueSection>();
    for (const doc of changed)
      for (const s of [before.get(doc._id), doc].map((d) => (d ? dueSectionOf(d) : undefined)))
        if (s) again.set(dueSectionId(s), s);
    for (const section of again.values()) await this.settle(section);
    return { sections: expected.size, corrected: fields.length + writes.length };
  }
}

function allDuplicates(error: unknown): boolean {
  const errors = (error as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }).writeErrors;
  if (!errors) return isDuplicateKey(error);
  return errors.every((e) => (e.code ?? e.err?.code) === 11000);
}
