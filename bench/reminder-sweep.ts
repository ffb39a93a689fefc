/**
 * The patrol reminder sweep at scale, from the patrol figures (issue 18).
 *
 * 1. Deciding a day's reminders for N chiefs from the read model: the sweep's own reads
 *    (one query per year of the figures' pages, one per period kind for 已安排 plans) and the
 *    domain's decision, timed with the process's peak memory, at growing sizes so linearity
 *    shows, with the documents each read returns (not noisy, unlike the timings). The pages
 *    (what the sweep reads: every chief's counts, a few hundred chiefs a document) and the
 *    plans are seeded with bulk inserts; the sheets themselves only with `--with-sheets`, as
 *    the sweep never reads them and inserting a million of them takes the embedded database
 *    tens of minutes.
 * 2. The whole sweep with sending through the outbox to the fake Feishu: the example district,
 *    and a directory of 10,000 chiefs: time to decide and enqueue, and until the outbox drained.
 *
 *   npm run bench:reminders
 *   npm run bench:reminders -- --sizes 10000,100000,1200000 --sweep-chiefs 10000 [--with-sheets]
 *
 * Uses MONGODB_URI when set (a real MongoDB), else the embedded database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Connection } from 'mongoose';
import { loadConfig } from '../src/config/env.js';
import { diffDirectory } from '../src/domain/directory/diff.js';
import {
  type ChiefDuty,
  chiefDuties,
  DEFAULT_REMINDER_SETTINGS,
  type Directory,
  type Person,
  type WaterBody,
} from '../src/domain/directory/directory.js';
import { DEFAULT_ISSUE_SETTINGS } from '../src/domain/issues/supervision.js';
import { DEFAULT_MEETING_SETTINGS } from '../src/domain/meetings/meeting-settings.js';
import { decideReminders } from '../src/domain/patrols/decide-reminders.js';
import { dutyKey } from '../src/domain/patrols/duty-key.js';
import { type PatrolObligation, SEED_OBLIGATIONS } from '../src/domain/patrols/obligation.js';
import { DEFAULT_REMINDER_POLICIES } from '../src/domain/patrols/reminder-plan.js';
import { WorkCalendar } from '../src/domain/time/work-calendar.js';
import { FakeFeishu } from '../src/feishu/fake/fake-feishu.js';
import { silentLogger } from '../src/log/logger.js';
import { startBot } from '../src/main/start-bot.js';
import { connectDatabase } from '../src/store/connection.js';
import { DirectoryStore } from '../src/store/directory-store.js';
import {
  figureKey,
  PackedCounts,
  packCounts,
  packedCountsOf,
  readPackedCounts,
  rebuildPatrolFigures,
  refOfDuty,
} from '../src/store/figures/patrol-figures.js';
import { PAGES, type PageSheet, pageFrom, pageOf } from '../src/store/figures/patrol-pages.js';
import { planPageOf, rebuildPlanPages } from '../src/store/figures/patrol-plan-pages.js';
import { bindModels, ensureIndexes } from '../src/store/models/index.js';
import { PatrolStore } from '../src/store/patrol-store.js';
import { provisionMongoServer } from '../src/store/provision/mongo-server.js';
import { dutyStates } from '../src/workflows/patrols/duty-states.js';
import { TEST_APP } from '../test/helpers/bot.js';
import { importExampleDistrict } from '../test/helpers/district.js';
import { seededRandom } from '../test/helpers/seeded-random.js';
import { countDocumentsRead, monitoredUri } from './documents-read.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,400000,1200000' },
    'with-sheets': { type: 'boolean', default: false },
    'sweep-chiefs': { type: 'string', default: '10000' },
    part: { type: 'string', default: 'memory,decide,sweep' },
    'memory-chiefs': { type: 'string', default: '1200000' },
  },
});
const SIZES = values.sizes
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
  .sort((a, b) => a - b);
const SWEEP_CHIEFS = Number(values['sweep-chiefs']);
const PARTS = new Set(values.part.split(','));
const MEMORY_CHIEFS = Number(values['memory-chiefs']);
const WITH_SHEETS = values['with-sheets'];
const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-11-27T09:30:00+08:00'); // a reminder day: d2 of November, Q4's d5 nearby
const clock = { now: () => NOW };
/** For the bot that sends: time runs on from NOW, so the outbox's pacing and retries come due. */
const started = performance.now();
const runningClock = { now: () => new Date(NOW.getTime() + (performance.now() - started)) };
const MONTHLY: PatrolObligation = { period: 'month', times: 1 };
const QUARTERLY: PatrolObligation = { period: 'quarter', times: 1 };
const BATCH = 10_000;

/** Chief i: a monthly duty on its own water body, one in 50 a quarterly one (township duties in some provinces). */
function dutyOf(i: number): ChiefDuty {
  return i % 50 === 0
    ? { personId: `p${i}`, role: 'townshipChief', waterBodyId: `w${i}`, obligation: QUARTERLY }
    : { personId: `p${i}`, role: 'villageChief', waterBodyId: `w${i}`, obligation: MONTHLY };
}

/**
 * Sheets seeded so far, by page, as the page's lines (`key\tpacked`, `\n`-joined: one string a
 * page keeps the bench's own memory small): the pages are rewritten whole after each seeding.
 */
const seededPages = new Map<number, string>();

/** The pages of these sheets (added to those seeded before), replacing the stored ones. */
async function seedPages(connection: Connection, sheets: ReadonlyArray<PageSheet & { page: number }>): Promise<void> {
  for (const sheet of sheets) {
    const line = `${sheet.key}\t${sheet.packed}`;
    const had = seededPages.get(sheet.page);
    seededPages.set(sheet.page, had ? `${had}\n${line}` : line);
  }
  const pages = connection.collection('patrol_pages');
  await pages.deleteMany({});
  const docs = [...seededPages].map(([page, lines]) =>
    pageFrom(
      '2026',
      page,
      lines.split('\n').map((line) => {
        const tab = line.indexOf('\t');
        return { key: line.slice(0, tab), year: '2026', packed: line.slice(tab + 1) };
      }),
    ),
  );
  for (let i = 0; i < docs.length; i += 500) await pages.insertMany(docs.slice(i, i + 500), { ordered: false });
}

/**
 * A realistic year of patrols for chiefs [from, to) as figure sheets (most monthly chiefs
 * patrol about once a month, some lag behind; a fifth have no patrol yet in November, and
 * some none at all this year: no sheet), and 已安排 plans for one in twenty. The sheets go
 * to the sweep's pages; to their own collection too with --with-sheets.
 */
async function seedFigures(connection: Connection, from: number, to: number): Promise<void> {
  const rnd = seededRandom(from + 1);
  const figures = connection.collection('patrol_figures');
  const plans = connection.collection('patrol_plans');
  const paged: Array<PageSheet & { page: number }> = [];
  for (let start = from; start < to; start += BATCH) {
    const sheets: Array<Record<string, unknown>> = [];
    const planned: Array<Record<string, unknown>> = [];
    for (let i = start; i < Math.min(to, start + BATCH); i++) {
      const duty = dutyOf(i);
      const diligence = rnd();
      const months = Array.from({ length: 12 }, () => 0);
      const monthsLast: Array<Date | null> = Array.from({ length: 12 }, () => null);
      for (let m = 0; m < 11; m++) {
        if (rnd() < (m === 10 ? 0.8 : 0.6 + diligence * 0.4)) {
          months[m] = 1;
          monthsLast[m] = new Date(Date.UTC(2026, m, 1 + Math.floor(rnd() * 26), 4));
        }
      }
      if (rnd() < 0.05)
        planned.push({
          key: `${dutyKey(duty)}:2026-11`,
          periodKey: '2026-11',
          plannedDay: '2026-11-30',
          by: duty.personId,
          at: NOW,
          page: planPageOf(`${dutyKey(duty)}:2026-11`),
        });
      const total = months.reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      const quarters = [0, 1, 2, 3].map((q) => months.slice(q * 3, q * 3 + 3).reduce((a, b) => a + b, 0));
      const quartersLast = [0, 1, 2, 3].map(
        (q) => monthsLast.slice(q * 3, q * 3 + 3).findLast((d) => d !== null) ?? null,
      );
      const ref = refOfDuty(duty, 2026);
      sheets.push({
        key: figureKey(ref),
        ...ref,
        months,
        quarters,
        total,
        monthsLate: Array.from({ length: 12 }, () => 0),
        quartersLate: [0, 0, 0, 0],
        totalLate: 0,
        monthsLast,
        quartersLast,
        last: monthsLast.findLast((d) => d !== null) ?? null,
        packed: packCounts({ months, quarters, total }),
        page: pageOf(ref),
      });
      paged.push({
        key: figureKey(ref),
        year: ref.year,
        packed: packCounts({ months, quarters, total }),
        page: pageOf(ref),
      });
    }
    if (WITH_SHEETS && sheets.length > 0) await figures.insertMany(sheets, { ordered: false });
    if (planned.length > 0) await plans.insertMany(planned, { ordered: false });
  }
  await seedPages(connection, paged);
}

/** The 已安排 plans' pages, built from the seeded plans as the rebuild builds them. */
async function seedPlanPages(models: ReturnType<typeof bindModels>): Promise<void> {
  await rebuildPlanPages(models.patrolPlans);
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Samples the process's memory while `work` runs: peak RSS and peak heap (with array buffers). */
async function peakMemory<T>(
  work: () => Promise<T>,
): Promise<{ result: T; rss: number; heap: number; rssBefore: number; heapBefore: number }> {
  // The heap and the typed arrays' buffers (outside the heap: the packed counts are there).
  const { rss: rssBefore, heapUsed, arrayBuffers } = process.memoryUsage();
  const heapBefore = heapUsed + arrayBuffers;
  let rss = rssBefore;
  let heap = heapBefore;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed + m.arrayBuffers);
  };
  const timer = setInterval(sample, 20);
  try {
    const result = await work();
    sample();
    return { result, rss, heap, rssBefore, heapBefore };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The sweep's work after its reads, at the country's size: the packed figures readPackedCounts
 * builds (filled here from the same synthetic year, without the database) and the decision,
 * with the process's peak memory. The database's part is measured by decidePart.
 */
async function memoryPart(): Promise<void> {
  const rnd = seededRandom(3);
  const duties = Array.from({ length: MEMORY_CHIEFS }, (_, i) => dutyOf(i));
  globalThis.gc?.();
  const start = performance.now();
  const { result, rss, heap } = await peakMemory(async () => {
    // Yield once so the memory sampler runs while the figures are packed.
    await new Promise((resolve) => setImmediate(resolve));
    const counts = new PackedCounts();
    const cells = new Array<number>(17).fill(0);
    for (const duty of duties) {
      const diligence = rnd();
      cells.fill(0);
      for (let m = 0; m < 11; m++) if (rnd() < (m === 10 ? 0.8 : 0.6 + diligence * 0.4)) cells[m] = 1;
      for (let q = 0; q < 4; q++)
        cells[12 + q] = (cells[q * 3] ?? 0) + (cells[q * 3 + 1] ?? 0) + (cells[q * 3 + 2] ?? 0);
      cells[16] = cells.slice(0, 12).reduce((a, b) => a + b, 0);
      if (cells[16]) counts.set(figureKey(refOfDuty(duty, 2026)), cells);
    }
    const filled = performance.now();
    const due = decideReminders(
      duties.map((duty) => ({ duty, patrolTimes: packedCountsOf(counts, duty) })),
      { now: NOW, timeZone: TZ, calendar: new WorkCalendar(), policies: DEFAULT_REMINDER_POLICIES },
    ).length;
    return { due, fillMs: filled - start, decideMs: performance.now() - filled };
  });
  console.log(
    `In memory, ${MEMORY_CHIEFS} chiefs: packing their figures ${(result.fillMs / 1000).toFixed(2)} s, deciding ${(result.decideMs / 1000).toFixed(2)} s, ` +
      `${result.due} reminders due; peak RSS ${mib(rss)}, peak heap ${mib(heap)} (the duties included)`,
  );
}

async function decidePart(uri: string): Promise<void> {
  const connection = await connectDatabase(monitoredUri(`${uri}bench_reminders`));
  const reads = countDocumentsRead(connection);
  const models = bindModels(connection);
  await connection.dropDatabase();
  await ensureIndexes(models);
  await rebuildPatrolFigures(models); // creates the figures' collection and indexes
  const store = new PatrolStore(models, clock);
  console.log(
    `Deciding the day’s patrol reminders from the patrol figures (reads + decision; ${PAGES} pages a year at most):`,
  );
  let seeded = 0;
  for (const size of SIZES) {
    const seedStart = performance.now();
    await seedFigures(connection, seeded, size);
    await seedPlanPages(models);
    // The bench's own copy of the pages is not the sweep's memory: dropped before the last measurement.
    if (size === SIZES.at(-1)) seededPages.clear();
    const seedMs = performance.now() - seedStart;
    const seededNow = size - seeded;
    seeded = size;
    const duties = Array.from({ length: size }, (_, i) => dutyOf(i));
    globalThis.gc?.();
    const readsStart = performance.now();
    let readMs = 0;
    const {
      result: decided,
      rss,
      heap,
      rssBefore,
      heapBefore,
    } = await peakMemory(async () => {
      const states = await dutyStates(store, duties, NOW, TZ);
      readMs = performance.now() - readsStart;
      return decideReminders(states, {
        now: NOW,
        timeZone: TZ,
        calendar: new WorkCalendar(),
        policies: DEFAULT_REMINDER_POLICIES,
      }).length;
    });
    const totalMs = performance.now() - readsStart;
    console.log(
      `${String(size).padStart(9)} chiefs: ${(totalMs / 1000).toFixed(2)} s (reading figures and plans ${(readMs / 1000).toFixed(2)} s, deciding ${((totalMs - readMs) / 1000).toFixed(2)} s; ` +
        `${((totalMs / size) * 1000).toFixed(1)} µs a chief), ${decided} reminders due, peak RSS ${mib(rss)}, peak heap and buffers ${mib(heap)} (${mib(rssBefore)} and ${mib(heapBefore)} before, the duties included${globalThis.gc ? '' : '; run with --expose-gc for less garbage'}); ` +
        `seeded ${seededNow} chiefs' figures in ${(seedMs / 1000).toFixed(1)} s`,
    );
    // What the reads ask of the database, apart: the figures' pages, then the plans.
    const timed = async <T>(work: () => Promise<T>) => {
      const start = performance.now();
      const counted = await reads.during(work);
      return { ...counted, s: ((performance.now() - start) / 1000).toFixed(2) };
    };
    const figureReads = await timed(() => readPackedCounts(models, [2025, 2026]));
    const planReads = await timed(() => store.plansOfPeriods(['2026-11', '2026-Q4']));
    // The bytes those documents carry (what the embedded database converts, JSON then BSON).
    const textOf = async (name: string, field: string) => {
      let bytes = 0;
      for await (const doc of connection.collection(name).find({}, { projection: { _id: 0, [field]: 1 } }))
        bytes += String(doc[field] ?? '').length;
      return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    };
    console.log(
      `${' '.repeat(16)}figures: ${figureReads.documents} documents in ${figureReads.commands} commands, ${figureReads.s} s (${figureReads.result.size} sheets, ${await textOf('patrol_pages', 'cells')} of page text); ` +
        `plans: ${planReads.documents} documents in ${planReads.commands} commands, ${planReads.s} s (${planReads.result.size} plans, ${await textOf('patrol_plan_pages', 'entries')})`,
    );
  }
  await connection.dropDatabase();
  await connection.close();
}

/** A directory of `chiefs` chiefs: a general chief, and per water body one district river chief and village chiefs. */
function largeDirectory(chiefs: number, fake: FakeFeishu): Directory {
  const people: Person[] = [{ id: 'general', name: '总河长', openId: 'ou_general' }];
  const waterBodies: WaterBody[] = [];
  const perWater = 10;
  for (let w = 0; people.length < chiefs; w++) {
    const villageChiefs: Record<string, string> = {};
    people.push({ id: `r${w}`, name: `河长${w}`, openId: `ou_r${w}` });
    for (let v = 0; v < perWater - 1 && people.length < chiefs; v++) {
      const id = `v${w}-${v}`;
      people.push({ id, name: `村级${w}-${v}`, openId: `ou_${id}` });
      villageChiefs[`村${v}`] = id;
    }
    waterBodies.push({
      id: `w${w}`,
      name: `河流${w}`,
      kind: 'river',
      districtChief: `r${w}`,
      townships: [],
      townshipChiefs: {},
      villageChiefs,
      crossBoundary: false,
      neighbours: [],
    });
  }
  for (const p of people) if (p.openId) fake.addUser({ openId: p.openId, name: p.name });
  return {
    district: '某市',
    generalChief: 'general',
    people,
    units: [
      { id: 'gco', name: '区总河长办公室', kind: 'generalChiefOffice', members: [] },
      { id: 'rco', name: '区河长制办公室', kind: 'riverChiefOffice', members: [] },
    ],
    waterBodies,
    duties: { townshipChief: MONTHLY, villageChief: MONTHLY },
    reminderDelivery: 'direct',
    calendar: { holidays: [], makeUpWorkdays: [] },
    reminders: DEFAULT_REMINDER_SETTINGS,
    issues: DEFAULT_ISSUE_SETTINGS,
    meetings: DEFAULT_MEETING_SETTINGS,
  };
}

async function sweepPart(uri: string, label: string, chiefs: number | 'district'): Promise<void> {
  const fake = await FakeFeishu.start({ appId: TEST_APP.appId, appSecret: TEST_APP.appSecret, clock: runningClock });
  const dbName = `bench_sweep_${chiefs}`;
  const bot = await startBot({
    config: loadConfig({
      MONGODB_URI: `${uri}${dbName}`,
      PORT: '0',
      FEISHU_APP_ID: TEST_APP.appId,
      FEISHU_APP_SECRET: TEST_APP.appSecret,
      FEISHU_VERIFICATION_TOKEN: TEST_APP.verificationToken,
      FEISHU_ENCRYPT_KEY: TEST_APP.encryptKey,
      FEISHU_DOMAIN: fake.url,
    }),
    logger: silentLogger(),
    host: '127.0.0.1',
    clock: runningClock,
  });
  try {
    if (chiefs === 'district') await importExampleDistrict(fake, bot.models, clock);
    else {
      const directory = largeDirectory(chiefs, fake);
      await new DirectoryStore(bot.models, clock).apply(
        directory,
        diffDirectory({ people: [], units: [], waterBodies: [], settings: undefined }, directory),
      );
      // Patrols as figures: the monthly duties' sheets, seeded in bulk like part 1.
      await rebuildPatrolFigures(bot.models);
      const rnd = seededRandom(7);
      const sheets = directory.waterBodies.flatMap((w) =>
        [w.districtChief, ...Object.values(w.villageChiefs)]
          .filter((id): id is string => id !== undefined && rnd() < 0.75)
          .map((id) => {
            const role = id === w.districtChief ? 'riverChief' : 'villageChief';
            const ref = refOfDuty({ role, personId: id, waterBodyId: w.id }, 2026);
            const months = Array.from({ length: 12 }, (_, m) => (m < 11 ? 1 : 0));
            return {
              key: figureKey(ref),
              ...ref,
              months,
              quarters: [3, 3, 3, 2],
              total: 11,
              monthsLate: Array.from({ length: 12 }, () => 0),
              quartersLate: [0, 0, 0, 0],
              totalLate: 0,
              monthsLast: months.map((n, m) => (n ? new Date(Date.UTC(2026, m, 10, 4)) : null)),
              quartersLast: [0, 1, 2, 3].map((q) => new Date(Date.UTC(2026, q * 3 + 2, 10, 4))),
              last: new Date(Date.UTC(2026, 10, 10, 4)),
              packed: packCounts({ months, quarters: [3, 3, 3, 2], total: 11 }),
              page: pageOf(ref),
            };
          }),
      );
      for (let i = 0; i < sheets.length; i += BATCH)
        await bot.connection.collection('patrol_figures').insertMany(sheets.slice(i, i + BATCH), { ordered: false });
      // The sweep's pages of those sheets, as the rebuild would write them.
      const byPage = new Map<number, PageSheet[]>();
      for (const sheet of sheets) byPage.set(sheet.page, [...(byPage.get(sheet.page) ?? []), sheet]);
      await bot.connection.collection('patrol_pages').insertMany(
        [...byPage].map(([page, list]) => pageFrom('2026', page, list)),
        { ordered: false },
      );
    }
    // The decision alone (what part 1 measures), then the whole sweep that also renders and sends.
    const directory = await new DirectoryStore(bot.models, clock).loadDirectory();
    const decideStart = performance.now();
    const due = directory
      ? decideReminders(
          await dutyStates(new PatrolStore(bot.models, clock), chiefDuties(directory, SEED_OBLIGATIONS), NOW, TZ),
          { now: NOW, timeZone: TZ, calendar: new WorkCalendar(), policies: DEFAULT_REMINDER_POLICIES },
        ).length
      : 0;
    const decided = performance.now() - decideStart;
    const before = fake.messages().length;
    const start = performance.now();
    const outcome = await bot.patrols.sweep(NOW);
    const swept = performance.now() - start;
    // Until every message queued has gone out (the outbox paces itself to Feishu's limits).
    while ((await bot.models.outboxMessages.countDocuments({})) > 0 && performance.now() - start < 900_000) {
      await bot.outbox.worker.drain();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const drained = performance.now() - start;
    const sent = fake.messages().length - before;
    console.log(
      `${label}: deciding ${due} reminders from the figures ${(decided / 1000).toFixed(2)} s; the sweep decided, rendered and sent ${outcome.reminders} in ${(swept / 1000).toFixed(2)} s; ` +
        `outbox drained after ${(drained / 1000).toFixed(1)} s (${sent} messages at the fake Feishu, ${(sent / (drained / 1000)).toFixed(0)}/s)`,
    );
  } finally {
    await bot.connection.dropDatabase();
    await bot.stop();
    await fake.stop();
  }
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hehu-bench-reminders-'));
  const db = process.env.MONGODB_URI ? undefined : await provisionMongoServer({ dataDir, logger: silentLogger() });
  const uri = process.env.MONGODB_URI ? process.env.MONGODB_URI.replace(/[^/]*$/, '') : (db?.uri ?? '');
  try {
    if (PARTS.has('memory')) await memoryPart();
    if (PARTS.has('decide')) await decidePart(uri);
    if (PARTS.has('sweep')) {
      console.log('The whole sweep, sending through the outbox to the fake Feishu:');
      await sweepPart(uri, 'the example district (8 monthly duties unmet)', 'district');
      await sweepPart(uri, `${SWEEP_CHIEFS} chiefs`, SWEEP_CHIEFS);
    }
  } finally {
    await db?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
