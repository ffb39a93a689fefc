import { type Connection, Schema } from 'mongoose';
import { CHIEF_ROLES, type ChiefRole } from '../../domain/patrols/obligation.js';
import { selfIndexedModel } from '../models/per-connection.js';
import { upsertByKey } from '../mongo-errors.js';
import { writeRebuilt } from './rebuilt-writes.js';

/**
 * The water bodies' patrol rollups rolled up once more (issue 18): per year, GROUPS documents,
 * each the sum of the histograms of the rollups in its group (a water body's group is a hash
 * of its rollup's identity, stored on the rollup). The office's /状态 reads a year's groups,
 * GROUPS documents, instead of one rollup per water body (about 2,000 in a province).
 *
 * A group is written whole, recomputed from its rollups with one equality query ({year,
 * group}: about 30 rollups in a province) after a rollup in it changed, and read again until
 * stable, as the rollups are from their sheets. It is part of the stored data: changing
 * GROUPS needs a rebuild.
 */
export const GROUPS = 64;

/** The histogram fields of a rollup and of a group: one per level (see PatrolRollupDoc). */
export type LevelHistograms = Record<ChiefRole, string>;

export interface PatrolRollupGroupDoc extends LevelHistograms {
  /** `year|group`. */
  key: string;
  year: string;
  group: number;
}

const GroupSchema = new Schema<PatrolRollupGroupDoc>(
  {
    key: { type: String, required: true },
    year: { type: String, required: true },
    group: { type: Number, required: true },
    generalChief: { type: String, default: '' },
    riverChief: { type: String, default: '' },
    townshipChief: { type: String, default: '' },
    villageChief: { type: String, default: '' },
  },
  { versionKey: false, minimize: false, id: false, collection: 'patrol_rollup_groups' },
);
GroupSchema.index({ key: 1 }, { unique: true });
GroupSchema.index({ year: 1 });

export const groupModelOf = selfIndexedModel('PatrolRollupGroup', GroupSchema);

export type GroupModel = Awaited<ReturnType<typeof groupModelOf>>;

export function groupKey(year: string, group: number): string {
  return `${year}|${group}`;
}

const CELLS = 17;

/** Adds one encoded histogram (`n:sheets,…` per cell, cells joined by `;`) into per-cell tallies. */
function addHistogram(into: Array<Map<number, number>>, encoded: string): void {
  if (!encoded) return;
  encoded.split(';').forEach((cell, i) => {
    const tally = into[i];
    if (!tally || !cell) return;
    for (const pair of cell.split(',')) {
      const [n, sheets] = pair.split(':');
      tally.set(Number(n), (tally.get(Number(n)) ?? 0) + Number(sheets));
    }
  });
}

/** Per-cell tallies encoded as a rollup encodes them: pairs ascending, empty when no sheet at all. */
export function encodeHistogram(cells: ReadonlyArray<ReadonlyMap<number, number>> | undefined): string {
  if (!cells) return '';
  return cells
    .map((cell) =>
      [...cell.entries()]
        .sort(([x], [y]) => x - y)
        .map(([n, sheets]) => `${n}:${sheets}`)
        .join(','),
    )
    .join(';');
}

/** The group its rollups make: per level, the sum of their histograms. Pure. */
export function groupFrom(year: string, group: number, rollups: Iterable<LevelHistograms>): PatrolRollupGroupDoc {
  const tallies = new Map<ChiefRole, Array<Map<number, number>>>();
  for (const rollup of rollups) {
    for (const role of CHIEF_ROLES) {
      if (!rollup[role]) continue;
      let cells = tallies.get(role);
      if (!cells) {
        cells = Array.from({ length: CELLS }, () => new Map<number, number>());
        tallies.set(role, cells);
      }
      addHistogram(cells, rollup[role]);
    }
  }
  return {
    key: groupKey(year, group),
    year,
    group,
    generalChief: encodeHistogram(tallies.get('generalChief')),
    riverChief: encodeHistogram(tallies.get('riverChief')),
    townshipChief: encodeHistogram(tallies.get('townshipChief')),
    villageChief: encodeHistogram(tallies.get('villageChief')),
  };
}

export const sameHistograms = (x: LevelHistograms, y: LevelHistograms): boolean =>
  CHIEF_ROLES.every((role) => (x[role] ?? '') === (y[role] ?? ''));

/** Reads a group's rollups by equality ({year, group}). */
export type ReadGroupRollups = (filter: { year: string; group: number }) => Promise<LevelHistograms[]>;

const MAX_ROUNDS = 5;

/**
 * Recomputes the groups of changed rollups, after the rollups were written: each from its
 * rollups, written, then recomputed again and rewritten if a concurrent change moved it.
 */
export async function refreshGroups(
  readRollups: ReadGroupRollups,
  groups: GroupModel,
  changed: Iterable<{ year: string; group: number }>,
  hooks: { beforeWrite?: () => Promise<void> } = {},
): Promise<void> {
  const unique = new Map<string, { year: string; group: number }>();
  for (const g of changed) unique.set(groupKey(g.year, g.group), g);
  for (const { year, group } of unique.values()) {
    let doc = groupFrom(year, group, await readRollups({ year, group }));
    for (let round = 0; round < MAX_ROUNDS; round++) {
      await hooks.beforeWrite?.();
      const { key, ...fields } = doc;
      await upsertByKey(groups, key, fields);
      const again = groupFrom(year, group, await readRollups({ year, group }));
      if (sameHistograms(again, doc)) break;
      doc = again;
    }
  }
}

/**
 * Recomputes every group from the true rollups (as the rollup rebuild computed them) and
 * writes those that differ, missing ones included; a group with no rollup left is written
 * empty. Returns how many it corrected.
 */
export async function rebuildGroups(
  groups: GroupModel,
  truth: Iterable<LevelHistograms & { year: string; group: number }>,
  years: string[] | undefined,
): Promise<number> {
  const grouped = new Map<string, { year: string; group: number; rollups: LevelHistograms[] }>();
  for (const rollup of truth) {
    const key = groupKey(rollup.year, rollup.group);
    const entry = grouped.get(key);
    if (entry) entry.rollups.push(rollup);
    else grouped.set(key, { year: rollup.year, group: rollup.group, rollups: [rollup] });
  }
  const differing: PatrolRollupGroupDoc[] = [];
  const seen = new Set<string>();
  for (const filter of years ? years.map((year) => ({ year })) : [{}]) {
    for (const doc of await groups.find(filter, { _id: 0 }).lean<PatrolRollupGroupDoc[]>().exec()) {
      seen.add(doc.key);
      const want = groupFrom(doc.year, doc.group, grouped.get(doc.key)?.rollups ?? []);
      if (!sameHistograms(doc, want)) differing.push(want);
    }
  }
  const missing: PatrolRollupGroupDoc[] = [];
  for (const [key, { year, group, rollups }] of grouped)
    if (!seen.has(key)) missing.push(groupFrom(year, group, rollups));
  await writeRebuilt(groups, missing, differing);
  return missing.length + differing.length;
}

/** A year's groups: GROUPS documents at most, one equality query. */
export async function readGroups(connection: Connection, year: string): Promise<PatrolRollupGroupDoc[]> {
  const groups = await groupModelOf(connection);
  return groups.find({ year }, { _id: 0 }).lean<PatrolRollupGroupDoc[]>().exec();
}
