import { type Connection, Schema } from 'mongoose';
import { CHIEF_ROLES, type ChiefRole } from '../../domain/patrols/obligation.js';
import type { Period } from '../../domain/time/period.js';
import { selfIndexedModel } from '../models/per-connection.js';
import { isDuplicateKey } from '../mongo-errors.js';
import type { PatrolFigureDoc, PatrolFigureRef } from './patrol-figures.js';
import {
  encodeHistogram,
  GROUPS,
  groupModelOf,
  type LevelHistograms,
  readGroups,
  rebuildGroups,
  refreshGroups,
} from './patrol-rollup-groups.js';
import { writeRebuilt } from './rebuilt-writes.js';
import { stableHash } from './stable-hash.js';

/**
 * Patrol fulfilment rolled up (issue 18): one document per year and water body (and, for
 * sheets without a water body, per year and level: the general chief's), holding for each
 * level and each period (12 months, 4 quarters, the year) how many duty sheets have how many
 * patrols: a histogram `count:sheets`. The office's /状态 reads these, one per water body,
 * instead of one sheet per chief.
 *
 * Why a histogram rather than "fulfilled" counts: whether a duty is met depends on the
 * directory (a level's frequency and required times, changed by an import), and how many
 * duties are due is the directory's count of duties in view. Both are applied on read: the
 * rollup holds only what the sheets say, so a directory import never leaves a rollup stale
 * and needs no refresh, and any `times` can be answered (sheets with at least that many).
 *
 * Like the sheets, a rollup is only written whole, recomputed from its sheets with one
 * equality query (the water body's sheets: bounded by the chiefs of one water body), in the
 * same path as the sheet change, and read again until stable.
 */
export interface PatrolRollupDoc {
  /** `year|waterBodyId`, or `year|@role` for one level's sheets without a water body. */
  key: string;
  year: string;
  waterBodyId: string | null;
  /** Only for a bucket without a water body: the one level it holds. */
  role: ChiefRole | null;
  /** The group (see patrol-rollup-groups) this rollup is summed into: a hash of its bucket. */
  group: number;
  /**
   * Per level: 17 cells (months 1–12, quarters 1–4, the year) joined by `;`, each cell the
   * pairs `patrols:sheets` joined by `,`, ascending; empty when the level has no sheet here.
   */
  generalChief: string;
  riverChief: string;
  townshipChief: string;
  villageChief: string;
}

/** Which rollup a sheet counts in. */
export interface RollupBucket {
  year: string;
  waterBodyId: string | null;
  role: ChiefRole | null;
}

const RollupSchema = new Schema<PatrolRollupDoc>(
  {
    key: { type: String, required: true },
    year: { type: String, required: true },
    waterBodyId: { type: String, default: null },
    role: { type: String, default: null },
    group: { type: Number, required: true },
    generalChief: { type: String, default: '' },
    riverChief: { type: String, default: '' },
    townshipChief: { type: String, default: '' },
    villageChief: { type: String, default: '' },
  },
  { versionKey: false, minimize: false, id: false, collection: 'patrol_rollups' },
);
RollupSchema.index({ key: 1 }, { unique: true });
RollupSchema.index({ year: 1 });
// A group's rollups, read by equality when one of them changed.
RollupSchema.index({ year: 1, group: 1 });

export const rollupModelOf = selfIndexedModel('PatrolRollup', RollupSchema);

export type RollupModel = Awaited<ReturnType<typeof rollupModelOf>>;

export function bucketOf(ref: Pick<PatrolFigureRef, 'year' | 'waterBodyId' | 'role'>): RollupBucket {
  return ref.waterBodyId === null
    ? { year: ref.year, waterBodyId: null, role: ref.role }
    : { year: ref.year, waterBodyId: ref.waterBodyId, role: null };
}

export function rollupKey(bucket: RollupBucket): string {
  return bucket.waterBodyId === null ? `${bucket.year}|@${bucket.role}` : `${bucket.year}|${bucket.waterBodyId}`;
}

/** The group a bucket's rollup is summed into: the same for every year. */
export function groupOf(bucket: RollupBucket): number {
  return stableHash(rollupKey({ ...bucket, year: '' })) % GROUPS;
}

export type SheetCounts = Pick<PatrolFigureDoc, 'role' | 'waterBodyId' | 'months' | 'quarters' | 'total'>;

const CELLS = 17;

/** The rollup its sheets make. Pure. */
export function rollupFrom(bucket: RollupBucket, sheets: Iterable<SheetCounts>): PatrolRollupDoc {
  const tallies = new Map<ChiefRole, Array<Map<number, number>>>();
  for (const sheet of sheets) {
    let cells = tallies.get(sheet.role);
    if (!cells) {
      cells = Array.from({ length: CELLS }, () => new Map<number, number>());
      tallies.set(sheet.role, cells);
    }
    const values = [...Array.from({ length: 12 }, (_, i) => sheet.months[i] ?? 0)];
    values.push(...Array.from({ length: 4 }, (_, i) => sheet.quarters[i] ?? 0), sheet.total);
    values.forEach((n, i) => {
      const cell = cells[i] as Map<number, number>;
      cell.set(n, (cell.get(n) ?? 0) + 1);
    });
  }
  const encode = (role: ChiefRole) => encodeHistogram(tallies.get(role));
  return {
    key: rollupKey(bucket),
    year: bucket.year,
    waterBodyId: bucket.waterBodyId,
    role: bucket.role,
    group: groupOf(bucket),
    generalChief: encode('generalChief'),
    riverChief: encode('riverChief'),
    townshipChief: encode('townshipChief'),
    villageChief: encode('villageChief'),
  };
}

/** The fields of a sheet a rollup needs (a projection for the sheet query). */
export const SHEET_COUNTS = { _id: 0, role: 1, waterBodyId: 1, months: 1, quarters: 1, total: 1 } as const;

/** Reads sheets by an equality filter, projected to SHEET_COUNTS. */
export type ReadSheets = (filter: Record<string, unknown>) => Promise<SheetCounts[]>;

/** The bucket's sheets, by equality (a water body's; or one level's, for sheets without one). */
async function computeRollup(readSheets: ReadSheets, bucket: RollupBucket): Promise<PatrolRollupDoc> {
  const filter =
    bucket.waterBodyId === null
      ? { year: bucket.year, role: bucket.role }
      : { year: bucket.year, waterBodyId: bucket.waterBodyId };
  const found = await readSheets(filter);
  // Only the general chief's sheets have no water body in practice, so the level's query is its own bucket.
  const inBucket = bucket.waterBodyId === null ? found.filter((s) => (s.waterBodyId ?? null) === null) : found;
  return rollupFrom(bucket, inBucket);
}

async function writeRollup(rollups: RollupModel, doc: PatrolRollupDoc): Promise<void> {
  const { key, ...fields } = doc;
  try {
    await rollups.updateOne({ key }, { $set: fields }, { upsert: true }).exec();
  } catch (error) {
    // Two writers creating one new rollup: the unique key refused the second insert; update instead.
    if (!isDuplicateKey(error)) throw error;
    await rollups.updateOne({ key }, { $set: fields }).exec();
  }
}

const MAX_ROUNDS = 5;
const FIELDS = ['generalChief', 'riverChief', 'townshipChief', 'villageChief'] as const;
const same = (x: PatrolRollupDoc, y: PatrolRollupDoc) => x.group === y.group && FIELDS.every((f) => x[f] === y[f]);

/**
 * Recomputes the rollups of changed sheets, after the sheets were written: each from its
 * sheets, written, then recomputed again and rewritten if a concurrent sheet change moved it.
 * Then the groups of those rollups, from the rollups, the same way.
 */
export async function refreshRollups(
  readSheets: ReadSheets,
  rollups: RollupModel,
  refs: Iterable<PatrolFigureRef>,
  hooks: { beforeWrite?: () => Promise<void>; beforeGroupWrite?: () => Promise<void> } = {},
): Promise<void> {
  const buckets = new Map<string, RollupBucket>();
  for (const ref of refs) {
    const bucket = bucketOf(ref);
    buckets.set(rollupKey(bucket), bucket);
  }
  for (const bucket of buckets.values()) {
    let doc = await computeRollup(readSheets, bucket);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      await hooks.beforeWrite?.();
      await writeRollup(rollups, doc);
      const again = await computeRollup(readSheets, bucket);
      if (same(again, doc)) break;
      doc = again;
    }
  }
  const readRollups = (filter: { year: string; group: number }) =>
    rollups
      .find(filter, { _id: 0, ...HISTOGRAMS })
      .lean<LevelHistograms[]>()
      .exec();
  await refreshGroups(
    readRollups,
    await groupModelOf(rollups.db),
    [...buckets.values()].map((bucket) => ({ year: bucket.year, group: groupOf(bucket) })),
    { beforeWrite: hooks.beforeGroupWrite },
  );
}

const HISTOGRAMS = { generalChief: 1, riverChief: 1, townshipChief: 1, villageChief: 1 } as const;

/**
 * Recomputes every rollup from the true sheets (as the sheet rebuild computed them) and writes
 * those that differ, missing ones included; a rollup with no sheet left is written empty.
 * Returns how many it corrected, and the true rollups (for the groups' rebuild).
 */
export async function rebuildRollups(
  rollups: RollupModel,
  truth: Iterable<PatrolFigureDoc>,
  years: string[] | undefined,
): Promise<{ corrected: number; rollups: PatrolRollupDoc[] }> {
  const grouped = new Map<string, { bucket: RollupBucket; sheets: SheetCounts[] }>();
  for (const sheet of truth) {
    const bucket = bucketOf(sheet);
    const key = rollupKey(bucket);
    const entry = grouped.get(key);
    if (entry) entry.sheets.push(sheet);
    else grouped.set(key, { bucket, sheets: [sheet] });
  }
  const differing: PatrolRollupDoc[] = [];
  const missing: PatrolRollupDoc[] = [];
  const all: PatrolRollupDoc[] = [];
  const seen = new Set<string>();
  for (const filter of years ? years.map((year) => ({ year })) : [{}]) {
    const stored = await rollups.find(filter, { _id: 0 }).lean<PatrolRollupDoc[]>().exec();
    for (const doc of stored) {
      seen.add(doc.key);
      const entry = grouped.get(doc.key);
      const bucket: RollupBucket = entry?.bucket ?? {
        year: doc.year,
        waterBodyId: doc.waterBodyId ?? null,
        role: doc.role ?? null,
      };
      const want = rollupFrom(bucket, entry?.sheets ?? []);
      all.push(want);
      if (!same(doc, want)) differing.push(want);
    }
  }
  for (const [key, { bucket, sheets }] of grouped) {
    if (seen.has(key)) continue;
    const want = rollupFrom(bucket, sheets);
    all.push(want);
    missing.push(want);
  }
  await writeRebuilt(rollups, missing, differing);
  return { corrected: missing.length + differing.length, rollups: all };
}

/**
 * Rebuilds the rollups from the true sheets, then their groups from the true rollups; returns
 * how many of both it corrected.
 */
export async function rebuildRollupsAndGroups(
  rollups: RollupModel,
  truth: Iterable<PatrolFigureDoc>,
  years: string[] | undefined,
): Promise<number> {
  const built = await rebuildRollups(rollups, truth, years);
  return built.corrected + (await rebuildGroups(await groupModelOf(rollups.db), built.rollups, years));
}

/** Sheets of a level with at least `times` patrols in a period, from one encoded histogram. */
function atLeast(encoded: string, period: Pick<Period, 'kind' | 'index'>, times: number): number {
  if (!encoded) return 0;
  const i = period.kind === 'month' ? period.index - 1 : period.kind === 'quarter' ? 11 + period.index : 16;
  const cell = encoded.split(';')[i] ?? '';
  let sum = 0;
  for (const pair of cell.split(',')) {
    if (!pair) continue;
    const [n, sheets] = pair.split(':');
    if (Number(n) >= times) sum += Number(sheets);
  }
  return sum;
}

/** One level's question: how many of its duties had at least `times` patrols in each of these periods. */
export interface LevelQuestion {
  role: ChiefRole;
  periods: ReadonlyArray<Pick<Period, 'kind' | 'index' | 'key'>>;
  times: number;
}

/**
 * For each level, per period, how many duty sheets have at least `times` patrols: what
 * /状态 shows per level. Reads the year's rollup groups (GROUPS documents, whatever the
 * number of water bodies) with one equality query, or, narrowed to water bodies, those water bodies' rollups by key (the general
 * chief's level is never narrowed). Keyed by role, then period key.
 */
export async function countFulfilledByLevel(
  connection: Connection,
  levels: readonly LevelQuestion[],
  year: number | string,
  waterBodyIds?: readonly string[],
): Promise<Map<ChiefRole, Map<string, number>>> {
  const rollups = await rollupModelOf(connection);
  const y = String(year);
  const out = new Map<ChiefRole, Map<string, number>>();
  for (const level of levels) out.set(level.role, new Map(level.periods.map((p) => [p.key, 0])));
  const add = (docs: ReadonlyArray<LevelHistograms | null>, roles: readonly ChiefRole[]) => {
    for (const doc of docs) {
      if (!doc) continue;
      for (const level of levels) {
        if (!roles.includes(level.role)) continue;
        const counts = out.get(level.role) as Map<string, number>;
        for (const p of level.periods)
          counts.set(p.key, (counts.get(p.key) ?? 0) + atLeast(doc[level.role] ?? '', p, level.times));
      }
    }
  };
  if (!waterBodyIds) {
    // The whole district: the year's groups (GROUPS documents), not one rollup per water body.
    add(await readGroups(connection, y), CHIEF_ROLES);
    return out;
  }
  // One key at a time: an equality the embedded database reads by ($in scans).
  const byKey = (key: string) => rollups.findOne({ key }, { _id: 0 }).lean<PatrolRollupDoc>().exec();
  const narrowed = CHIEF_ROLES.filter((r) => r !== 'generalChief' && levels.some((l) => l.role === r));
  const [general, ...waters] = await Promise.all([
    levels.some((l) => l.role === 'generalChief')
      ? byKey(rollupKey({ year: y, waterBodyId: null, role: 'generalChief' }))
      : Promise.resolve(null),
    ...(narrowed.length > 0 ? [...new Set(waterBodyIds)] : []).map((w) =>
      byKey(rollupKey({ year: y, waterBodyId: w, role: null })),
    ),
  ]);
  add([general ?? null], ['generalChief']);
  add(waters, narrowed);
  return out;
}
