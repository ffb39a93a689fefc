import { contains, type Period } from '../time/period.js';

/**
 * A duty's patrols as the rules count them: the patrol times themselves, or (from the read
 * model, which keeps a count per month, quarter and year) how many fall in a given period.
 * The rules only ever ask "how many in this period", so both answer them alike.
 */
export type PatrolCounts = readonly Date[] | { countIn(period: Period): number };

/** How many of the duty's patrols are dated inside the period. */
export function countIn(patrols: PatrolCounts, period: Period): number {
  if ('countIn' in patrols) return patrols.countIn(period);
  let n = 0;
  for (const t of patrols) if (contains(period, t)) n++;
  return n;
}
