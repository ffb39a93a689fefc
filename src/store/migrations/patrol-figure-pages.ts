import { type PatrolFigureSource, rebuildPatrolFigures } from '../figures/patrol-figures.js';
import { convertLegacyPages, pageModelOf } from '../figures/patrol-pages.js';
import { rebuildPlanPages } from '../figures/patrol-plan-pages.js';
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

/**
 * The sweep's pages in their compact form (hashes and binary counts instead of ids in text,
 * a third of the bytes the sweep reads): each page written before is converted from its own
 * lines. And every 已安排 plan on its period's page, those kept before periods were stored
 * included: the sweep reads plans from pages only. Safe to run twice.
 */
export function patrolPageCellsMigration(models: PatrolFigureSource): Migration {
  return {
    id: '2026-12-04-patrol-page-cells',
    run: async () => ({
      changed:
        (await convertLegacyPages(await pageModelOf(models.patrols.db))) + (await rebuildPlanPages(models.patrolPlans)),
      complete: true,
    }),
  };
}
