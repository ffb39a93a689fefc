import { type Connection, Schema } from 'mongoose';
import { selfIndexedModel } from '../models/per-connection.js';
import { upsertByKey } from '../mongo-errors.js';
import { encodePage, PackedCounts } from './packed-counts.js';
import { writeRebuilt } from './rebuilt-writes.js';
import { stableHash } from './stable-hash.js';

/**
 * Patrol sheets packed into pages for the reminder sweep (issue 18): per year, one document
 * per page holding the current counts (`packed`) of every sheet on that page. The sweep reads
 * a year's pages, a few thousand documents for a country's 1.2 million chiefs, instead of one
 * document per chief: on the embedded database each document read costs about 0.2 ms
 * whatever its size, so reading sheets one by one took about 19 minutes.
 *
 * Which page a sheet is on is a hash of its duty (level, chief, water body), stored on the
 * sheet, so it never moves and a page's sheets are found by equality ({year, page}). Like the
 * sheets and rollups, a page is only written whole, recomputed from its sheets with that
 * equality query in the path of the change that moved one of them, and read again until
 * stable; the nightly rebuild recomputes every page from the true sheets.
 *
 * PAGES trades the sweep's reads against a change's: a change re-reads its page's sheets
 * (about 12 at a province's 50,000 chiefs, about 300 at 1.2 million), the sweep reads at most
 * PAGES documents a year. It is part of the stored data: changing it needs a rebuild.
 */
export const PAGES = 4096;

export interface PatrolPageDoc {
  /** `year|page`. */
  key: string;
  year: string;
  page: number;
  /** The page's sheets (their duties' hashes and counts), as encodePage writes them. */
  cells: string;
}

/** What a page needs of a sheet. */
export interface PageSheet {
  key: string;
  year: string;
  packed: string;
}

const PageSchema = new Schema<PatrolPageDoc>(
  {
    key: { type: String, required: true },
    year: { type: String, required: true },
    page: { type: Number, required: true },
    cells: { type: String, default: '' },
  },
  { versionKey: false, minimize: false, id: false, collection: 'patrol_pages' },
);
PageSchema.index({ key: 1 }, { unique: true });
PageSchema.index({ year: 1 });

export const pageModelOf = selfIndexedModel('PatrolPage', PageSchema);

export type PageModel = Awaited<ReturnType<typeof pageModelOf>>;

/** The page of a duty's sheets (every year's sheet of one duty is on the same page number). */
export function pageOf(duty: { role: string; chiefId: string; waterBodyId: string | null }): number {
  return stableHash(`${duty.role}|${duty.chiefId}|${duty.waterBodyId ?? ''}`) % PAGES;
}

export function pageKey(year: string, page: number): string {
  return `${year}|${page}`;
}

/** The sheet's figure key without its `|year` suffix. */
function dutyPart(sheet: PageSheet): string {
  return sheet.key.slice(0, sheet.key.length - sheet.year.length - 1);
}

/** The page its sheets make. Pure. */
export function pageFrom(year: string, page: number, sheets: Iterable<PageSheet>): PatrolPageDoc {
  const lines = [...sheets].map((s) => ({ duty: dutyPart(s), packed: s.packed }));
  return { key: pageKey(year, page), year, page, cells: encodePage(lines) };
}

/** Reads sheets of a page by equality ({year, page}), projected to key, year and packed. */
export type ReadPageSheets = (filter: { year: string; page: number }) => Promise<PageSheet[]>;

const MAX_ROUNDS = 5;

/**
 * Recomputes the pages of changed sheets, after the sheets were written: each from its sheets,
 * written, then recomputed again and rewritten if a concurrent sheet change moved it.
 */
export async function refreshPages(
  readSheets: ReadPageSheets,
  pages: PageModel,
  changed: Iterable<{ year: string; page: number }>,
  hooks: { beforeWrite?: () => Promise<void> } = {},
): Promise<void> {
  const unique = new Map<string, { year: string; page: number }>();
  for (const p of changed) unique.set(pageKey(p.year, p.page), p);
  for (const { year, page } of unique.values()) {
    let doc = pageFrom(year, page, await readSheets({ year, page }));
    for (let round = 0; round < MAX_ROUNDS; round++) {
      await hooks.beforeWrite?.();
      const { key, ...fields } = doc;
      await upsertByKey(pages, key, fields);
      const again = pageFrom(year, page, await readSheets({ year, page }));
      if (again.cells === doc.cells) break;
      doc = again;
    }
  }
}

/**
 * Recomputes every page from the true sheets (as the sheet rebuild computed them) and writes
 * those that differ, missing ones included; a page with no sheet left is written empty.
 * Returns how many it corrected.
 */
export async function rebuildPages(
  pages: PageModel,
  truth: Iterable<PageSheet & { page: number }>,
  years: string[] | undefined,
): Promise<number> {
  const grouped = new Map<string, { year: string; page: number; sheets: PageSheet[] }>();
  for (const sheet of truth) {
    const key = pageKey(sheet.year, sheet.page);
    const entry = grouped.get(key);
    if (entry) entry.sheets.push(sheet);
    else grouped.set(key, { year: sheet.year, page: sheet.page, sheets: [sheet] });
  }
  const differing: PatrolPageDoc[] = [];
  const seen = new Set<string>();
  for (const filter of years ? years.map((year) => ({ year })) : [{}]) {
    const cursor = pages.find(filter, { _id: 0 }).lean<PatrolPageDoc[]>().cursor({ batchSize: 1000 });
    for await (const doc of cursor) {
      seen.add(doc.key);
      const entry = grouped.get(doc.key);
      const want = pageFrom(doc.year, doc.page, entry?.sheets ?? []);
      if (doc.cells !== want.cells) differing.push(want);
    }
  }
  const missing: PatrolPageDoc[] = [];
  for (const [key, { year, page, sheets }] of grouped) if (!seen.has(key)) missing.push(pageFrom(year, page, sheets));
  await writeRebuilt(pages, missing, differing);
  return missing.length + differing.length;
}

/**
 * Every sheet's counts of the given years, from the pages: one equality query per year,
 * a few thousand documents however many chiefs. Keyed as figureKey names the sheets.
 */
export async function readPagedCounts(
  connection: Connection,
  years: ReadonlyArray<number | string>,
): Promise<PackedCounts> {
  const pages = await pageModelOf(connection);
  const out = new PackedCounts();
  for (const year of new Set(years.map(String))) {
    const cursor = pages
      .find({ year }, { _id: 0, cells: 1, entries: 1 })
      .lean<Array<Pick<PatrolPageDoc, 'cells'> & LegacyPage>>()
      .cursor({ batchSize: 1000 });
    for await (const doc of cursor) {
      if (typeof doc.cells === 'string') out.addPage(doc.cells, year);
      else if (doc.entries) out.addEntries(doc.entries, `|${year}`);
    }
  }
  return out;
}

/** A page as written before encodePage: `duty\tpacked` lines (read until converted). */
interface LegacyPage {
  entries?: string;
}

/**
 * Rewrites pages written before encodePage (text lines with the chiefs' ids, three times the
 * bytes) in the compact form: each from its own lines, which were computed from its sheets.
 * Returns how many it rewrote.
 */
export async function convertLegacyPages(pages: PageModel): Promise<number> {
  const cursor = pages.collection.find(
    { entries: { $exists: true } },
    { projection: { _id: 0, key: 1, cells: 1, entries: 1 } },
  );
  let converted = 0;
  for await (const doc of cursor) {
    // Written again since (a change, a rebuild): its cells are current, its lines stale.
    if (typeof doc.cells === 'string') {
      await pages.collection.updateOne({ key: doc.key }, { $unset: { entries: '' } });
      continue;
    }
    const entries = typeof doc.entries === 'string' ? doc.entries : '';
    const lines = entries
      ? entries.split('\n').map((line) => {
          const tab = line.indexOf('\t');
          return { duty: line.slice(0, tab), packed: line.slice(tab + 1) };
        })
      : [];
    await pages.collection.updateOne({ key: doc.key }, { $set: { cells: encodePage(lines) }, $unset: { entries: '' } });
    converted++;
  }
  return converted;
}
