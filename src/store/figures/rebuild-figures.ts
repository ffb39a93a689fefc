import type { Clock } from '../../domain/clock.js';
import type { Models } from '../models/index.js';
import { DocumentFigures } from './document-figures.js';
import { MeetingFigures } from './meeting-figures.js';
import { rebuildPatrolFigures } from './patrol-figures.js';
import { ProblemFigures } from './problem-figures.js';

/** What a rebuild found: per read model, how many sections it holds and how many were wrong. */
export interface FiguresRebuildReport {
  problems: { sections: number; corrected: number };
  /** The assessment's due facts (problem-due-facts.ts); corrected counts problems' month keys too. */
  due: { sections: number; corrected: number };
  meetings: { sections: number; corrected: number };
  /** Publications per month (/简报); corrected counts documents given their month too. */
  documents: { sections: number; corrected: number };
  /** Patrol fulfilment sheets corrected. */
  patrols: { corrected: number };
}

/**
 * Recomputes every read model from its source records and corrects what differs (`npm run
 * figures:rebuild`, the nightly `figures.rebuild` job, the upgrade that introduces them). A
 * correction means a change's own update was lost (a process killed between writing a record
 * and its figures), so the count is reported.
 */
export async function rebuildFigures(models: Models, clock: Clock, timeZone: string): Promise<FiguresRebuildReport> {
  const problems = new ProblemFigures(models, clock);
  return {
    problems: await problems.rebuild(),
    due: await problems.due.rebuild(),
    meetings: await new MeetingFigures(models, timeZone).rebuild(),
    documents: await new DocumentFigures(models, timeZone).rebuild(),
    patrols: { corrected: await rebuildPatrolFigures(models) },
  };
}

/** The number of corrected sections over all read models. */
export function correctedIn(report: FiguresRebuildReport): number {
  return (
    report.problems.corrected +
    report.due.corrected +
    report.meetings.corrected +
    report.documents.corrected +
    report.patrols.corrected
  );
}
