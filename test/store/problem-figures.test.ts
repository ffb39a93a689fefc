import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import type { OfficialDocument } from '../../src/domain/documents/document.js';
import type { Issue, IssueSourceKind } from '../../src/domain/issues/issue.js';
import type { HistoryEntry, IssueSnapshot, IssueState } from '../../src/domain/issues/lifecycle.js';
import { periodContaining } from '../../src/domain/time/period.js';
import { DocumentStore } from '../../src/store/document-store.js';
import {
  canonical,
  deadlinesOf,
  type FigureRow,
  packDeadlines,
  sectionsFromRows,
} from '../../src/store/figures/problem-buckets.js';
import type { ProblemMonthDoc, ProblemOpenDoc } from '../../src/store/figures/problem-figure-model.js';
import { figureRow, statusCountsOf } from '../../src/store/figures/problem-figures.js';
import { type IssueFilter, IssueStore, type NewIssue } from '../../src/store/issue-store.js';
import { MeetingStore } from '../../src/store/meeting-store.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import type { IssueDoc } from '../../src/store/models/issue.js';
import { draftMinutes } from '../factories/document.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seededRandom } from '../helpers/seeded-random.js';

/**
 * The problem read model against its definition: random sequences of registrations and state
 * changes (reassignments, new deadlines and supervisors, closing, reopening, withdrawal),
 * many at once, from two bot instances on their own connections, with taps from the same
 * version racing, retried changes and a change whose document write never happened; after
 * each round every bucket equals a recomputation from the problems, and the figures /状态
 * shows equal counts taken from the problems directly.
 */

const clock = new ManualClock('2026-01-05T10:00:00+08:00');
let db: TestDatabase;
let second: mongoose.Connection;
let models: Models;
let stores: [IssueStore, IssueStore];

const WATERS = ['w1', 'w2', 'w3'];
const UNITS = ['t1', 't2', 't3'];
const SUPERVISORS = ['l1', 'd1'];
const KINDS: IssueSourceKind[] = ['patrol', 'decision', 'task', 'office'];
const STATES: IssueState[] = ['reported', 'assigned', 'rectifying', 'pendingVerification', 'closed', 'withdrawn'];

beforeAll(async () => {
  db = await openTestDatabase();
  second = await mongoose.createConnection(db.uri).asPromise();
  models = bindModels(db.connection);
  await ensureIndexes(models);
  // Two instances of the bot: two stores, each on its own connection to the same database.
  stores = [new IssueStore(models, clock), new IssueStore(bindModels(second), clock)];
});
afterAll(async () => {
  await second.close();
  await db.close();
});

async function scan(): Promise<FigureRow[]> {
  const docs = await models.issues.find({}).lean<IssueDoc[]>().exec();
  return docs.map(figureRow);
}

/** Every stored section equals the one computed from a scan of the problems, and none is left over. */
async function expectSectionsMatchProblems(): Promise<void> {
  // Changes only mark their sections: let both instances' refreshers recompute what is marked.
  await Promise.all(stores.map((s) => s.figures.drain()));
  const expected = sectionsFromRows(await scan());
  const stored = new Map<string, Record<string, unknown>>();
  for (const docs of await Promise.all([
    models.problemFiguresByUnit.find({}).lean<Array<{ _id: string }>>(),
    models.problemFiguresByGroup.find({}).lean<Array<{ _id: string }>>(),
    models.problemFiguresByMonth.find({}).lean<Array<{ _id: string }>>(),
  ]))
    for (const doc of docs) stored.set(doc._id, doc);
  for (const [id, { section, figures }] of expected) {
    expect(canonical(section, stored.get(id)), `section ${id}`).toBe(canonical(section, figures));
    stored.delete(id);
  }
  // Whatever is left is a section no problem belongs to any more: it holds nothing.
  for (const [id, doc] of stored) expect(JSON.stringify(doc), `section ${id}`).not.toMatch(/"n":[1-9]/);
}

describe('problem figures', () => {
  it('equal a recomputation from the problems after random concurrent changes from two instances', async () => {
    const rnd = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
    const base = (): NewIssue => ({
      waterBodyId: rnd() < 0.1 ? undefined : pick(WATERS),
      townshipId: pick(UNITS),
      place: '',
      description: '问题',
      category: '河岸',
      urgency: 'normal',
      photos: [],
      source: { kind: pick(KINDS) },
      foundBy: 'qian',
      foundAt: clock.now(),
      reportedBy: 'qian',
      chiefId: 'li',
    });
    const change = (issue: Issue): { next: IssueSnapshot; entry: HistoryEntry } => {
      const state = pick(STATES);
      const assigned = state !== 'reported' && state !== 'withdrawn';
      const next: IssueSnapshot = {
        state,
        version: issue.version + 1,
        assigneeUnit: assigned || rnd() < 0.2 ? pick(UNITS) : undefined,
        supervisorUnits: SUPERVISORS.filter(() => rnd() < 0.5),
        deadline: assigned ? new Date(clock.now().getTime() + (rnd() * 20 - 10) * 86_400_000) : undefined,
      };
      const entry: HistoryEntry = {
        at: clock.now(),
        by: 'qian',
        action: 'assign',
        from: issue.state,
        to: state,
        note: null,
      };
      return { next, entry };
    };

    for (let round = 0; round < 4; round++) {
      // Months move on, so problems are registered and closed in different months.
      clock.set(new Date(Date.UTC(2026, round * 2, 3 + round, 2)));
      const created = await Promise.all(
        Array.from({ length: 5 }, (_, i) => stores[i % 2]!.create(base(), { prefix: '测试', year: 2026 })),
      );
      const all = await models.issues.find({}, { _id: 1 }).lean<Array<{ _id: string }>>();
      const picked = [...new Set([...created.map((c) => c.id), ...all.map((d) => d._id)])].filter(() => rnd() < 0.6);
      await Promise.all(
        picked.map(async (key, i) => {
          const issue = (await stores[i % 2]!.get(key))!;
          const { next, entry } = change(issue);
          // A tap on the other instance from the same version races this one; one wins.
          const rival = change(issue);
          const [mine, theirs] = await Promise.all([
            stores[i % 2]!.applyChange(issue, next, entry),
            stores[(i + 1) % 2]!.applyChange(issue, rival.next, rival.entry),
          ]);
          expect([mine, theirs].filter(Boolean)).toHaveLength(1);
          // A retried change from the same version does nothing.
          expect(await stores[i % 2]!.applyChange(issue, next, entry)).toBe(false);
        }),
      );
      await expectSectionsMatchProblems();
    }

    // A change claimed whose document write never happened is repaired on the next read, figures included.
    const victim = (await models.issues.findOne({ state: { $ne: 'withdrawn' } }).lean<IssueDoc>())!;
    await models.issueHistory.create({
      _id: `${victim._id}@${victim.version}`,
      issueKey: victim._id,
      version: victim.version + 1,
      at: clock.now(),
      by: 'qian',
      action: 'withdraw',
      from: victim.state,
      to: 'withdrawn',
      note: null,
      photos: [],
      after: { state: 'withdrawn', version: victim.version + 1 },
    });
    await stores[1].get(victim._id);
    await expectSectionsMatchProblems();

    // One problem certainly overdue, so the overdue comparisons below never compare only zeros
    // (the random rounds leave none overdue now and then).
    const { id: lateId } = await stores[0].create(base(), { prefix: '测试', year: 2026 });
    const lateIssue = (await stores[0].get(lateId))!;
    const { entry: lateEntry } = change(lateIssue);
    await stores[1].applyChange(
      lateIssue,
      {
        state: 'rectifying',
        version: lateIssue.version + 1,
        assigneeUnit: 't2',
        supervisorUnits: ['l1'],
        deadline: new Date(clock.now().getTime() - 86_400_000),
      },
      { ...lateEntry, to: 'rectifying' },
    );
    await expectSectionsMatchProblems();

    // What /状态 shows equals counts taken from the problems themselves, district-wide and scoped.
    const now = clock.now();
    const weekAhead = new Date(now.getTime() + 7 * 86_400_000);
    const months = ['2026-01', '2026-03', '2026-05', '2026-07'];
    const rows = await scan();
    for (const scope of [undefined, { waterBodyIds: ['w1'], unitIds: ['t2', 'l1'] }]) {
      const seen = rows.filter(
        (r) =>
          !scope ||
          scope.waterBodyIds.includes(r.waterBodyId ?? '') ||
          scope.unitIds.includes(r.assigneeUnit ?? '') ||
          r.supervisorUnits.some((u) => scope.unitIds.includes(u)),
      );
      const sections = [...sectionsFromRows(seen).values()].filter(
        (x) => x.section.kind !== 'districtMonth' && x.section.bucket.by === 'group',
      );
      const direct = statusCountsOf(
        sections
          .filter((x) => x.section.kind === 'open')
          .map((x) => ({
            ...(x.figures as ProblemOpenDoc),
            assigneeUnit: x.section.kind === 'open' ? x.section.bucket.assigneeUnit : null,
          })),
        sections
          .filter((x) => x.section.kind === 'month')
          .map((x) => ({
            ...(x.figures as ProblemMonthDoc),
            month: x.section.kind === 'month' ? x.section.month : '',
          })),
        now,
        months,
        weekAhead,
      );
      const open = seen.filter((r) => ['reported', 'assigned', 'rectifying', 'pendingVerification'].includes(r.state));
      const late = seen.filter(
        (r) => (r.state === 'assigned' || r.state === 'rectifying') && !!r.deadline && r.deadline < now,
      );
      expect(direct.open).toBe(open.length);
      expect(direct.overdue).toBe(late.length);
      const counts = await stores[0].statusCounts(scope, now, months, weekAhead);
      expect(counts).toEqual(direct);
      const listed = await stores[1].overdue(scope, now, 500);
      expect(listed.map((i) => i.id).sort()).toEqual(late.map((r) => r.key).sort());
    }

    // The /问题 and /议定 lists' counts from the figures equal the database's counts of the problems.
    const places: Array<Pick<IssueFilter, 'waterBodyId' | 'assigneeUnit'>> = [
      {},
      { waterBodyId: 'w1' },
      { waterBodyId: 'w3' },
      { assigneeUnit: 't2' },
      { assigneeUnit: 'l1' },
      { waterBodyId: 'w2', assigneeUnit: 't1' },
    ];
    const questions: IssueFilter[] = [
      {},
      { states: ['reported'] },
      { states: ['rectifying'] },
      { states: ['pendingVerification', 'assigned'] },
      { states: ['assigned', 'rectifying'], overdueAt: now },
      { states: ['closed'] },
      { sourceKinds: ['decision', 'task'] },
      { sourceKinds: ['task', 'decision'], states: ['assigned'] },
      { sourceKinds: ['patrol'] },
    ];
    const scopes = [
      undefined,
      { waterBodyIds: ['w1', 'w2'], unitIds: ['t2', 'l1'] },
      { waterBodyIds: [], unitIds: ['d1'] },
    ];
    // Which questions and places some comparison found problems for, and whether one was overdue.
    const askedWithProblems = new Set<number>();
    const placesWithProblems = new Set<number>();
    let someOverdue = false;
    for (const [p, place] of places.entries())
      for (const [q, question] of questions.entries())
        for (const visibleTo of scopes) {
          const filter: IssueFilter = { ...place, ...question, visibleTo };
          const direct = {
            total: await stores[0].count(filter),
            overdue: await stores[0].count({ ...filter, overdueAt: now }),
          };
          if (direct.total > 0) {
            askedWithProblems.add(q);
            placesWithProblems.add(p);
          }
          if (direct.overdue > 0) someOverdue = true;
          expect(await stores[1].listCounts(filter, now), JSON.stringify(filter)).toEqual(direct);
        }
    // The data reach most kinds of filter and places (not a comparison of zeros). (A fixed share
    // of non-zero comparisons was flaky: the races between the instances vary the data.)
    // l1 supervises and is never assigned: its place is a comparison of zeros by design. The
    // others and the questions mostly find problems; how many varies with the races.
    expect(askedWithProblems.size).toBeGreaterThanOrEqual(questions.length - 3);
    expect(placesWithProblems.size).toBeGreaterThanOrEqual(places.length - 2);
    expect(someOverdue).toBe(true);
  }, 240_000);

  it('are put right by the rebuild, which reports the sections it corrected', async () => {
    const [store] = stores;
    expect(await store.figures.rebuild()).toMatchObject({ corrected: 0 });
    // Figures that drifted (a section damaged, one lost, one left over) are found and corrected.
    const unit = (await models.problemFiguresByUnit.find({}).lean<ProblemOpenDoc[]>()).find(
      (u) => u.open.reported.n > 0,
    )!;
    const asked: IssueFilter = { assigneeUnit: unit.assigneeUnit ?? undefined, states: ['reported'] };
    // A section of problems with no unit yet is asked for as all units: the others count too.
    const expected = (await store.count(asked)) - unit.open.reported.n + 99;
    await models.problemFiguresByUnit.updateOne({ _id: unit._id }, { $set: { 'open.reported.n': 99 } });
    const month = (await models.problemFiguresByMonth.find({ by: 'district' }).lean<ProblemMonthDoc[]>())[0]!;
    await models.problemFiguresByMonth.deleteOne({ _id: month._id });
    await models.problemFiguresByMonth.create({
      ...month,
      _id: 'stray@2026-02',
      by: 'group',
      waterBodyId: 'nowhere',
      month: '2026-02',
    });
    // The /问题 counts are read from the figures (here the damaged unit section), not the problems.
    expect((await store.listCounts(asked, clock.now())).total).toBe(expected);
    expect(await store.figures.rebuild()).toMatchObject({ corrected: 3 });
    await expectSectionsMatchProblems();
    expect(await store.figures.rebuild()).toMatchObject({ corrected: 0 });
  }, 120_000);

  it('keep deadlines packed, read sections written unpacked as they are, and the rebuild repacks them', async () => {
    const [store] = stores;
    const list = [
      { at: new Date('2026-01-09T16:00:00Z'), n: 3, d: 0 },
      { at: new Date('2026-02-01T16:00:00Z'), n: 2, d: 2 },
    ];
    expect(packDeadlines(list)).toMatch(/^[0-9a-z]+:3,[0-9a-z]+:2:2$/);
    expect(deadlinesOf({ n: 5, d: 2, dl: packDeadlines(list) })).toEqual(list);
    expect(deadlinesOf({ n: 0, d: 0, dl: '' })).toEqual([]);

    const now = clock.now();
    const read = () =>
      store.figures.statusCounts(undefined, now, ['2026-01'], new Date(now.getTime() + 7 * 86_400_000));
    const before = await read();
    // What an older version wrote: each state's deadlines as a list of objects, no `dl`.
    let unpacked = 0;
    let holding = 0;
    for (const model of [models.problemFiguresByUnit, models.problemFiguresByGroup]) {
      for (const doc of await model.find({}).lean<ProblemOpenDoc[]>()) {
        const set: Record<string, unknown> = {};
        const unset: Record<string, ''> = {};
        for (const [state, part] of Object.entries(doc.open)) {
          set[`open.${state}.deadlines`] = deadlinesOf(part);
          unset[`open.${state}.dl`] = '';
        }
        await model.collection.updateOne({ _id: doc._id as never }, { $set: set, $unset: unset });
        unpacked++;
        if (Object.values(doc.open).some((part) => part.n > 0)) holding++;
      }
    }
    expect(holding).toBeGreaterThan(0);
    expect(before.overdue + before.decisionsOpen).toBeGreaterThan(0);
    expect(await read()).toEqual(before);
    // Every section holding problems is rewritten (sections left over empty hold nothing and stay).
    const { corrected } = await store.figures.rebuild();
    expect(corrected).toBeGreaterThanOrEqual(holding);
    expect(corrected).toBeLessThanOrEqual(unpacked);
    const stored = [
      ...(await models.problemFiguresByUnit.find({}).lean<ProblemOpenDoc[]>()),
      ...(await models.problemFiguresByGroup.find({}).lean<ProblemOpenDoc[]>()),
    ];
    for (const doc of stored.filter((d) => Object.values(d.open).some((part) => part.n > 0)))
      for (const part of Object.values(doc.open)) {
        expect(typeof part.dl).toBe('string');
        expect(part.deadlines).toBeUndefined();
      }
    expect(await read()).toEqual(before);
    await expectSectionsMatchProblems();
    expect(await store.figures.rebuild()).toMatchObject({ corrected: 0 });
  }, 120_000);
});

describe('meeting figures', () => {
  it('list exactly the scheduled meetings of a window after concurrent scheduling and cancelling on two instances', async () => {
    const rnd = seededRandom(11);
    const meetings = [new MeetingStore(models), new MeetingStore(bindModels(second))];
    const ids: string[] = [];
    for (let round = 0; round < 4; round++) {
      const batch = Array.from({ length: 6 }, (_, i) => `m${round}-${i}`);
      ids.push(...batch);
      await Promise.all(
        batch.map((id, i) => {
          const startsAt = new Date(Date.UTC(2026, Math.floor(rnd() * 4), 1 + Math.floor(rnd() * 27), 2));
          return meetings[i % 2]!.create(
            {
              id,
              kind: 'basinMeeting',
              title: `会议${id}`,
              startsAt,
              place: '会议室',
              participants: [],
              organiserUnit: 'rco',
              minutesId: `doc-${id}`,
              state: 'scheduled',
              version: 1,
              createdBy: 'qian',
              createdAt: clock.now(),
            },
            2026,
          );
        }),
      );
      await Promise.all(ids.filter(() => rnd() < 0.2).map((id, i) => meetings[i % 2]!.cancel(id)));
    }
    const from = new Date('2026-02-10T00:00:00+08:00');
    const to = new Date('2026-04-05T00:00:00+08:00');
    const direct = await models.meetings
      .find({ state: 'scheduled', startsAt: { $gte: from, $lt: to } })
      .sort({ startsAt: 1, _id: 1 })
      .lean();
    expect((await meetings[1]!.startingBetween(from, to)).map((m) => m.id)).toEqual(direct.map((m) => m._id));
    expect(await meetings[0]!.figures.rebuild()).toMatchObject({ corrected: 0 });
  }, 120_000);
});

describe('document figures', () => {
  const draft = (id: string): OfficialDocument => draftMinutes(id, clock.now());
  const approve = (store: DocumentStore, doc: OfficialDocument, at: Date) =>
    store.applyChange(
      doc,
      { state: 'published', publishedAt: at, pendingPublication: true },
      { at, by: 'zhao', action: 'approve', from: doc.state, to: 'published', note: null },
    );
  const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'];
  /** Each month's publications in the figures equal the database's count over the month. */
  async function expectMonthsMatchDocuments(store: DocumentStore): Promise<void> {
    for (const key of months) {
      const month = periodContaining('month', new Date(`${key}-15T12:00:00+08:00`), 'Asia/Shanghai');
      expect(await store.figures.publishedIn(key), key).toBe(await store.publishedBetween(month.start, month.end));
    }
  }

  it('count exactly the publications of each month after concurrent approvals on two instances', async () => {
    const rnd = seededRandom(13);
    const documents = [new DocumentStore(models), new DocumentStore(bindModels(second))];
    let published = 0;
    for (let round = 0; round < 4; round++) {
      const ids = Array.from({ length: 6 }, (_, i) => `doc${round}-${i}`);
      await Promise.all(ids.map((id, i) => documents[i % 2]!.create(draft(id))));
      await Promise.all(
        ids
          .filter(() => rnd() < 0.8)
          .map(async (id, i) => {
            const doc = (await documents[i % 2]!.get(id))!;
            // Near a month's end in Beijing time, so the local month differs from the UTC one.
            const at = new Date(Date.UTC(2026, Math.floor(rnd() * 4), rnd() < 0.3 ? 31 : 10, 17));
            // Two approvals of one version race: one wins, and a retry does nothing.
            const results = await Promise.all([approve(documents[0]!, doc, at), approve(documents[1]!, doc, at)]);
            expect(results.filter(Boolean)).toHaveLength(1);
            expect(await approve(documents[i % 2]!, doc, at)).toBe(false);
            published++;
          }),
      );
      await expectMonthsMatchDocuments(documents[round % 2]!);
    }
    let total = 0;
    for (const m of months) total += await documents[0]!.figures.publishedIn(m);
    expect(total).toBe(published);
    expect(await documents[0]!.figures.rebuild()).toMatchObject({ corrected: 0 });

    // Figures that drifted (a month lost, a document without its month) are found and corrected.
    await models.documentFiguresByMonth.deleteOne({ _id: '2026-02' });
    await models.documents.updateOne(
      { state: 'published', publishedMonth: '2026-03' },
      { $set: { publishedMonth: null } },
    );
    const report = await documents[1]!.figures.rebuild();
    expect(report.corrected).toBeGreaterThanOrEqual(2);
    await expectMonthsMatchDocuments(documents[0]!);
    expect(await documents[0]!.figures.rebuild()).toMatchObject({ corrected: 0 });
  }, 120_000);
});
