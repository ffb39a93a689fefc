import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import type { Issue, IssueSourceKind } from '../../src/domain/issues/issue.js';
import type { HistoryEntry, IssueSnapshot, IssueState } from '../../src/domain/issues/lifecycle.js';
import { canonicalDue, dueMonth, dueSectionsFromDocs } from '../../src/store/figures/problem-due-facts.js';
import type { ProblemDueDoc } from '../../src/store/figures/problem-due-model.js';
import { overdueByUnit } from '../../src/store/figures/problem-overdue.js';
import { IssueStore, type NewIssue } from '../../src/store/issue-store.js';
import { problemDueFactsMigration } from '../../src/store/migrations/problem-due-facts.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import type { IssueDoc } from '../../src/store/models/issue.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seededRandom } from '../helpers/seeded-random.js';

/**
 * The assessment's due facts against their definition: random sequences of registrations and
 * state changes (assignments, new deadlines, closing, reopening, withdrawal) from two bot
 * instances, one of them with its refresher running, taps from the same version racing,
 * retried changes and a change whose document write never happened; after each round every
 * section equals a recomputation from the problems, and what the assessment reads for a span
 * equals the problems due in it (and /逾期's counts per unit equal the problems overdue). A
 * database from before the facts is built by the migration.
 */

const clock = new ManualClock('2026-01-05T10:00:00+08:00');
let db: TestDatabase;
let second: mongoose.Connection;
let models: Models;
let stores: [IssueStore, IssueStore];

const UNITS = ['t1', 't2', 't3'];
const KINDS: IssueSourceKind[] = ['patrol', 'decision', 'task', 'inspection', 'office'];
const STATES: IssueState[] = ['reported', 'assigned', 'rectifying', 'pendingVerification', 'closed', 'withdrawn'];
const DAY = 86_400_000;

beforeAll(async () => {
  db = await openTestDatabase();
  second = await mongoose.createConnection(db.uri).asPromise();
  models = bindModels(db.connection);
  await ensureIndexes(models);
  stores = [new IssueStore(models, clock), new IssueStore(bindModels(second), clock)];
});
afterAll(async () => {
  await stores?.[0]?.figures.stop();
  await second?.close();
  await db?.close();
});

async function scan(): Promise<IssueDoc[]> {
  return models.issues.find({}).lean<IssueDoc[]>().exec();
}

/** Every stored section equals the one computed from a scan of the problems, and none is left over. */
async function expectDueFactsMatchProblems(): Promise<void> {
  await Promise.all(stores.map((s) => s.figures.drain()));
  const expected = dueSectionsFromDocs(await scan());
  const stored = new Map((await models.problemDueFacts.find({}).lean<ProblemDueDoc[]>()).map((d) => [d._id, d]));
  for (const [id, { facts }] of expected) {
    expect(canonicalDue(stored.get(id)?.facts), `section ${id}`).toBe(canonicalDue(facts));
    stored.delete(id);
  }
  for (const [id, doc] of stored) expect(doc.facts, `section ${id}`).toEqual([]);
}

/** What the assessment reads for (from, to] equals the assigned problems due in it, taken from the problems. */
async function expectSpanMatchesProblems(from: Date, to: Date): Promise<void> {
  const direct = (await scan())
    .filter((d) => !!d.assigneeUnit && !!d.deadline && d.deadline > from && d.deadline <= to)
    .sort((a, b) => a.deadline!.getTime() - b.deadline!.getTime() || a.seq - b.seq);
  const read = await stores[1].dueBetween(from, to);
  expect(
    read.map((f) => [f.key, f.assigneeUnit, f.number, f.kind, f.deadline.getTime(), f.closedAt?.getTime() ?? null]),
  ).toEqual(
    direct.map((d) => [
      d._id,
      d.assigneeUnit,
      d.number,
      d.source.kind,
      d.deadline!.getTime(),
      d.state === 'closed' ? d.closedAt!.getTime() : null,
    ]),
  );
}

describe('the assessment’s due facts', () => {
  it('equal a recomputation from the problems after random concurrent changes from two instances', async () => {
    const rnd = seededRandom(13);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
    const base = (): NewIssue => ({
      waterBodyId: 'w1',
      townshipId: pick(UNITS),
      place: '',
      description: `问题${Math.floor(rnd() * 1000)}`,
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
      // Deadlines either side of month ends (and of the year's end), kept or moved.
      const deadline =
        issue.deadline && rnd() < 0.3 ? issue.deadline : new Date(clock.now().getTime() + (rnd() * 60 - 20) * DAY);
      const next: IssueSnapshot = {
        state,
        version: issue.version + 1,
        assigneeUnit: assigned || rnd() < 0.2 ? pick(UNITS) : undefined,
        supervisorUnits: [],
        deadline: assigned || rnd() < 0.2 ? deadline : undefined,
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

    // One instance refreshes in the background while the changes run, as the bot does.
    stores[0].figures.start();
    for (let round = 0; round < 4; round++) {
      clock.set(new Date(Date.UTC(2026, round * 4 - 1, 20 + round, 2)));
      await Promise.all(
        Array.from({ length: 5 }, (_, i) => stores[i % 2]!.create(base(), { prefix: '测试', year: 2026 })),
      );
      const all = await models.issues.find({}, { _id: 1 }).lean<Array<{ _id: string }>>();
      const picked = all.map((d) => d._id).filter(() => rnd() < 0.6);
      await Promise.all(
        picked.map(async (key, i) => {
          const issue = (await stores[i % 2]!.get(key))!;
          const { next, entry } = change(issue);
          const rival = change(issue);
          const [mine, theirs] = await Promise.all([
            stores[i % 2]!.applyChange(issue, next, entry),
            stores[(i + 1) % 2]!.applyChange(issue, rival.next, rival.entry),
          ]);
          expect([mine, theirs].filter(Boolean)).toHaveLength(1);
          expect(await stores[i % 2]!.applyChange(issue, next, entry)).toBe(false);
        }),
      );
      // The reader recomputes what is still marked: exact without waiting for the refresher.
      await expectSpanMatchesProblems(new Date('2025-12-31T16:00:00Z'), clock.now());
      await expectDueFactsMatchProblems();
    }
    await stores[0].figures.stop();

    // Two problems certainly open and overdue, so what follows (the repaired closing, /逾期's
    // counts, the rebuild and the upgrade) never depends on what the random rounds left open.
    for (const unit of ['t1', 't2']) {
      const issue = await stores[0].create(base(), { prefix: '测试', year: 2026 });
      const { entry } = change(issue);
      expect(
        await stores[1].applyChange(
          issue,
          {
            state: 'rectifying',
            version: issue.version + 1,
            assigneeUnit: unit,
            supervisorUnits: [],
            deadline: new Date(clock.now().getTime() - 10 * DAY),
          },
          { ...entry, to: 'rectifying' },
        ),
      ).toBe(true);
    }
    await expectDueFactsMatchProblems();

    // A closing claimed whose document write never happened is repaired on the next read, facts included.
    const victim = (await scan()).find((d) => d.state === 'assigned' || d.state === 'rectifying')!;
    await models.issueHistory.create({
      _id: `${victim._id}@${victim.version}`,
      issueKey: victim._id,
      version: victim.version + 1,
      at: clock.now(),
      by: 'qian',
      action: 'verifyPass',
      from: victim.state,
      to: 'closed',
      note: null,
      photos: [],
      after: { state: 'closed', version: victim.version + 1, closedAt: clock.now(), closedMonth: '2026-12' },
    });
    await stores[1].get(victim._id);
    await expectDueFactsMatchProblems();
    expect(
      (await stores[0].dueBetween(new Date(0), new Date('2100-01-01'))).find((f) => f.key === victim._id)?.closedAt,
    ).toEqual(clock.now());

    // The assessment's year (Asia/Shanghai): a deadline at the year's last instant counts, one just after does not.
    await expectSpanMatchesProblems(new Date('2025-12-31T16:00:00Z'), new Date('2026-12-31T16:00:00Z'));
    await expectSpanMatchesProblems(new Date('2026-03-31T16:00:00Z'), new Date('2026-06-30T16:00:00Z'));

    // /逾期's counts per unit, from the open sections, equal the problems overdue now.
    const now = new Date(clock.now().getTime() + 3 * DAY);
    for (const scope of [undefined, { waterBodyIds: [], unitIds: ['t2'] }]) {
      const direct = new Map<string, { problems: number; decisions: number }>();
      for (const d of await scan()) {
        if (!['assigned', 'rectifying'].includes(d.state) || !d.deadline || d.deadline >= now) continue;
        if (scope && !scope.unitIds.includes(d.assigneeUnit ?? '')) continue;
        const entry = direct.get(d.assigneeUnit ?? '') ?? { problems: 0, decisions: 0 };
        if (d.source.kind === 'decision' || d.source.kind === 'task') entry.decisions++;
        else entry.problems++;
        direct.set(d.assigneeUnit ?? '', entry);
      }
      if (!scope) expect(direct.size).toBeGreaterThan(0);
      expect(overdueByUnit(await stores[0].figures.openInView(scope), now)).toEqual(direct);
    }
  }, 240_000);

  it('are put right by the rebuild, which reports what it corrected', async () => {
    const due = stores[0].figures.due;
    expect(await due.rebuild()).toMatchObject({ corrected: 0 });
    const [damaged, lost] = (await models.problemDueFacts.find({}).lean<ProblemDueDoc[]>()).filter(
      (d) => d.facts.length > 0,
    );
    await models.problemDueFacts.updateOne({ _id: damaged!._id }, { $set: { facts: [] } });
    await models.problemDueFacts.deleteOne({ _id: lost!._id });
    await models.problemDueFacts.create({ ...damaged!, _id: 'stray', assigneeUnit: 'nowhere' });
    // A problem whose month key went missing would escape the equality recomputation.
    const dated = (await scan()).find((d) => !!d.assigneeUnit && !!d.deadline)!;
    await models.issues.updateOne({ _id: dated._id }, { $set: { dueMonth: null } });
    expect(await due.rebuild()).toMatchObject({ corrected: 4 });
    expect((await models.issues.findOne({ _id: dated._id }).lean<IssueDoc>())!.dueMonth).toBe(
      dueMonth(dated.deadline!),
    );
    await expectDueFactsMatchProblems();
    expect(await due.rebuild()).toMatchObject({ corrected: 0 });
  }, 120_000);

  it('are built on upgrade from a database written before they were kept', async () => {
    // A database from before: no sections, no marks, and no month keys on the problems.
    await models.problemDueFacts.deleteMany({});
    await models.problemDueMarks.deleteMany({});
    await models.issues.updateMany({}, { $unset: { dueMonth: 1 } });
    const expected = dueSectionsFromDocs(await scan());
    expect(expected.size).toBeGreaterThan(0);
    const result = await problemDueFactsMigration(stores[1].figures.due).run();
    expect(result.complete).toBe(true);
    expect(result.changed).toBeGreaterThanOrEqual(expected.size);
    await expectDueFactsMatchProblems();
    await expectSpanMatchesProblems(new Date('2025-12-31T16:00:00Z'), new Date('2026-12-31T16:00:00Z'));
    // Later changes keep them by equality on the month keys the migration filled in.
    const open = (await scan()).find((d) => d.state === 'assigned' || d.state === 'rectifying')!;
    const issue = (await stores[0].get(open._id))!;
    expect(
      await stores[0].applyChange(
        issue,
        { ...issue, state: 'closed', version: issue.version + 1 },
        { at: clock.now(), by: 'qian', action: 'verifyPass', from: issue.state, to: 'closed', note: null },
      ),
    ).toBe(true);
    await expectDueFactsMatchProblems();
  }, 120_000);
});
