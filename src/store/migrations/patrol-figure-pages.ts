import { type PatrolFigureSource, rebuildPatrolFigures } from '../figures/patrol-figures.js';
import type { Migration } from './migration.js';

/**
 * The sweep's pages (of sheets and of 已安排 plans) and the office's rollup groups (issue 18),
 * for databases whose sheets, plans and rollups were written before them: a rebuild, once,
 * which also puts each existing sheet and plan on its page and each rollup in its group. Without it the sweep would see no patrols (and remind
 * every chief) and the office's /状态 would count nothing until the nightly rebuild. Safe to
 * run twice.
 */
export function patrolFigurePagesMigration(models: PatrolFigureSource): Migration {
  return {
    id: '2026-12-03-patrol-figure-pages',
    run: async () => ({ changed: await rebuildPatrolFigures(models), complete: true }),
  };
}
