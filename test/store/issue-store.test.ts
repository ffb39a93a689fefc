import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import type { Issue } from '../../src/domain/issues/issue.js';
import { type IssueActor, transition } from '../../src/domain/issues/lifecycle.js';
import { IssueStore, type NewIssue } from '../../src/store/issue-store.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * The problem store on a real database: numbers never shared, a claimed change repaired after
 * a crash, and the lists and rates the rest of the bot needs, checked against counts worked
 * out here from the seeded data.
 */

const clock = new ManualClock('2026-03-10T10:00:00+08:00');
let db: TestDatabase;
let models: Models;
let store: IssueStore;
const numbering = { prefix: '金口河', year: 2026 };
const office: IssueActor = { personId: 'qian', isOffice: true, isAssignee: false, isSupervisor: false };
const assignee: IssueActor = { personId: 'wu', isOffice: false, isAssignee: true, isSupervisor: false };

const base = (description: string, over: Partial<NewIssue> = {}): NewIssue => ({
  waterBodyId: 'dadu-jinkouhe',
  townshipId: 'yonghe',
  place: '',
  description,
  category: '河岸',
  urgency: 'normal',
  photos: [],
  source: { kind: 'office' },
  foundBy: 'qian',
  foundAt: clock.now(),
  reportedBy: 'qian',
  chiefId: 'li',
  ...over,
});

async function step(issue: Issue, action: Parameters<typeof transition>[1], actor: IssueActor): Promise<Issue> {
  const result = transition(issue, action, actor, clock.now());
  if (!result.ok) throw new Error(result.reason);
  expect(await store.applyChange(issue, result.next, result.entry)).toBe(true);
  return (await store.get(issue.id))!;
}

beforeAll(async () => {
  db = await openTestDatabase();
  models = bindModels(db.connection);
  await ensureIndexes(models);
  store = new IssueStore(models, clock);
});
afterAll(async () => {
  await db.close();
});

describe('problem store', () => {
  it('gives twenty simultaneous registrations twenty different numbers, in order', async () => {
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(base(`问题${i}`), numbering)));
    expect(created.map((i) => i.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await store.findByRef({ seq: 7 }))?.seq).toBe(7);
    expect(await store.findByRef({ year: 2025, seq: 7 })).toBeUndefined();
    expect((await models.issues.findOne({ seq: 7 }).lean())?.number).toBe('金口河〔2026〕第0007号');
  });

  it('repairs a change that was claimed but whose document write never happened', async () => {
    const issue = (await store.findByRef({ seq: 1 }))!;
    const result = transition(
      issue,
      {
        type: 'assign',
        unit: 'yonghe',
        deadline: new Date('2026-03-20T16:00:00Z'),
        requirement: '清理',
        supervisors: [],
      },
      office,
      clock.now(),
    );
    if (!result.ok) throw new Error(result.reason);
    // As if the process died right after the claim: the history entry exists, the document is old.
    await models.issueHistory.create({
      _id: `${issue.id}@${issue.version}`,
      issueKey: issue.id,
      version: result.next.version,
      ...result.entry,
      photos: [],
      after: {
        state: 'assigned',
        version: 2,
        assigneeUnit: 'yonghe',
        deadline: result.next.deadline,
        assignedAt: clock.now(),
        deadlineSetAt: clock.now(),
      },
    });
    expect((await models.issues.findOne({ key: issue.id }).lean())?.state).toBe('reported');
    const read = await store.get(issue.id);
    expect(read).toMatchObject({ state: 'assigned', version: 2, assigneeUnit: 'yonghe' });
    expect((await models.issues.findOne({ key: issue.id }).lean())?.state).toBe('assigned');
    // And a second change from the old version is refused, not applied twice.
    expect(await store.applyChange(issue, result.next, result.entry)).toBe(false);
  });

  it('lists open and overdue problems by unit, township and water body, and counts rates per unit', async () => {
    // Seed: problems 2–13 assigned in March, alternately to 永和镇 and 金河镇, due 20 March;
    // 2–5 closed before the deadline, 6–7 closed after it, the rest left open.
    const deadline = new Date('2026-03-20T16:00:00Z'); // end of 20 March, local
    for (let seq = 2; seq <= 13; seq++) {
      clock.set('2026-03-10T10:00:00+08:00');
      let issue = (await store.findByRef({ seq }))!;
      const unit = seq % 2 === 0 ? 'yonghe' : 'jinhe';
      issue = await step(
        issue,
        { type: 'assign', unit, deadline, requirement: '整改', supervisors: ['water-bureau'] },
        office,
      );
      issue = await step(issue, { type: 'accept' }, assignee);
      if (seq <= 7) {
        clock.set(seq <= 5 ? '2026-03-15T10:00:00+08:00' : '2026-03-25T10:00:00+08:00');
        issue = await step(issue, { type: 'requestClose', evidence: '已整改' }, assignee);
        await step(issue, { type: 'verifyPass' }, office);
      }
    }
    // Worked out by hand from the seed above:
    // yonghe: 2,4,6,8,10,12 (+1 assigned via the repair test, due 20 Mar, open) → assigned 6 in the period, closed 3 (2,4,6)
    // jinhe: 3,5,7,9,11,13 → assigned 6, closed 3 (3,5,7); on time: yonghe 2 (2,4), jinhe 2 (3,5)
    const now = new Date('2026-03-26T10:00:00+08:00');
    const counts = await store.unitCounts(new Date('2026-03-01T00:00:00+08:00'), new Date('2026-04-01T00:00:00+08:00'));
    expect(counts.get('yonghe')).toEqual({ assigned: 7, closed: 3, due: 7, closedOnTime: 2 });
    expect(counts.get('jinhe')).toEqual({ assigned: 6, closed: 3, due: 6, closedOnTime: 2 });

    const overdue = await store.list({ assigneeUnit: 'yonghe', overdueAt: now });
    expect(overdue.map((i) => i.seq).sort((a, b) => a - b)).toEqual([1, 8, 10, 12]);
    expect((await store.list({ townshipId: 'yonghe', states: ['closed'] })).length).toBe(6);
    const byUnit = await store.openCountsBy('assigneeUnit', now);
    expect(byUnit.get('yonghe')).toEqual({ open: 4, overdue: 4 });
    expect(byUnit.get('jinhe')).toEqual({ open: 3, overdue: 3 });
    // 14–20 were never assigned: open, not overdue, no unit.
    expect(byUnit.get('')).toEqual({ open: 7, overdue: 0 });
    const byWater = await store.openCountsBy('waterBodyId', now);
    expect(byWater.get('dadu-jinkouhe')).toEqual({ open: 14, overdue: 7 });
  });

  it('declares the indexes the lists and the supervision sweep use', async () => {
    const indexes = await models.issues.listIndexes();
    const keys = indexes.map((i: { key: unknown }) => JSON.stringify(i.key));
    expect(keys).toEqual(
      expect.arrayContaining([
        '{"assigneeUnit":1,"state":1,"deadline":1}',
        '{"state":1,"deadline":1}',
        '{"nextSupervisionAt":1}',
      ]),
    );
  });

  it('keeps month keys for overviews, and fills them in on problems registered before', async () => {
    const fresh = await store.create(base('新问题'), numbering);
    const doc = (await models.issues.findOne({ _id: fresh.id }).lean())!;
    const localMonth = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
    }).format(doc.createdAt);
    expect(doc).toMatchObject({ createdMonth: localMonth, closedMonth: null });
    await models.issues.updateMany({}, { $set: { createdMonth: null } });
    const count = await models.issues.countDocuments();
    expect(await store.backfillMonths()).toBe(count);
    expect(await models.issues.countDocuments({ createdMonth: null })).toBe(0);
    expect(await store.backfillMonths()).toBe(0);
  });
});
