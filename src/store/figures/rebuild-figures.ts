import type { Clock } from '../../domain/clock.js';
import type { Models } from '../models/index.js';
import { ProblemFigures } from './problem-figures.js';

/** What a rebuild found: per read model, how many sections it holds and how many were wrong. */
export interface FiguresRebuildReport {
  problems: { sections: number; corrected: number };
}

/**
 * Recomputes every read model from its source records and corrects what differs (`npm run
 * figures:rebuild`, the nightly `figures.rebuild` job, the upgrade that introduces them). A
 * correction means a change's own update was lost (a process killed between writing a record
 * and its figures), so the count is reported.
 */
export async function rebuildFigures(models: Models, clock: Clock): Promise<FiguresRebuildReport> {
  return { problems: await new ProblemFigures(models, clock).rebuild() };
}

/** The number of corrected sections over all read models. */
export function correctedIn(report: FiguresRebuildReport): number {
  return report.problems.corrected;
}
