/**
 * `/状态` latency on a province-sized dataset: 50,000 chiefs (2,000 district river chiefs,
 * 12,000 township and 36,000 village chiefs, and the general chief), 500,000 patrols and
 * 200,000 problems. Seeds the database once (in bulk), then builds the status card for the
 * office (the whole province) and for one district river chief, many times each, through the
 * same StatusService the bot uses.
 *
 *   npm run bench:status [-- --runs 30 --scales district,province --viewers office,chief]
 *   npm run bench:status [-- --scales custom --chiefs 5000 --patrols 50000 --problems 20000]
 *
 * Each scale is seeded in bulk: patrols and problems inserted unordered, 10,000 a batch,
 * before their collections' indexes are built (building an index over the
 * loaded rows is far cheaper than maintaining it row by row); then the read models are built
 * by the same rebuild `npm run figures:rebuild` runs, which inserts what is missing in bulk.
 * Prints the time of each seeding step and of the rebuild, then p50 / p95 / max per viewer,
 * for the whole card and for its problem and patrol figures alone, with the commands and
 * documents one card reads (not noisy, unlike the timings). Uses MONGODB_URI when set (a real
 * MongoDB), else the embedded database.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { visibilityOf } from '../src/domain/access/visibility.js';
import { diffDirectory } from '../src/domain/directory/diff.js';
import {
  DEFAULT_REMINDER_SETTINGS,
  type Directory,
  type Person,
  type Unit,
  type WaterBody,
} from '../src/domain/directory/directory.js';
import { DEFAULT_ISSUE_SETTINGS, deadlineFor } from '../src/domain/issues/supervision.js';
import { DEFAULT_MEETING_SETTINGS } from '../src/domain/meetings/meeting-settings.js';
import type { ChiefRole } from '../src/domain/patrols/obligation.js';
import { patrolPeriods } from '../src/domain/patrols/patrol.js';
import { periodsOfYear } from '../src/domain/time/period.js';
import { toLocal } from '../src/domain/time/zoned.js';
import { statusCards } from '../src/feishu/cards/status-cards.js';
import { silentLogger } from '../src/log/logger.js';
import { connectDatabase } from '../src/store/connection.js';
import { DirectoryStore } from '../src/store/directory-store.js';
import { DocumentStore } from '../src/store/document-store.js';
import { countFulfilledByLevels } from '../src/store/figures/patrol-figures.js';
import { dueMonth } from '../src/store/figures/problem-due-facts.js';
import { rebuildFigures } from '../src/store/figures/rebuild-figures.js';
import { IssueStore } from '../src/store/issue-store.js';
import { MeetingStore } from '../src/store/meeting-store.js';
import { bindModels, ensureIndexes } from '../src/store/models/index.js';
import type { IssueDoc } from '../src/store/models/issue.js';
import type { PatrolDoc } from '../src/store/models/patrol.js';
import { PatrolStore } from '../src/store/patrol-store.js';
import { provisionMongoServer } from '../src/store/provision/mongo-server.js';
import { StatusService } from '../src/workflows/status/status-service.js';
import { seededRandom } from '../test/helpers/seeded-random.js';
import { countDocumentsRead, monitoredUri } from './documents-read.js';
import { percentile } from './load.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    // district: 126 chiefs, 1,500 patrols, 500 problems; province: the figures below.
    scales: { type: 'string', default: 'district,province' },
    chiefs: { type: 'string', default: '50000' },
    patrols: { type: 'string', default: '500000' },
    problems: { type: 'string', default: '200000' },
    // Which viewers to time: the office (whole province) and/or one district river chief.
    viewers: { type: 'string', default: 'office,chief' },
  },
});
const RUNS = Number(values.runs);
const SCALES: Record<string, { chiefs: number; patrols: number; problems: number }> = {
  district: { chiefs: 126, patrols: 1_500, problems: 500 },
  province: { chiefs: 50_000, patrols: 500_000, problems: 200_000 },
  custom: { chiefs: Number(values.chiefs), patrols: Number(values.patrols), problems: Number(values.problems) },
};
let CHIEFS = 0;
let PATROLS = 0;
let PROBLEMS = 0;
const BATCH = 10_000;
const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-11-20T10:00:00+08:00');
const clock = { now: () => NOW };

const rnd = seededRandom(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;

/** 1 general chief; per water body 1 district chief, 6 township chiefs, 18 village chiefs. */
function province(): { directory: Directory; duties: Array<{ chief: string; role: ChiefRole; water?: string }> } {
  const waters = Math.max(1, Math.floor((CHIEFS - 1) / 25));
  const people: Person[] = [{ id: 'general', name: '总河长', openId: 'ou_general' }];
  const townships: Unit[] = Array.from({ length: Math.max(6, Math.floor(waters / 2)) }, (_, i) => ({
    id: `t${i}`,
    name: `乡镇${i}`,
    kind: 'township' as const,
    members: [],
  }));
  const liaisons: Unit[] = Array.from({ length: 100 }, (_, i) => ({
    id: `l${i}`,
    name: `联络员单位${i}`,
    kind: 'liaisonUnit' as const,
    members: [],
  }));
  const units: Unit[] = [
    { id: 'gco', name: '区总河长办公室', kind: 'generalChiefOffice', members: [] },
    { id: 'rco', name: '区河长制办公室', kind: 'riverChiefOffice', members: ['office'] },
    ...liaisons,
    ...townships,
  ];
  people.push({ id: 'office', name: '河长办', openId: 'ou_office' });
  const waterBodies: WaterBody[] = [];
  const duties: Array<{ chief: string; role: ChiefRole; water?: string }> = [
    { chief: 'general', role: 'generalChief' },
  ];
  for (let w = 0; w < waters; w++) {
    const ts = Array.from({ length: 6 }, (_, k) => townships[(w * 6 + k) % townships.length]?.id ?? 't0');
    const townshipChiefs: Record<string, string> = {};
    const villageChiefs: Record<string, string> = {};
    people.push({ id: `r${w}`, name: `河长${w}`, openId: `ou_r${w}` });
    duties.push({ chief: `r${w}`, role: 'riverChief', water: `w${w}` });
    ts.forEach((t, k) => {
      const id = `s${w}-${k}`;
      people.push({ id, name: `乡级${w}-${k}`, mobile: `1${String(w * 6 + k).padStart(10, '0')}` });
      townshipChiefs[t] = id;
      duties.push({ chief: id, role: 'townshipChief', water: `w${w}` });
    });
    for (let v = 0; v < 18; v++) {
      const id = `v${w}-${v}`;
      people.push({ id, name: `村级${w}-${v}`, mobile: `2${String(w * 18 + v).padStart(10, '0')}` });
      villageChiefs[`村${v}`] = id;
      duties.push({ chief: id, role: 'villageChief', water: `w${w}` });
    }
    waterBodies.push({
      id: `w${w}`,
      name: `河流${w}`,
      kind: 'river',
      districtChief: `r${w}`,
      liaisonUnit: pick(liaisons).id,
      townships: [...new Set(ts)],
      townshipChiefs,
      villageChiefs,
      crossBoundary: false,
      neighbours: [],
    });
  }
  const directory: Directory = {
    district: '某省',
    generalChief: 'general',
    people,
    units,
    waterBodies,
    duties: { townshipChief: { period: 'month', times: 1 }, villageChief: { period: 'month', times: 1 } },
    reminderDelivery: 'groupChat',
    calendar: { holidays: [], makeUpWorkdays: [] },
    reminders: DEFAULT_REMINDER_SETTINGS,
    issues: DEFAULT_ISSUE_SETTINGS,
    meetings: DEFAULT_MEETING_SETTINGS,
  };
  return { directory, duties };
}

async function main(): Promise<void> {
  const logger = silentLogger();
  const db = process.env.MONGODB_URI
    ? undefined
    : await provisionMongoServer({ dataDir: await mkdtemp(join(tmpdir(), 'hehu-bench-status-')), logger });
  for (const scale of values.scales.split(',')) {
    const size = SCALES[scale];
    if (!size) throw new Error(`unknown scale ${scale}: district, province or custom`);
    ({ chiefs: CHIEFS, patrols: PATROLS, problems: PROBLEMS } = size);
    console.log(`— ${scale}: ${CHIEFS} chiefs, ${PATROLS} patrols, ${PROBLEMS} problems`);
    await measure(`${process.env.MONGODB_URI ?? db?.uri ?? ''}`, `bench_status_${scale}`);
  }
  await db?.stop();
}

async function measure(uri: string, dbName: string): Promise<void> {
  const connection = await connectDatabase(monitoredUri(process.env.MONGODB_URI ?? `${uri}${dbName}`));
  const reads = countDocumentsRead(connection);
  const models = bindModels(connection);
  await connection.dropDatabase();
  // Every collection's indexes but the two bulk-loaded ones, whose indexes are built after loading.
  const { patrols: patrolModel, issues: issueModel, ...others } = models;
  await ensureIndexes(others as typeof models);
  await patrolModel.createCollection();
  await issueModel.createCollection();

  const seedStart = performance.now();
  let stepStart = seedStart;
  const steps: string[] = [];
  const step = (what: string) => {
    const now = performance.now();
    steps.push(`${what} ${((now - stepStart) / 1000).toFixed(1)} s`);
    stepStart = now;
  };
  const { directory, duties } = province();
  const store = new DirectoryStore(models, clock);
  await store.apply(
    directory,
    diffDirectory({ people: [], units: [], waterBodies: [], settings: undefined }, directory),
  );
  step('directory');
  const year = Date.UTC(2026, 0, 1) - 8 * 3_600_000;
  const span = NOW.getTime() - year;
  for (let i = 0; i < PATROLS; i += BATCH) {
    const batch: PatrolDoc[] = [];
    for (let k = i; k < Math.min(PATROLS, i + BATCH); k++) {
      const duty = pick(duties);
      const at = new Date(year + rnd() * span);
      batch.push({
        key: `p${k}`,
        chiefId: duty.chief,
        role: duty.role,
        periods: patrolPeriods(at, TZ),
        waterBodyId: duty.water ?? null,
        recordedBy: duty.chief,
        patrolledAt: at,
        observations: '正常',
        problems: [],
        photoKeys: [],
        location: null,
        status: 'recorded',
        version: 1,
        history: [],
        createdAt: at,
      });
    }
    await models.patrols.insertMany(batch, { ordered: false });
  }
  step('patrols');
  const states = ['reported', 'assigned', 'rectifying', 'pendingVerification', 'closed'] as const;
  for (let i = 0; i < PROBLEMS; i += BATCH) {
    const batch: IssueDoc[] = [];
    for (let k = i; k < Math.min(PROBLEMS, i + BATCH); k++) {
      const water = pick(directory.waterBodies);
      const created = new Date(year + rnd() * span);
      const state = pick(states);
      // A deadline is a day, as the bot sets it (deadlineFor): the start of the next local day.
      const deadline =
        state === 'reported'
          ? null
          : deadlineFor(toLocal(new Date(created.getTime() + (5 + Math.floor(rnd() * 60)) * 86_400_000), TZ), TZ);
      const closed =
        state === 'closed' ? new Date(Math.min(NOW.getTime(), created.getTime() + rnd() * 40 * 86_400_000)) : null;
      batch.push({
        _id: `i${k}`,
        key: `i${k}`,
        year: 2026,
        seq: k + 1,
        number: `〔2026〕第${k + 1}号`,
        waterBodyId: water.id,
        townshipId: water.townships[0] ?? null,
        place: '',
        description: '问题',
        category: '其他',
        urgency: 'normal',
        photos: [],
        source: { kind: rnd() < 0.1 ? 'decision' : 'patrol', ref: null },
        foundBy: 'office',
        foundAt: created,
        reportedBy: 'office',
        chiefId: water.districtChief ?? null,
        state,
        version: 2,
        assigneeUnit: state === 'reported' ? null : (water.townships[0] ?? null),
        supervisorUnits: water.liaisonUnit ? [water.liaisonUnit] : [],
        deadline,
        requirement: null,
        assignedAt: deadline ? created : null,
        deadlineSetAt: deadline ? created : null,
        pendingExtension: null,
        progress: [],
        closedAt: closed,
        closedOnTime: closed && deadline ? closed < deadline : null,
        cardKeys: [],
        history: [],
        nextSupervisionAt: null,
        createdAt: created,
        updatedAt: created,
        createdMonth: patrolPeriods(created, TZ).month,
        closedMonth: closed ? patrolPeriods(closed, TZ).month : null,
        dueMonth: deadline ? dueMonth(deadline) : null,
      });
    }
    await models.issues.insertMany(batch, { ordered: false });
  }
  step('problems');
  await patrolModel.createIndexes();
  await issueModel.createIndexes();
  step('their indexes');
  console.log(
    `seeded ${directory.people.length} people, ${duties.length} duties, ${PATROLS} patrols, ${PROBLEMS} problems in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (${steps.join(', ')})`,
  );
  // The read models, built as npm run figures:rebuild builds them.
  const rebuildStart = performance.now();
  const report = await rebuildFigures(models, clock, TZ);
  console.log(
    `read models built in ${((performance.now() - rebuildStart) / 1000).toFixed(1)} s: ${report.problems.sections} problem sections, ${report.patrols.corrected} patrol sheets, pages, rollups and groups`,
  );

  const issues = new IssueStore(models, clock);
  const status = new StatusService({
    directory: store,
    patrols: new PatrolStore(models, clock),
    issues,
    meetings: new MeetingStore(models, TZ),
    documents: new DocumentStore(models),
    cards: statusCards,
    patrolFigures: models,
    clock,
    timeZone: TZ,
  });
  const loaded = (await store.loadDirectory())!;
  const viewers = (
    [
      ['office (whole province)', 'office'],
      ['one district river chief', 'r0'],
    ] as const
  ).filter(([, id]) => values.viewers.split(',').includes(id === 'r0' ? 'chief' : id));
  for (const [who, personId] of viewers) {
    const visibility = visibilityOf(loaded, personId)!;
    await status.view(loaded, visibility, personId); // warm-up
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const start = performance.now();
      statusCards.status(await status.view(loaded, visibility, personId));
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const card = await reads.during(async () => statusCards.status(await status.view(loaded, visibility, personId)));
    console.log(
      `/状态 for ${who}: p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms, max ${(times.at(-1) ?? 0).toFixed(0)} ms over ${RUNS} runs; ` +
        `a card reads ${card.documents} documents in ${card.commands} commands`,
    );
    // The problem and decision figures alone (the rest of the card is patrol fulfilment).
    const scope = visibility.district
      ? undefined
      : { waterBodyIds: [...visibility.waterBodyIds], unitIds: [...visibility.unitIds] };
    const months = Array.from({ length: 11 }, (_, m) => `2026-${String(m + 1).padStart(2, '0')}`);
    const figureTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const start = performance.now();
      await issues.statusCounts(scope, NOW, months, new Date(NOW.getTime() + 7 * 86_400_000));
      figureTimes.push(performance.now() - start);
    }
    figureTimes.sort((a, b) => a - b);
    const problemReads = await reads.during(() =>
      issues.statusCounts(scope, NOW, months, new Date(NOW.getTime() + 7 * 86_400_000)),
    );
    console.log(
      `  of which problem figures: p50 ${percentile(figureTimes, 50).toFixed(0)} ms, p95 ${percentile(figureTimes, 95).toFixed(0)} ms; ` +
        `${problemReads.documents} documents in ${problemReads.commands} commands`,
    );
    // Patrol fulfilment per level, read from the patrol rollups as the card reads it (every level at once).
    const roles: ChiefRole[] = ['generalChief', 'riverChief', 'townshipChief', 'villageChief'];
    const levels = roles.map((role) => ({ role, periods: periodsOfYear('month', 2026, TZ), times: 1 }));
    const patrolTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const start = performance.now();
      await countFulfilledByLevels(models, levels, 2026, scope?.waterBodyIds);
      patrolTimes.push(performance.now() - start);
    }
    patrolTimes.sort((a, b) => a - b);
    const patrolReads = await reads.during(() => countFulfilledByLevels(models, levels, 2026, scope?.waterBodyIds));
    console.log(
      `  of which patrol figures: p50 ${percentile(patrolTimes, 50).toFixed(0)} ms, p95 ${percentile(patrolTimes, 95).toFixed(0)} ms; ` +
        `${patrolReads.documents} documents in ${patrolReads.commands} commands`,
    );
  }
  await connection.close();
}

await main();
