import type { ProblemDueFacts } from '../figures/problem-due-facts.js';
import type { Migration } from './migration.js';

/**
 * The assessment's due facts for problems registered before they were kept: each problem's
 * `dueMonth` filled in and every section built from a scan, once, at the first start of a
 * version that keeps them (before it, the assessment would find no problem due). Safe to run
 * twice; the nightly rebuild keeps repairing afterwards.
 */
export function problemDueFactsMigration(due: Pick<ProblemDueFacts, 'rebuild'>): Migration {
  return {
    id: '2026-12-02-problem-due-facts',
    run: async () => ({ changed: (await due.rebuild()).corrected, complete: true }),
  };
}
