import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import type { ChiefRole } from '../../src/domain/patrols/obligation.js';
import { isLateEntry, patrolPeriods } from '../../src/domain/patrols/patrol.js';
import { periodsOfYear } from '../../src/domain/time/period.js';
import { formatLocalDate, parseLocalDate } from '../../src/domain/time/zoned.js';
import { encodePage, PACKED, PackedCounts } from '../../src/store/figures/packed-counts.js';
import {
  countFulfilledByLevels,
  figureKey,
  patrolRollupsMigration,
  readPackedCounts,
  readPatrolSheets,
  rebuildPatrolFigures,
  refOfDuty,
  refreshPatrolFigures,
} from '../../src/store/figures/patrol-figures.js';
import { type PatrolPageDoc, pageFrom, pageKey } from '../../src/store/figures/patrol-pages.js';
import { bucketOf, type PatrolRollupDoc, rollupFrom, rollupKey } from '../../src/store/figures/patrol-rollup.js';
import { groupFrom, groupKey, type PatrolRollupGroupDoc } from '../../src/store/figures/patrol-rollup-groups.js';
import {
  patrolFigurePagesMigration,
  patrolPageCellsMigration,
} from '../../src/store/migrations/patrol-figure-pages.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import type { PatrolDoc } from '../../src/store/models/patrol.js';
import { PatrolStore } from '../../src/store/patrol-store.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seededRandom } from '../helpers/seeded-random.js';

/**
 * Property (issue 18): whatever sequence of patrols recorded, withdrawn (已撤销), corrected and
 * entered late (补记), concurrent ones and ones from two instances included, every patrol
 * figure equals a recomputation from the patrols themselves.
 */

const TZ = 'Asia/Shanghai';
const clock = new ManualClock('2026-12-10T10:00:00+08:00');
let db: TestDatabase;
let second: mongoose.Connection;
let a: { models: Models; store: PatrolStore };
let b: { models: Models; store: PatrolStore };

interface Duty {
  role: ChiefRole;
  chiefId: string;
  waterBodyId?: string;
}
const DUTIES: Duty[] = [
  { role: 'generalChief', chiefId: 'zhang' },
  { role: 'riverChief', chiefId: 'li', waterBodyId: 'dadu' },
  { role: 'riverChief', chiefId: 'wang', waterBodyId: 'yeniu' },
  { role: 'townshipChief', chiefId: 'wu', waterBodyId: 'dadu' },
  // One chief on two water bodies: two sheets.
  { role: 'townshipChief', chiefId: 'wu', waterBodyId: 'hongxi' },
  { role: 'villageChief', chiefId: 'chen', waterBodyId: 'dadu' },
];

beforeAll(async () => {
  db = await openTestDatabase();
  second = await mongoose.createConnection(db.uri).asPromise();
  const modelsA = bindModels(db.connection);
  await ensureIndexes(modelsA);
  const modelsB = bindModels(second);
  a = { models: modelsA, store: new PatrolStore(modelsA, clock) };
  b = { models: modelsB, store: new PatrolStore(modelsB, clock) };
});
afterAll(async () => {
  await second?.close();
  await db?.close();
});

/** The figures as the patrols say, computed here independently: per sheet, per month, quarter and year. */
async function expectedFigures(models: Models) {
  const patrols = await models.patrols.find({ status: 'recorded' }).lean<PatrolDoc[]>();
  const out = new Map<string, { months: number[]; quarters: number[]; total: number; late: number; last: number }>();
  for (const p of patrols) {
    const key = `${p.role}|${p.chiefId}|${p.role === 'generalChief' ? '' : (p.waterBodyId ?? '')}|${p.periods?.year}`;
    const sheet = out.get(key) ?? {
      months: Array.from({ length: 12 }, () => 0),
      quarters: Array.from({ length: 4 }, () => 0),
      total: 0,
      late: 0,
      last: 0,
    };
    const month = Number(p.periods?.month.slice(5));
    sheet.months[month - 1]! += 1;
    sheet.quarters[Math.ceil(month / 3) - 1]! += 1;
    sheet.total += 1;
    sheet.late += p.late ? 1 : 0;
    sheet.last = Math.max(sheet.last, p.patrolledAt.getTime());
    out.set(key, sheet);
  }
  return out;
}

async function expectFiguresTrue(year: string) {
  const expected = await expectedFigures(a.models);
  const sheets = await readPatrolSheets(a.models, year);
  for (const [key, want] of expected) {
    if (!key.endsWith(`|${year}`)) continue;
    const got = sheets.get(key);
    expect({
      key,
      ...(got && {
        months: got.months,
        quarters: got.quarters,
        total: got.total,
        late: got.totalLate,
        last: got.last?.getTime(),
      }),
    }).toEqual({ key, ...want });
  }
  // A sheet whose patrols were all withdrawn is kept, and says nothing was done.
  for (const [key, got] of sheets) if (!expected.has(key)) expect({ key, total: got.total }).toEqual({ key, total: 0 });
  await expectRollupsTrue(year, expected, sheets);
  await expectPagesTrue(year, sheets);
  // The nightly rebuild, recomputing every sheet from its patrols, finds nothing to correct.
  expect(await rebuildPatrolFigures(a.models)).toBe(0);
}

const ROLES: ChiefRole[] = ['generalChief', 'riverChief', 'townshipChief', 'villageChief'];
const WATERS = ['dadu', 'yeniu', 'hongxi'];

/**
 * Every rollup equals a recomputation from the stored sheets, and what /状态 reads from the
 * rollups (duties with at least 1, 2 or 3 patrols per month, quarter and year; the whole
 * district and each water body) equals a count made here from the patrols themselves.
 */
async function expectRollupsTrue(
  year: string,
  expected: Awaited<ReturnType<typeof expectedFigures>>,
  sheets: Awaited<ReturnType<typeof readPatrolSheets>>,
) {
  const stored = await a.models.patrols.db
    .collection<PatrolRollupDoc>('patrol_rollups')
    .find({ year }, { projection: { _id: 0 } })
    .toArray();
  const byBucket = new Map<string, Array<typeof sheets extends Map<string, infer S> ? S : never>>();
  for (const sheet of sheets.values()) {
    const key = rollupKey(bucketOf(sheet));
    byBucket.set(key, [...(byBucket.get(key) ?? []), sheet]);
  }
  expect(stored.map((d) => d.key).sort()).toEqual([...byBucket.keys()].sort());
  for (const doc of stored) {
    const want = rollupFrom({ year, waterBodyId: doc.waterBodyId, role: doc.role }, byBucket.get(doc.key) ?? []);
    expect(doc).toEqual(want);
  }
  // Every group equals the sum of its stored rollups, and there is one for each group in use.
  const groups = await a.models.patrols.db
    .collection<PatrolRollupGroupDoc>('patrol_rollup_groups')
    .find({ year }, { projection: { _id: 0 } })
    .toArray();
  const byGroup = new Map<string, PatrolRollupDoc[]>();
  for (const rollup of stored) {
    const key = groupKey(year, rollup.group);
    byGroup.set(key, [...(byGroup.get(key) ?? []), rollup]);
  }
  expect(groups.map((g) => g.key).sort()).toEqual([...byGroup.keys()].sort());
  for (const doc of groups) expect(doc).toEqual(groupFrom(year, doc.group, byGroup.get(doc.key) ?? []));
  const periods = [
    ...periodsOfYear('month', Number(year), TZ),
    ...periodsOfYear('quarter', Number(year), TZ),
    ...periodsOfYear('year', Number(year), TZ),
  ];
  for (const times of [1, 2, 3]) {
    for (const scope of [undefined, ...WATERS.map((w) => [w])]) {
      const got = await countFulfilledByLevels(
        a.models,
        ROLES.map((role) => ({ role, periods, times })),
        year,
        scope,
      );
      for (const role of ROLES) {
        const want = new Map(periods.map((p) => [p.key, 0]));
        for (const [key, sheet] of expected) {
          const [r, , water, y] = key.split('|');
          if (r !== role || y !== year) continue;
          if (scope && role !== 'generalChief' && !scope.includes(water ?? '')) continue;
          for (const p of periods) {
            const n =
              p.kind === 'month'
                ? sheet.months[p.index - 1]
                : p.kind === 'quarter'
                  ? sheet.quarters[p.index - 1]
                  : sheet.total;
            if ((n ?? 0) >= times) want.set(p.key, (want.get(p.key) ?? 0) + 1);
          }
        }
        expect({ role, times, scope, counts: got.get(role) }).toEqual({ role, times, scope, counts: want });
      }
    }
  }
}

/**
 * Every page of the sweep equals a recomputation from the stored sheets, and the counts the
 * sweep reads from the pages are every sheet's counts.
 */
async function expectPagesTrue(year: string, sheets: Awaited<ReturnType<typeof readPatrolSheets>>) {
  const stored = await a.models.patrols.db
    .collection<PatrolPageDoc>('patrol_pages')
    .find({ year }, { projection: { _id: 0 } })
    .toArray();
  const byPage = new Map<string, Array<{ key: string; year: string; packed: string }>>();
  for (const [key, sheet] of sheets) {
    const page = pageKey(year, sheet.page);
    byPage.set(page, [...(byPage.get(page) ?? []), { key, year, packed: sheet.packed }]);
  }
  expect(stored.map((d) => d.key).sort()).toEqual([...byPage.keys()].sort());
  for (const doc of stored) expect(doc).toEqual(pageFrom(year, doc.page, byPage.get(doc.key) ?? []));
  const counts = await readPackedCounts(a.models, [year]);
  expect(counts.size).toBe(sheets.size);
  for (const [key, sheet] of sheets) {
    const slot = counts.slotOf(key);
    expect({ key, slot: slot !== undefined }).toEqual({ key, slot: true });
    const got = [
      ...Array.from({ length: 12 }, (_, m) => counts.cell(slot!, { kind: 'month', index: m + 1 })),
      ...Array.from({ length: 4 }, (_, q) => counts.cell(slot!, { kind: 'quarter', index: q + 1 })),
      counts.cell(slot!, { kind: 'year', index: 1 }),
    ];
    expect({ key, got }).toEqual({ key, got: sheet.packed.split(',').map(Number).slice(0, PACKED) });
    expect(key).toBe(figureKey(sheet));
  }
}

function dateIn(rnd: () => number): Date {
  // Mostly 2026 (the year being counted), now and then the end of 2025.
  const year = rnd() < 0.1 ? 2025 : 2026;
  const month = year === 2025 ? 12 : 1 + Math.floor(rnd() * 12);
  const day = 1 + Math.floor(rnd() * 28);
  return new Date(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T12:00:00+08:00`);
}

async function record(instance: typeof a, duty: Duty, at: Date) {
  // 补记 exactly as the form decides it: dated in an earlier month than the one it is entered in.
  const late = isLateEntry(at, clock.now(), 'month', TZ);
  return instance.store.record(
    {
      chiefId: duty.chiefId,
      role: duty.role,
      waterBodyId: duty.waterBodyId,
      recordedBy: duty.chiefId,
      patrolledAt: at,
      observations: '正常',
      problems: [],
      photoKeys: [],
      ...(late ? { late, lateReason: '当时未能录入' } : {}),
    },
    patrolPeriods(at, TZ),
  );
}

async function someRecorded(rnd: () => number): Promise<PatrolDoc | undefined> {
  const recorded = await a.models.patrols.find({ status: 'recorded' }).lean<PatrolDoc[]>();
  return recorded[Math.floor(rnd() * recorded.length)];
}

async function step(rnd: () => number) {
  const instance = rnd() < 0.5 ? a : b;
  const other = instance === a ? b : a;
  const duty = DUTIES[Math.floor(rnd() * DUTIES.length)]!;
  const roll = rnd();
  if (roll < 0.35) {
    await record(instance, duty, dateIn(rnd));
  } else if (roll < 0.5) {
    // A burst: both instances record for one duty at the same moments, each recomputing its sheet.
    const dates = Array.from({ length: 6 }, () => dateIn(rnd));
    await Promise.all(dates.map((at, k) => record(k % 2 === 0 ? a : b, duty, at)));
  } else if (roll < 0.65) {
    const p = await someRecorded(rnd);
    if (p) await instance.store.change(p.key, p.version, p.recordedBy, { action: 'withdrawn' });
  } else if (roll < 0.75) {
    // The same withdrawal tapped on both instances at once: one wins, the figures count it once.
    const p = await someRecorded(rnd);
    if (p)
      await Promise.all([
        a.store.change(p.key, p.version, p.recordedBy, { action: 'withdrawn' }),
        b.store.change(p.key, p.version, p.recordedBy, { action: 'withdrawn' }),
      ]);
  } else if (roll < 0.9) {
    // A correction moving the patrol to another month (or year), possibly making it a 补记.
    const p = await someRecorded(rnd);
    if (p) {
      const at = dateIn(rnd);
      const late = isLateEntry(at, p.createdAt, 'month', TZ);
      await instance.store.change(p.key, p.version, p.recordedBy, {
        action: 'corrected',
        set: {
          patrolledAt: at,
          observations: '更正',
          problems: [],
          periods: patrolPeriods(at, TZ),
          late,
          lateReason: late ? '更正日期' : null,
        },
      });
    }
  } else {
    // A record on one instance while the other withdraws a patrol of the same duty.
    const p = await a.models.patrols
      .findOne({ chiefId: duty.chiefId, role: duty.role, status: 'recorded' })
      .lean<PatrolDoc>();
    await Promise.all([
      record(instance, duty, dateIn(rnd)),
      p ? other.store.change(p.key, p.version, p.recordedBy, { action: 'withdrawn' }) : Promise.resolve(false),
    ]);
  }
}

describe('patrol figures', () => {
  it.each([11, 2026, 90_210])(
    'equal a recomputation from the patrols after a random sequence of changes on two instances (seed %i)',
    async (seed) => {
      const rnd = seededRandom(seed);
      for (let i = 0; i < 30; i++) {
        // Entered on a day in December or, for a few, back in November (corrections keep their entry day).
        clock.set(rnd() < 0.2 ? '2026-11-20T10:00:00+08:00' : '2026-12-10T10:00:00+08:00');
        await step(rnd);
      }
      await expectFiguresTrue('2026');
      await expectFiguresTrue('2025');
    },
    120_000,
  );

  it('stay true when a writer that read the patrols before another instance’s change writes after it', async () => {
    const duty = DUTIES[2]!;
    // The random sequences above may have left December patrols of this duty: count from there.
    const december = async () =>
      (await readPatrolSheets(a.models, 2026, { role: duty.role })).get('riverChief|wang|yeniu|2026')?.months[11] ?? 0;
    const before = await december();
    await record(a, duty, new Date('2026-12-01T12:00:00+08:00'));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atWrite = new Promise<void>((resolve) => (reached = resolve));
    let first = true;
    // Instance A has read one patrol and is about to write its sheet...
    const slow = refreshPatrolFigures(
      a.models,
      [refOfDuty({ role: duty.role, personId: duty.chiefId, waterBodyId: duty.waterBodyId }, 2026)],
      {
        beforeWrite: async () => {
          if (!first) return;
          first = false;
          reached();
          await held;
        },
      },
    );
    await atWrite;
    // ...when instance B records a second patrol and writes the sheet with two.
    await record(b, duty, new Date('2026-12-02T12:00:00+08:00'));
    release();
    await slow;
    expect(await december()).toBe(before + 2);
    await expectFiguresTrue('2026');
  });

  it('keep the water body’s rollup true when its writer read the sheets before another chief’s patrol there', async () => {
    const [river, village] = [DUTIES[1]!, DUTIES[5]!]; // both on 大渡河: one rollup
    const ref = refOfDuty({ role: river.role, personId: river.chiefId, waterBodyId: river.waterBodyId }, 2026);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atWrite = new Promise<void>((resolve) => (reached = resolve));
    let first = true;
    // Instance A has read 大渡河's sheets for its rollup and is about to write it...
    const slow = refreshPatrolFigures(a.models, [ref], {
      beforeRollupWrite: async () => {
        if (!first) return;
        first = false;
        reached();
        await held;
      },
    });
    await atWrite;
    // ...when instance B records the village chief's patrol there, and writes sheet and rollup.
    await record(b, village, new Date('2026-12-04T12:00:00+08:00'));
    release();
    await slow;
    await expectFiguresTrue('2026');
  });

  it.each([
    ['the sweep’s page', 'beforePageWrite'],
    ['the office’s rollup group', 'beforeGroupWrite'],
  ] as const)('keep %s true when its writer read before another instance’s patrol of that chief', async (_, hook) => {
    const duty = DUTIES[3]!;
    const ref = refOfDuty({ role: duty.role, personId: duty.chiefId, waterBodyId: duty.waterBodyId }, 2026);
    await record(a, duty, new Date('2026-12-07T12:00:00+08:00'));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atWrite = new Promise<void>((resolve) => (reached = resolve));
    let first = true;
    // Instance A has read the page's sheets (or the group's rollups) and is about to write...
    const slow = refreshPatrolFigures(a.models, [ref], {
      [hook]: async () => {
        if (!first) return;
        first = false;
        reached();
        await held;
      },
    });
    await atWrite;
    // ...when instance B records another patrol of the same duty, and writes everything.
    await record(b, duty, new Date('2026-12-08T12:00:00+08:00'));
    release();
    await slow;
    await expectFiguresTrue('2026');
  });

  it('give the sweep every 已安排 plan from the plan pages, plans set at once on two instances included', async () => {
    const rnd = seededRandom(7);
    const planned = new Map<string, string>();
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 8 }, (_, k) => {
          const key = `villageChief:c${Math.floor(rnd() * 12)}:w${k % 3}:2026-12`;
          const day = `2026-12-${String(10 + Math.floor(rnd() * 18)).padStart(2, '0')}`;
          planned.set(key, day);
          return (k % 2 === 0 ? a : b).store.setPlan(key, parseLocalDate(day)!, 'c');
        }),
      );
    }
    // A plan tapped on both instances at once (a key drawn twice in a round): whichever landed
    // last is the plan, and its page says the same.
    const stored = async () =>
      new Map(
        (await a.models.patrolPlans.find({ periodKey: '2026-12' }).lean()).map((p) => [p.key, p.plannedDay] as const),
      );
    const want = await stored();
    expect([...want.keys()].sort()).toEqual([...planned.keys()].sort());
    const read = async () =>
      new Map([...(await a.store.plansOfPeriods(['2026-12']))].map(([k, d]) => [k, formatLocalDate(d)] as const));
    expect(await read()).toEqual(want);
    // A lost page write and a plan from before pages existed: the rebuild puts both right.
    const raw = a.models.patrols.db;
    await raw.collection('patrol_plan_pages').deleteOne({ periodKey: '2026-12' });
    await raw.collection('patrol_plans').insertOne({
      key: 'villageChief:old:w1:2026-12',
      periodKey: '2026-12',
      plannedDay: '2026-12-20',
      by: 'old',
      at: new Date(),
    });
    expect(await rebuildPatrolFigures(a.models)).toBe(3);
    expect(await read()).toEqual(new Map([...want, ['villageChief:old:w1:2026-12', '2026-12-20']]));
    expect(await rebuildPatrolFigures(a.models)).toBe(0);
  });

  it('rebuild reports and repairs a page or a group that drifted or went missing', async () => {
    await record(a, DUTIES[5]!, new Date('2026-12-09T12:00:00+08:00'));
    await record(a, DUTIES[1]!, new Date('2026-12-09T13:00:00+08:00'));
    const raw = a.models.patrols.db;
    const pages = await raw.collection<PatrolPageDoc>('patrol_pages').find({ year: '2026' }).toArray();
    await raw.collection('patrol_pages').updateOne({ key: pages[0]!.key }, { $set: { cells: '' } });
    await raw.collection('patrol_pages').deleteOne({ key: pages[1]!.key });
    const group = await raw.collection<PatrolRollupGroupDoc>('patrol_rollup_groups').findOne({ year: '2026' });
    await raw.collection('patrol_rollup_groups').updateOne({ key: group!.key }, { $set: { riverChief: '9:9' } });
    expect(await rebuildPatrolFigures(a.models)).toBe(3);
    await expectFiguresTrue('2026');
  });

  it('put existing sheets on pages and rollups in groups on upgrade', async () => {
    await record(a, DUTIES[2]!, new Date('2026-12-10T09:00:00+08:00'));
    // The state of a database written before pages and groups: none of them, no page or group fields.
    const raw = a.models.patrols.db;
    await raw.collection('patrol_pages').deleteMany({});
    await raw.collection('patrol_rollup_groups').deleteMany({});
    await raw.collection('patrol_figures').updateMany({}, { $unset: { page: '' } });
    await raw.collection('patrol_rollups').updateMany({}, { $unset: { group: '' } });
    const result = await patrolFigurePagesMigration(a.models).run();
    expect(result.changed).toBeGreaterThan(0);
    await expectFiguresTrue('2026');
    await expectFiguresTrue('2025');
  });

  it('rebuild reports and repairs a rollup that drifted or went missing', async () => {
    await record(a, DUTIES[3]!, new Date('2026-12-05T12:00:00+08:00'));
    const rollups = a.models.patrols.db.collection('patrol_rollups');
    await rollups.updateOne({ key: '2026|dadu' }, { $set: { townshipChief: '' } });
    await rollups.deleteOne({ key: '2026|@generalChief' });
    const missing = (await readPatrolSheets(a.models, 2026, { role: 'generalChief' })).size > 0 ? 1 : 0;
    expect(await rebuildPatrolFigures(a.models)).toBe(1 + missing);
    await expectFiguresTrue('2026');
  });

  it('are built on upgrade for sheets written before the rollups existed', async () => {
    await record(a, DUTIES[4]!, new Date('2026-12-06T12:00:00+08:00'));
    await a.models.patrols.db.collection('patrol_rollups').deleteMany({});
    const result = await patrolRollupsMigration(a.models).run();
    expect(result.changed).toBeGreaterThan(0);
    await expectFiguresTrue('2026');
    await expectFiguresTrue('2025');
  });

  it('rebuild reports and repairs a sheet that drifted or went missing', async () => {
    await record(a, DUTIES[1]!, new Date('2026-12-03T12:00:00+08:00'));
    const figures = a.models.patrols.db.collection('patrol_figures');
    await figures.updateOne({ key: 'riverChief|li|dadu|2026' }, { $inc: { total: 5 } });
    await figures.deleteOne({ key: 'villageChief|chen|dadu|2026' });
    const missing = (await expectedFigures(a.models)).has('villageChief|chen|dadu|2026') ? 1 : 0;
    expect(await rebuildPatrolFigures(a.models)).toBe(1 + missing);
    await expectFiguresTrue('2026');
  });

  it('read pages written before the compact form, and convert them on upgrade', async () => {
    await record(a, DUTIES[2]!, new Date('2026-12-10T09:00:00+08:00'));
    await record(a, DUTIES[5]!, new Date('2026-12-10T10:00:00+08:00'));
    const sheets = await readPatrolSheets(a.models, 2026);
    // The pages as they were written before: `duty\tpacked` lines, no cells.
    const raw = a.models.patrols.db.collection('patrol_pages');
    const byPage = new Map<number, string[]>();
    for (const [key, sheet] of sheets)
      byPage.set(sheet.page, [...(byPage.get(sheet.page) ?? []), `${key.slice(0, -'|2026'.length)}\t${sheet.packed}`]);
    await raw.deleteMany({ year: '2026' });
    await raw.insertMany(
      [...byPage].map(([page, lines]) => ({
        key: pageKey('2026', page),
        year: '2026',
        page,
        entries: lines.sort().join('\n'),
      })),
    );
    const counts = await readPackedCounts(a.models, [2026]);
    expect(counts.size).toBe(sheets.size);
    for (const [key, sheet] of sheets)
      expect([key, counts.cell(counts.slotOf(key)!, { kind: 'year', index: 1 })]).toEqual([key, sheet.total]);
    // And a plan kept before plans had periods (nor pages): the sweep reads plans from pages only.
    await a.models.patrols.db
      .collection('patrol_plans')
      .insertOne({ key: 'villageChief:older:w2:2026-12', plannedDay: '2026-12-24', by: 'older', at: new Date() });
    // The pages converted, the plan put on its page, and that page written.
    expect((await patrolPageCellsMigration(a.models).run()).changed).toBe(byPage.size + 2);
    expect(formatLocalDate((await a.store.plansOfPeriods(['2026-12'])).get('villageChief:older:w2:2026-12')!)).toBe(
      '2026-12-24',
    );
    expect(await raw.countDocuments({ entries: { $exists: true } })).toBe(0);
    await expectFiguresTrue('2026');
    expect((await patrolPageCellsMigration(a.models).run()).changed).toBe(0);
  });
});

/**
 * Property (issue 18): the sweep's compact page form gives back every sheet's 17 counts
 * exactly, whatever they are (wide ones and sums that differ included), names no other duty,
 * and is the same whatever the order of the sheets.
 */
describe('patrol page encoding', () => {
  it('gives back every sheet of a page, and nothing for other duties', () => {
    const rnd = seededRandom(11);
    for (let round = 0; round < 200; round++) {
      const sheets = new Map<string, number[]>();
      const n = Math.floor(rnd() * 40);
      for (let i = 0; i < n; i++) {
        const role = ['riverChief', 'villageChief', 'generalChief'][Math.floor(rnd() * 3)]!;
        const duty = `${role}|p${Math.floor(rnd() * 60)}|${role === 'generalChief' ? '' : `w${Math.floor(rnd() * 5)}`}`;
        const wide = rnd() < 0.1;
        const months = Array.from({ length: 12 }, () => Math.floor(rnd() * (wide ? 40 : 4)));
        const quarters = [0, 1, 2, 3].map((q) => months.slice(q * 3, q * 3 + 3).reduce((x, y) => x + y, 0));
        const cells = [...months, ...quarters, quarters.reduce((x, y) => x + y, 0)];
        if (rnd() < 0.05) cells[16] = (cells[16] ?? 0) + 1; // sums that differ stay as they are
        sheets.set(duty, cells);
      }
      const lines = [...sheets].map(([duty, cells]) => ({ duty, packed: cells.join(',') }));
      const encoded = encodePage(lines);
      expect(encodePage([...lines].reverse())).toBe(encoded);
      const counts = new PackedCounts();
      counts.addPage(encoded, '2026');
      expect(counts.size).toBe(sheets.size);
      for (const [duty, cells] of sheets) {
        const slot = counts.slotOf(`${duty}|2026`);
        const got =
          slot === undefined
            ? undefined
            : [
                ...Array.from({ length: 12 }, (_, m) => counts.cell(slot, { kind: 'month', index: m + 1 })),
                ...Array.from({ length: 4 }, (_, q) => counts.cell(slot, { kind: 'quarter', index: q + 1 })),
                counts.cell(slot, { kind: 'year', index: 1 }),
              ];
        expect({ duty, got }).toEqual({ duty, got: cells });
        expect(counts.slotOf(`${duty}|2025`)).toBeUndefined();
      }
      for (let p = 0; p < 60; p++)
        if (!sheets.has(`riverChief|p${p}|w9`)) expect(counts.slotOf(`riverChief|p${p}|w9|2026`)).toBeUndefined();
    }
  });

  it('names in full the sheets whose hash another sheet of the page shares', () => {
    // The same duty twice is the only collision one can make: both go to the named section.
    const encoded = encodePage([
      { duty: 'riverChief|li|dadu', packed: '1,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,1' },
      { duty: 'riverChief|li|dadu', packed: '1,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,1' },
      { duty: 'villageChief|chen|dadu', packed: '0,0,0,0,0,0,0,0,0,0,20,0,0,0,0,20,20' },
    ]);
    expect(encoded.split('~')[2]).toContain('riverChief|li|dadu\t');
    const counts = new PackedCounts();
    counts.addPage(encoded, '2026');
    expect(counts.cell(counts.slotOf('riverChief|li|dadu|2026')!, { kind: 'month', index: 1 })).toBe(1);
    expect(counts.cell(counts.slotOf('villageChief|chen|dadu|2026')!, { kind: 'quarter', index: 4 })).toBe(20);
  });
});
