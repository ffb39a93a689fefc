import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { Clock } from '../domain/clock.js';
import {
  type Issue,
  type IssueHistoryLine,
  type IssueSourceKind,
  issueNumber,
  type ProgressNote,
} from '../domain/issues/issue.js';
import type { HistoryEntry, IssueSnapshot, IssueState } from '../domain/issues/lifecycle.js';
import { periodContaining } from '../domain/time/period.js';
import { type FigureRow, inBucket, OPEN_STATES, type OpenState } from './figures/problem-buckets.js';
import { dueMonth, type UnitDueFact } from './figures/problem-due-facts.js';
import type { ProblemDueModels } from './figures/problem-due-model.js';
import type { ProblemFigureModels } from './figures/problem-figure-model.js';
import { figureRow, listCountsOf, ProblemFigures, type StatusCounts } from './figures/problem-figures.js';
import { batchedInsert, GroupCommit } from './group-commit.js';
import type { ClaimModels } from './models/claim.js';
import type { IssueDoc, IssueHistoryDoc, IssueModels, SupervisionNoticeDoc } from './models/issue.js';
import { isDuplicateKey } from './mongo-errors.js';
import { orUndefined } from './nullable.js';

export type NewIssue = Omit<
  Issue,
  | 'id'
  | 'year'
  | 'seq'
  | 'number'
  | 'state'
  | 'version'
  | 'supervisorUnits'
  | 'progress'
  | 'createdAt'
  | 'closedAt'
  | 'history'
  | 'cardKeys'
>;

/** Filters for the lists the rest of the bot needs; each maps onto an index. */
export interface IssueFilter {
  waterBodyId?: string;
  assigneeUnit?: string;
  townshipId?: string;
  chiefId?: string;
  states?: IssueState[];
  /** Only problems past their deadline at this instant. */
  overdueAt?: Date;
  /** Only problems reported before this instant (age). */
  reportedBefore?: Date;
  /** Only problems reported at or after this instant. */
  reportedFrom?: Date;
  /** Only problems closed in [from, to). */
  closedBetween?: { from: Date; to: Date };
  /** Only problems due before this instant (overdue or not). */
  dueBefore?: Date;
  /** Only problems from this kind of source (会议议定事项, 清单任务 …). */
  sourceKinds?: IssueSourceKind[];
  /** Only what a person may see: these water bodies, or assigned to or supervised by these units. */
  visibleTo?: { waterBodyIds: string[]; unitIds: string[] };
}

const OPEN: IssueState[] = ['reported', 'assigned', 'rectifying', 'pendingVerification'];

/**
 * What the problem figures can count exactly for a filter, or undefined where only the
 * database can: the figures hold open problems per state (and how many are decisions and
 * tasks), with their deadlines, per unit and per group (water body, unit, supervisors), so
 * they answer any open states by water body, unit and a viewer's part, for all problems or
 * decisions and tasks together. They cannot answer 已销号 or 已撤销 (closed problems are
 * kept per month of closing, not as a state: the count would read every month of history),
 * a township or chief (not a dimension of the sections), a registration, closing or due
 * range, or other source kinds: those stay direct counts.
 */
function figureQuestion(filter: IssueFilter): { states: OpenState[]; decisionsOnly: boolean } | undefined {
  const states = filter.states ?? OPEN;
  if (!states.every((s): s is OpenState => (OPEN_STATES as readonly string[]).includes(s))) return undefined;
  if (
    filter.townshipId ||
    filter.chiefId ||
    filter.reportedBefore ||
    filter.reportedFrom ||
    filter.closedBetween ||
    filter.dueBefore
  )
    return undefined;
  let decisionsOnly = false;
  if (filter.sourceKinds) {
    const kinds = new Set(filter.sourceKinds);
    decisionsOnly = kinds.size === 2 && kinds.has('decision') && kinds.has('task');
    if (!decisionsOnly) return undefined;
  }
  return { states: [...new Set(states)], decisionsOnly };
}
/** Progress notes kept on the problem itself for its card; all of them are in the history. */
const PROGRESS_ON_CARD = 5;
const NUMBER_ATTEMPTS = 50;

function toIssue(doc: IssueDoc): Issue {
  return {
    id: doc.key,
    year: doc.year,
    seq: doc.seq,
    number: doc.number,
    waterBodyId: orUndefined(doc.waterBodyId),
    townshipId: orUndefined(doc.townshipId),
    place: doc.place,
    description: doc.description,
    category: doc.category,
    urgency: doc.urgency,
    photos: doc.photos,
    source: { kind: doc.source.kind, ref: orUndefined(doc.source.ref) },
    foundBy: doc.foundBy,
    foundAt: doc.foundAt,
    reportedBy: doc.reportedBy,
    chiefId: orUndefined(doc.chiefId),
    state: doc.state,
    version: doc.version,
    assigneeUnit: orUndefined(doc.assigneeUnit),
    supervisorUnits: doc.supervisorUnits,
    deadline: orUndefined(doc.deadline),
    requirement: orUndefined(doc.requirement),
    assignedAt: orUndefined(doc.assignedAt),
    deadlineSetAt: orUndefined(doc.deadlineSetAt),
    pendingExtension: orUndefined(doc.pendingExtension),
    progress: doc.progress,
    closedAt: orUndefined(doc.closedAt),
    createdAt: doc.createdAt,
    history: doc.history,
    cardKeys: doc.cardKeys,
  };
}

/** The lifecycle fields of a snapshot, as stored. */
function snapshotFields(next: IssueSnapshot): Record<string, unknown> {
  return {
    state: next.state,
    version: next.version,
    assigneeUnit: next.assigneeUnit ?? null,
    supervisorUnits: next.supervisorUnits,
    deadline: next.deadline ?? null,
    requirement: next.requirement ?? null,
    assignedAt: next.assignedAt ?? null,
    deadlineSetAt: next.deadlineSetAt ?? null,
    pendingExtension: next.pendingExtension ?? null,
  };
}

export type { StatusCounts };

/**
 * A state change's claim, a unique insert that tells each caller whether it won, grouped with
 * the claims of concurrent changes into one command (group commit): on the embedded database
 * every command is a transaction, and under a burst of taps they would queue one per tap.
 */
class ChangeClaims {
  private readonly insert: GroupCommit<IssueHistoryDoc, boolean>;

  constructor(private readonly models: IssueModels) {
    this.insert = batchedInsert(models.issueHistory.collection as unknown as Collection<IssueHistoryDoc>);
  }

  /** True when this call made the claim; false when a change from the same version had. */
  claim(doc: IssueHistoryDoc): Promise<boolean> {
    // As the schema stores it (its defaults, nothing it does not know), as `create` would.
    return this.insert.run(new this.models.issueHistory(doc).toObject());
  }
}

export class IssueStore {
  /**
   * The read model /状态, /逾期 and /简报 count from: every change here marks the sections it
   * alters, and the figures' refresher (or the next read of them) recomputes them.
   */
  readonly figures: ProblemFigures;

  constructor(
    private readonly models: IssueModels & ProblemFigureModels & ProblemDueModels & ClaimModels,
    private readonly clock: Clock,
    /** The district's zone, for the month keys overviews group by. */
    private readonly timeZone = 'Asia/Shanghai',
  ) {
    this.figures = new ProblemFigures(models, clock);
  }

  /** A problem as the figures see it (months derived as the documents store them). */
  private rowOf(issue: Issue): FigureRow {
    return {
      key: issue.id,
      waterBodyId: issue.waterBodyId ?? null,
      assigneeUnit: issue.assigneeUnit ?? null,
      supervisorUnits: issue.supervisorUnits,
      state: issue.state,
      deadline: issue.deadline ?? null,
      createdMonth: this.monthOf(issue.createdAt),
      closedMonth: issue.closedAt ? this.monthOf(issue.closedAt) : null,
      kind: issue.source.kind,
    };
  }

  private monthOf(at: Date): string {
    return periodContaining('month', at, this.timeZone).key;
  }

  /**
   * Registers a problem under the next number of its year. The number is claimed by the
   * unique (year, seq) index, so two registrations at once never share one.
   */
  async create(input: NewIssue, numbering: { prefix: string; year: number }): Promise<Issue> {
    const now = this.clock.now();
    const year = numbering.year;
    const key = randomUUID();
    for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt++) {
      const last = await this.models.issues
        .findOne({ year }, { seq: 1 })
        .sort({ seq: -1 })
        .lean<Pick<IssueDoc, 'seq'>>()
        .exec();
      const seq = (last?.seq ?? 0) + 1;
      const reported: IssueHistoryLine = {
        at: now,
        by: input.reportedBy,
        action: 'reported',
        from: 'reported',
        to: 'reported',
        note: input.description,
        photos: input.photos,
      };
      const doc: IssueDoc = {
        _id: key,
        key,
        year,
        seq,
        number: issueNumber(numbering.prefix, year, seq),
        waterBodyId: input.waterBodyId ?? null,
        townshipId: input.townshipId ?? null,
        place: input.place,
        description: input.description,
        category: input.category,
        urgency: input.urgency,
        photos: input.photos,
        source: { kind: input.source.kind, ref: input.source.ref ?? null },
        foundBy: input.foundBy,
        foundAt: input.foundAt,
        reportedBy: input.reportedBy,
        chiefId: input.chiefId ?? null,
        state: 'reported',
        version: 1,
        assigneeUnit: null,
        supervisorUnits: [],
        deadline: null,
        requirement: null,
        assignedAt: null,
        deadlineSetAt: null,
        pendingExtension: null,
        progress: [],
        closedAt: null,
        closedOnTime: null,
        cardKeys: [],
        history: [reported],
        nextSupervisionAt: null,
        createdAt: now,
        createdMonth: this.monthOf(now),
        closedMonth: null,
        updatedAt: now,
      };
      try {
        await this.models.issues.create(doc);
      } catch (error) {
        if (isDuplicateKey(error)) continue;
        throw error;
      }
      await this.models.issueHistory.create({ _id: `${key}@0`, issueKey: key, version: 1, ...reported, after: null });
      await this.figures.mark(undefined, figureRow(doc));
      return toIssue(doc);
    }
    throw new Error(`could not allocate a problem number for ${year} after ${NUMBER_ATTEMPTS} attempts`);
  }

  /**
   * A problem by its key, with any change that was claimed but not yet written repaired.
   * A tap names the version its card showed: the claim a change from that version would
   * have left is read beside the problem, not after it (one round trip instead of two).
   */
  async get(key: string, expectedVersion?: number): Promise<Issue | undefined> {
    const [doc, ahead] = await Promise.all([
      this.models.issues.findOne({ _id: key }).lean<IssueDoc>().exec(),
      expectedVersion === undefined ? undefined : this.claimFrom(key, expectedVersion),
    ]);
    if (!doc) return undefined;
    return this.repaired(doc, doc.version === expectedVersion ? ahead : undefined);
  }

  /** A problem by what people type: the year is optional (the latest year with that number). */
  async findByRef(ref: { year?: number; seq: number }): Promise<Issue | undefined> {
    const filter = ref.year ? { year: ref.year, seq: ref.seq } : { seq: ref.seq };
    const doc = await this.models.issues.findOne(filter).sort({ year: -1 }).lean<IssueDoc>().exec();
    return doc ? this.repaired(doc) : undefined;
  }

  /** Problems registered from one source record (a patrol's problems). */
  async findBySource(ref: string): Promise<Issue[]> {
    const docs = await this.models.issues.find({ 'source.ref': ref }).sort({ seq: 1 }).lean<IssueDoc[]>().exec();
    return docs.map(toIssue);
  }

  /** Created on first use: claims of concurrent changes, inserted together. */
  private changeClaims?: ChangeClaims;

  /**
   * Saves a state change made from `from.version`. Returns false, writing nothing, when
   * another change from that version was claimed first (a concurrent tap). The claim and
   * the figures' mark each go in one command with those of concurrent changes.
   */
  async applyChange(
    from: Issue,
    next: IssueSnapshot,
    entry: HistoryEntry,
    extra: { photos?: string[]; nextSupervisionAt?: Date | null } = {},
  ): Promise<boolean> {
    const closed = next.state === 'closed';
    const fields: Record<string, unknown> = {
      ...snapshotFields(next),
      closedAt: closed ? entry.at : null,
      closedMonth: closed ? this.monthOf(entry.at) : null,
      closedOnTime: closed ? !!from.deadline && entry.at.getTime() < from.deadline.getTime() : null,
      dueMonth: next.deadline ? dueMonth(next.deadline) : null,
      nextSupervisionAt: extra.nextSupervisionAt ?? null,
      updatedAt: entry.at,
    };
    const line: IssueHistoryLine = { ...entry, photos: extra.photos ?? [] };
    this.changeClaims ??= new ChangeClaims(this.models);
    const claimed = await this.changeClaims.claim({
      _id: `${from.id}@${from.version}`,
      issueKey: from.id,
      version: next.version,
      ...line,
      after: fields,
    });
    if (!claimed) return false;
    // By `_id`: on the embedded database any other filter reads every problem there is. Not
    // grouped: one update command of many statements hung FerretDB 1.24 under 50 taps/s.
    await this.models.issues.updateOne({ _id: from.id }, { $set: fields, $push: { history: line } }).exec();
    await this.figures.mark(this.rowOf(from), {
      ...this.rowOf(from),
      state: next.state,
      assigneeUnit: next.assigneeUnit ?? null,
      supervisorUnits: next.supervisorUnits,
      deadline: next.deadline ?? null,
      closedMonth: fields.closedMonth as string | null,
    });
    return true;
  }

  /**
   * Adds a progress note (or a photo) without changing the state. `dedupe` names the
   * message or tap it came from, so a retried event is recorded once.
   */
  async addProgress(issue: Issue, entry: HistoryEntry, dedupe: string, photos: string[]): Promise<boolean> {
    const line: IssueHistoryLine = { ...entry, photos };
    try {
      await this.models.issueHistory.create({
        _id: `${issue.id}#${dedupe}`,
        issueKey: issue.id,
        version: issue.version,
        ...line,
        after: null,
      });
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    const note: ProgressNote = { at: entry.at, by: entry.by, note: entry.note ?? '', photos };
    const set: Record<string, unknown> = {
      progress: [...issue.progress, note].slice(-PROGRESS_ON_CARD),
      updatedAt: entry.at,
    };
    const update: Record<string, unknown> = { $set: set, $push: { history: line } };
    if (photos.length > 0) update.$addToSet = { photos: { $each: photos } };
    await this.models.issues.updateOne({ _id: issue.id }, update).exec();
    return true;
  }

  /** Fills in month keys on problems registered before they were kept (an upgrade); returns how many. */
  async backfillMonths(): Promise<number> {
    let filled = 0;
    for (;;) {
      const docs = await this.models.issues
        .find({ createdMonth: null }, { _id: 1, createdAt: 1, closedAt: 1 })
        .limit(500)
        .lean<Array<Pick<IssueDoc, '_id' | 'createdAt' | 'closedAt'>>>()
        .exec();
      if (docs.length === 0) return filled;
      for (const d of docs) {
        const months = {
          createdMonth: this.monthOf(d.createdAt),
          closedMonth: d.closedAt ? this.monthOf(d.closedAt) : null,
        };
        await this.models.issues.updateOne({ _id: d._id }, { $set: months }).exec();
        const row = await this.models.issues.findOne({ _id: d._id }).lean<IssueDoc>().exec();
        if (row) await this.figures.mark({ ...figureRow(row), createdMonth: null, closedMonth: null }, figureRow(row));
        filled++;
      }
    }
  }

  /**
   * Everything /状态 counts, read from the problem figures: one bucket per unit for the
   * district, the groups in view otherwise; overdue is told apart here, by `now`.
   */
  async statusCounts(
    visibleTo: IssueFilter['visibleTo'],
    now: Date,
    months: string[],
    weekAhead: Date,
  ): Promise<StatusCounts> {
    return this.figures.statusCounts(visibleTo, now, months, weekAhead);
  }

  /**
   * Problems past their deadline at `now` in a viewer's part, soonest deadline first: the
   * figures name the buckets holding an overdue deadline, and only their open problems of
   * that state are read (never the closed history).
   */
  async overdue(visibleTo: IssueFilter['visibleTo'], now: Date, limit: number): Promise<Issue[]> {
    const sources = await this.figures.overdueSources(visibleTo, now);
    const parts = await Promise.all(
      sources.map(async ({ filter, bucket }) => {
        const docs = await this.models.issues.find(filter).lean<IssueDoc[]>().exec();
        return docs.filter(
          (d) => !!d.deadline && d.deadline.getTime() < now.getTime() && inBucket(bucket, figureRow(d)),
        );
      }),
    );
    const unique = [...new Map(parts.flat().map((d) => [d._id, d])).values()];
    unique.sort((a, b) => (a.deadline?.getTime() ?? 0) - (b.deadline?.getTime() ?? 0) || a.seq - b.seq);
    return unique.slice(0, limit).map(toIssue);
  }

  /** Remembers an outbox key under which a copy of the problem's card was sent. */
  async addCardKey(key: string, cardKey: string): Promise<void> {
    await this.models.issues.updateOne({ _id: key }, { $addToSet: { cardKeys: cardKey } }).exec();
  }

  /** Open, assigned problems whose supervision is due, oldest first. */
  async dueForSupervision(now: Date, limit: number): Promise<Issue[]> {
    const docs = await this.models.issues
      .find({ nextSupervisionAt: { $lte: now }, state: { $in: ['assigned', 'rectifying'] } })
      .sort({ nextSupervisionAt: 1 })
      .limit(limit)
      .lean<IssueDoc[]>()
      .exec();
    return Promise.all(docs.map((d) => this.repaired(d)));
  }

  async setNextSupervision(key: string, at: Date | null): Promise<void> {
    await this.models.issues.updateOne({ _id: key }, { $set: { nextSupervisionAt: at } }).exec();
  }

  /** Records a suggested 提示/通报 once per key; false if it already exists. */
  async suggestNotice(
    notice: Omit<SupervisionNoticeDoc, '_id' | 'status' | 'decidedBy' | 'decidedAt' | 'createdAt'>,
  ): Promise<boolean> {
    try {
      await this.models.supervisionNotices.create({
        _id: notice.key,
        ...notice,
        createdAt: this.clock.now(),
        status: 'suggested',
        decidedBy: null,
        decidedAt: null,
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async notice(key: string): Promise<SupervisionNoticeDoc | null> {
    return this.models.supervisionNotices.findOne({ _id: key }).lean<SupervisionNoticeDoc>().exec();
  }

  /** The office's decision on a suggestion; the caller has claimed it (see ClaimStore). */
  async decideNotice(
    key: string,
    status: 'confirmed' | 'dismissed',
    suggest: 'prompt' | 'bulletin',
    by: string,
  ): Promise<void> {
    await this.models.supervisionNotices
      .updateOne({ _id: key }, { $set: { status, suggest, decidedBy: by, decidedAt: this.clock.now() } })
      .exec();
  }

  /**
   * Assigned problems due in (from, to], soonest first, as the assessment lists them: read from
   * the due facts (a document per unit and month), never from the problems. A deadline is the
   * end of its day, so a problem due on 31 December has its deadline at the year's end and
   * counts in that year.
   */
  async dueBetween(from: Date, to: Date): Promise<UnitDueFact[]> {
    return this.figures.due.between(from, to);
  }

  /** Problems matching a filter, oldest first (open ones unless states say otherwise). */
  async list(filter: IssueFilter, limit = 50, order: 'createdAt' | 'deadline' = 'createdAt'): Promise<Issue[]> {
    const query = this.query(filter);
    if (order === 'createdAt') {
      const docs = await this.models.issues
        .find(query)
        .sort({ createdAt: 1, seq: 1 })
        .limit(limit)
        .lean<IssueDoc[]>()
        .exec();
      return docs.map(toIssue);
    }
    // Soonest deadline first; problems without one (not yet assigned) after them, not before.
    const dated = await this.models.issues
      .find({ $and: [query, { deadline: { $ne: null } }] })
      .sort({ deadline: 1, seq: 1 })
      .limit(limit)
      .lean<IssueDoc[]>()
      .exec();
    const undated =
      dated.length < limit
        ? await this.models.issues
            .find({ $and: [query, { deadline: null }] })
            .sort({ seq: 1 })
            .limit(limit - dated.length)
            .lean<IssueDoc[]>()
            .exec()
        : [];
    return [...dated, ...undated].map(toIssue);
  }

  /** How many problems match a filter, counted by the database. */
  async count(filter: IssueFilter): Promise<number> {
    return this.models.issues.countDocuments(this.query(filter)).exec();
  }

  /**
   * A /问题 or /议定 list's counts: how many problems match the filter, and how many of them
   * are past their deadline at `now`. From the problem figures whenever they hold exactly
   * that (see `figureQuestion`), reading a document per unit or group of the place instead of
   * every problem; otherwise counted by the database.
   */
  async listCounts(filter: IssueFilter, now: Date): Promise<{ total: number; overdue: number }> {
    const question = figureQuestion(filter);
    if (!question) {
      const [total, overdue] = await Promise.all([this.count(filter), this.count({ ...filter, overdueAt: now })]);
      return { total, overdue };
    }
    const open = await this.figures.openAt(
      { waterBodyId: filter.waterBodyId, assigneeUnit: filter.assigneeUnit },
      filter.visibleTo,
    );
    const counts = listCountsOf(open, question.states, question.decisionsOnly, now);
    // An overdue filter lists only what is overdue at its own instant.
    const total = filter.overdueAt
      ? listCountsOf(open, question.states, question.decisionsOnly, filter.overdueAt).overdue
      : counts.total;
    return { total, overdue: counts.overdue };
  }

  /**
   * Open and overdue counts grouped by one field, counted by the database: the status card
   * and digests call it on a district's whole year without loading problems.
   */
  async openCountsBy(
    field: 'waterBodyId' | 'assigneeUnit' | 'townshipId' | 'chiefId' | 'state',
    now: Date,
    visibleTo?: IssueFilter['visibleTo'],
  ): Promise<Map<string, { open: number; overdue: number }>> {
    const scope = visibleTo ? this.query({ visibleTo }).$or : undefined;
    const group = async (match: Record<string, unknown>) =>
      this.models.issues
        .aggregate<{ _id: string | null; n: number }>([
          { $match: scope ? { ...match, $or: scope } : match },
          { $group: { _id: `$${field}`, n: { $sum: 1 } } },
        ])
        .exec();
    const open = await group({ state: { $in: OPEN } });
    const overdue = await group({ state: { $in: ['assigned', 'rectifying'] }, deadline: { $lt: now } });
    const out = new Map<string, { open: number; overdue: number }>();
    for (const row of open) out.set(row._id ?? '', { open: row.n, overdue: 0 });
    for (const row of overdue) {
      const entry = out.get(row._id ?? '') ?? { open: 0, overdue: 0 };
      entry.overdue = row.n;
      out.set(row._id ?? '', entry);
    }
    return out;
  }

  /**
   * Per unit for a period: problems assigned in it and how many of those are closed
   * (整改率), and problems due in it and how many closed by their deadline (按期整改率).
   */
  async unitCounts(
    from: Date,
    to: Date,
  ): Promise<Map<string, { assigned: number; closed: number; due: number; closedOnTime: number }>> {
    const assigned = await this.models.issues
      .aggregate<{ _id: { unit: string; state: string }; n: number }>([
        { $match: { assigneeUnit: { $ne: null }, assignedAt: { $gte: from, $lt: to } } },
        { $group: { _id: { unit: '$assigneeUnit', state: '$state' }, n: { $sum: 1 } } },
      ])
      .exec();
    const due = await this.models.issues
      .aggregate<{ _id: { unit: string; onTime: boolean | null }; n: number }>([
        { $match: { assigneeUnit: { $ne: null }, deadline: { $gte: from, $lt: to } } },
        { $group: { _id: { unit: '$assigneeUnit', onTime: '$closedOnTime' }, n: { $sum: 1 } } },
      ])
      .exec();
    const out = new Map<string, { assigned: number; closed: number; due: number; closedOnTime: number }>();
    const entry = (unit: string) => {
      let e = out.get(unit);
      if (!e) out.set(unit, (e = { assigned: 0, closed: 0, due: 0, closedOnTime: 0 }));
      return e;
    };
    for (const row of assigned) {
      const e = entry(row._id.unit);
      e.assigned += row.n;
      if (row._id.state === 'closed') e.closed += row.n;
    }
    for (const row of due) {
      const e = entry(row._id.unit);
      e.due += row.n;
      if (row._id.onTime === true) e.closedOnTime += row.n;
    }
    return out;
  }

  private query(filter: IssueFilter): Record<string, unknown> {
    const query: Record<string, unknown> = { state: { $in: filter.states ?? OPEN } };
    if (filter.waterBodyId) query.waterBodyId = filter.waterBodyId;
    if (filter.assigneeUnit) query.assigneeUnit = filter.assigneeUnit;
    if (filter.townshipId) query.townshipId = filter.townshipId;
    if (filter.chiefId) query.chiefId = filter.chiefId;
    if (filter.overdueAt) {
      query.deadline = { $lt: filter.overdueAt };
      query.state = {
        $in: (filter.states ?? ['assigned', 'rectifying']).filter((s) => s === 'assigned' || s === 'rectifying'),
      };
    }
    if (filter.reportedBefore || filter.reportedFrom) {
      query.createdAt = {
        ...(filter.reportedFrom ? { $gte: filter.reportedFrom } : {}),
        ...(filter.reportedBefore ? { $lt: filter.reportedBefore } : {}),
      };
    }
    if (filter.sourceKinds) query['source.kind'] = { $in: filter.sourceKinds };
    if (filter.closedBetween) query.closedAt = { $gte: filter.closedBetween.from, $lt: filter.closedBetween.to };
    if (filter.dueBefore && !filter.overdueAt) query.deadline = { $lt: filter.dueBefore };
    if (filter.visibleTo) {
      query.$or = [
        { waterBodyId: { $in: filter.visibleTo.waterBodyIds } },
        { assigneeUnit: { $in: filter.visibleTo.unitIds } },
        { supervisorUnits: { $in: filter.visibleTo.unitIds } },
      ];
    }
    return query;
  }

  /**
   * Applies a claimed change whose document write did not happen (the process died between
   * them): the next change from this version is the claim `<key>@<version>`.
   */
  private async repaired(doc: IssueDoc, prefetched?: IssueHistoryDoc | null): Promise<Issue> {
    let current = doc;
    let known = prefetched;
    for (;;) {
      const ahead = known === undefined ? await this.claimFrom(current._id, current.version) : known;
      known = undefined;
      if (!ahead?.after) return toIssue(current);
      const line: IssueHistoryLine = {
        at: ahead.at,
        by: ahead.by,
        action: ahead.action,
        from: ahead.from,
        to: ahead.to,
        note: ahead.note,
        photos: ahead.photos,
        facts: ahead.facts ?? null,
      };
      await this.models.issues
        .updateOne({ _id: current._id, version: current.version }, { $set: ahead.after, $push: { history: line } })
        .exec();
      const before = current;
      current = { ...current, ...(ahead.after as Partial<IssueDoc>), history: [...current.history, line] };
      await this.figures.mark(figureRow(before), figureRow(current));
    }
  }

  /** The claim of the change made from `version`, if one was made: `<key>@<version>`. */
  private claimFrom(key: string, version: number): Promise<IssueHistoryDoc | null> {
    return this.models.issueHistory
      .findOne({ _id: `${key}@${version}` })
      .lean<IssueHistoryDoc>()
      .exec();
  }
}
