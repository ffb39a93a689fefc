import { deadlinesOf, isTimed, OPEN_STATES } from './problem-buckets.js';
import type { ProblemOpenDoc } from './problem-figure-model.js';

/** Overdue at an instant in one unit's part: problems, and decisions (议定事项) apart. */
export interface OverdueCount {
  problems: number;
  decisions: number;
}

/**
 * Per assigned unit, how many problems and decisions are past their deadline at `now`,
 * counted from the open sections a viewer sees (each one's deadlines with their numbers), so
 * /逾期's figures hold however many there are, not only the problems it names.
 */
export function overdueByUnit(
  open: Array<Pick<ProblemOpenDoc, 'assigneeUnit' | 'open'>>,
  now: Date,
): Map<string, OverdueCount> {
  const out = new Map<string, OverdueCount>();
  for (const doc of open) {
    for (const state of OPEN_STATES) {
      if (!isTimed(state)) continue;
      for (const x of deadlinesOf(doc.open?.[state])) {
        if (x.at.getTime() >= now.getTime()) continue;
        const unit = doc.assigneeUnit ?? '';
        const entry = out.get(unit) ?? { problems: 0, decisions: 0 };
        entry.problems += x.n - x.d;
        entry.decisions += x.d;
        out.set(unit, entry);
      }
    }
  }
  return out;
}
