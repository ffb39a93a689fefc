import { keyProblemsCommand, patrolCommand, registerPatrolActions } from '../../chat/patrol-actions.js';
import { PatrolAttachments } from '../../chat/patrol-attachments.js';
import { patrolCards } from '../../feishu/cards/patrol-cards.js';
import { patrolFiguresMigration, patrolRollupsMigration } from '../../store/figures/patrol-figures.js';
import { patrolFigurePagesMigration, patrolPageCellsMigration } from '../../store/migrations/patrol-figure-pages.js';
import { patrolPeriodsMigration } from '../../store/migrations/patrol-periods.js';
import { PatrolService } from '../../workflows/patrols/patrol-service.js';
import type { FeatureModule } from '../feature.js';
import { issuesModule } from '../issues/module.js';
import { queriesModule } from '../queries/module.js';

/** 巡河: /巡河, /重难点, the patrol form and cards, photos sent in a patrol's thread, reminders. */
export const patrolsModule: FeatureModule<{ patrols: PatrolService }> = (infra, use) => {
  const { stores } = infra;
  const { issues } = use(issuesModule);
  const patrols = new PatrolService({
    directory: stores.directory,
    patrols: stores.patrols,
    messenger: infra.messenger,
    cards: patrolCards,
    clock: infra.clock,
    timeZone: infra.timeZone,
    logger: infra.logger.child({ component: 'patrols' }),
    // Problems found on a patrol are registered as problems; withdrawing it offers to withdraw them.
    onProblems: (patrol) => issues.reportFromPatrol(patrol),
    onWithdrawn: (patrolKey) => issues.offerWithdrawal(patrolKey),
  });
  const { queries } = use(queriesModule);
  return {
    exports: { patrols },
    commands: [patrolCommand(patrols, queries), keyProblemsCommand(patrols)],
    cardActions: (router) => registerPatrolActions(router, patrols),
    messageHandlers: [new PatrolAttachments(patrols)],
    jobs: [
      {
        name: 'patrol.reminders',
        // Stages fall due at 09:00 local; a ten-minute sweep sends them soon after, on working days.
        every: '*/10 * * * *',
        run: (dueAt) => patrols.sweep(dueAt),
      },
    ],
    migrations: [
      patrolPeriodsMigration(stores.directory, stores.patrols, infra.timeZone),
      // Patrols recorded before the figures existed: build them once on upgrade, or the first
      // sweep would see no patrols and remind every chief.
      patrolFiguresMigration(infra.models),
      // Rollups of the sheets above, for databases whose sheets were built before them.
      patrolRollupsMigration(infra.models),
      // The sweep's pages and the office's rollup groups, for databases built before them.
      patrolFigurePagesMigration(infra.models),
      // Those pages in their compact form, for databases whose pages were written before it.
      patrolPageCellsMigration(infra.models),
    ],
  };
};
