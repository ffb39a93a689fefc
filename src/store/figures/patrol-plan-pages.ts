import { type Connection, Schema } from 'mongoose';
import { bulkWriteInSlices } from '../bulk-write.js';
import type { PatrolModels, PatrolPlanDoc } from '../models/patrol.js';
import { selfIndexedModel } from '../models/per-connection.js';
import { upsertByKey } from '../mongo-errors.js';
import { writeRebuilt } from './rebuilt-writes.js';
import { stableHash } from './stable-hash.js';

/**
 * The 已安排 plans of a period packed into pages for the reminder sweep (issue 18), as the
 * sheets are (see patrol-pages): per period, one document per page holding the planned day
 * of every plan on it. With one chief in twenty planning, a country's plans of a month are
 * about 60,000 documents, 12 seconds or more to read one by one on the embedded database; the
 * pages are PLAN_PAGES documents at most.
 *
 * A plan's page is a hash of its key, stored on the plan, so a page's plans are found by
 * equality ({periodKey, page}); a page is written whole, recomputed from its plans after a
 * plan changed, and read again until stable; the nightly rebuild recomputes every page.
 */
export const PLAN_PAGES = 1024;

export interface PatrolPlanPageDoc {
  /** `periodKey|page`. */
  key: string;
  periodKey: string;
  page: number;
  /** One line per plan, ascending: its key, a tab, the planned day (`2026-11-30`); joined by `\n`. */
  entries: string;
}

const PlanPageSchema = new Schema<PatrolPlanPageDoc>(
  {
    key: { type: String, required: true },
    periodKey: { type: String, required: true },
    page: { type: Number, required: true },
    entries: { type: String, default: '' },
  },
  { versionKey: false, minimize: false, id: false, collection: 'patrol_plan_pages' },
);
PlanPageSchema.index({ key: 1 }, { unique: true });
PlanPageSchema.index({ periodKey: 1 });

const planPageModelOf = selfIndexedModel('PatrolPlanPage', PlanPageSchema);

/** The page of a plan, by its key (`<duty key>:<period key>`). */
export function planPageOf(planKey: string): number {
  return stableHash(planKey) % PLAN_PAGES;
}

type PlanLine = Pick<PatrolPlanDoc, 'key' | 'plannedDay'>;

/** The page its plans make. Pure. */
export function planPageFrom(periodKey: string, page: number, plans: Iterable<PlanLine>): PatrolPlanPageDoc {
  const lines = [...plans].map((p) => `${p.key}\t${p.plannedDay}`).sort();
  return { key: `${periodKey}|${page}`, periodKey, page, entries: lines.join('\n') };
}

const MAX_ROUNDS = 5;

/**
 * Recomputes the page of a plan just written, from the page's plans by equality; written,
 * then recomputed again and rewritten if a concurrent plan moved it.
 */
export async function refreshPlanPage(
  plans: PatrolModels['patrolPlans'],
  periodKey: string,
  page: number,
  hooks: { beforeWrite?: () => Promise<void> } = {},
): Promise<void> {
  const pages = await planPageModelOf(plans.db);
  const read = async () =>
    planPageFrom(
      periodKey,
      page,
      await plans.find({ periodKey, page }, { _id: 0, key: 1, plannedDay: 1 }).lean<PlanLine[]>().exec(),
    );
  let doc = await read();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    await hooks.beforeWrite?.();
    const { key, ...fields } = doc;
    await upsertByKey(pages, key, fields);
    const again = await read();
    if (again.entries === doc.entries) break;
    doc = again;
  }
}

/** The planned days of whole periods, by plan key, from the pages: one equality query per period. */
export async function readPlanPages(
  connection: Connection,
  periodKeys: readonly string[],
): Promise<Map<string, string>> {
  const pages = await planPageModelOf(connection);
  const out = new Map<string, string>();
  const parts = await Promise.all(
    [...new Set(periodKeys)].map((periodKey) =>
      pages.find({ periodKey }, { _id: 0, entries: 1 }).lean<Array<Pick<PatrolPlanPageDoc, 'entries'>>>().exec(),
    ),
  );
  for (const doc of parts.flat()) {
    if (!doc.entries) continue;
    for (const line of doc.entries.split('\n')) {
      const tab = line.indexOf('\t');
      if (tab > 0) out.set(line.slice(0, tab), line.slice(tab + 1));
    }
  }
  return out;
}

/** A plan's period, from its key (`<duty key>:<period key>`), as setPlan stores it. */
function periodOfPlanKey(planKey: string): string {
  return planKey.slice(planKey.lastIndexOf(':') + 1);
}

/**
 * Puts every plan on its period's page (plans kept before pages existed have none, plans kept
 * before periods were stored have no period either: the sweep reads only pages, never plans)
 * and recomputes every page, correcting those that differ. Returns how many plans and pages
 * it corrected.
 */
export async function rebuildPlanPages(plans: PatrolModels['patrolPlans']): Promise<number> {
  const pages = await planPageModelOf(plans.db);
  const grouped = new Map<string, { periodKey: string; page: number; plans: PlanLine[] }>();
  const unpaged: Array<{ key: string; page: number; periodKey: string }> = [];
  const cursor = plans
    .find({}, { _id: 0, key: 1, periodKey: 1, plannedDay: 1, page: 1 })
    .lean<Array<PatrolPlanDoc & { page?: number | null }>>()
    .cursor({ batchSize: 5000 });
  for await (const plan of cursor) {
    const periodKey = plan.periodKey || periodOfPlanKey(plan.key);
    const page = planPageOf(plan.key);
    if (plan.page !== page || plan.periodKey !== periodKey) unpaged.push({ key: plan.key, page, periodKey });
    const key = `${periodKey}|${page}`;
    const entry = grouped.get(key);
    if (entry) entry.plans.push(plan);
    else grouped.set(key, { periodKey, page, plans: [plan] });
  }
  for (let i = 0; i < unpaged.length; i += 1000) {
    await bulkWriteInSlices(
      plans,
      unpaged
        .slice(i, i + 1000)
        .map(({ key, page, periodKey }) => ({ updateOne: { filter: { key }, update: { $set: { page, periodKey } } } })),
    );
  }
  const differing: PatrolPlanPageDoc[] = [];
  const seen = new Set<string>();
  for await (const doc of pages.find({}, { _id: 0 }).lean<PatrolPlanPageDoc[]>().cursor({ batchSize: 1000 })) {
    seen.add(doc.key);
    const want = planPageFrom(doc.periodKey, doc.page, grouped.get(doc.key)?.plans ?? []);
    if (want.entries !== doc.entries) differing.push(want);
  }
  const missing: PatrolPlanPageDoc[] = [];
  for (const [key, { periodKey, page, plans: list }] of grouped)
    if (!seen.has(key)) missing.push(planPageFrom(periodKey, page, list));
  await writeRebuilt(pages, missing, differing);
  return unpaged.length + missing.length + differing.length;
}
