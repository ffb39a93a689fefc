import { CardActionRouter } from '../chat/card-actions.js';
import { accountabilityModule } from './accountability/module.js';
import { approvalsModule } from './approvals/module.js';
import { assessmentModule } from './assessment/module.js';
import { commendationsModule } from './commendations/module.js';
import { deliveryModule } from './delivery/module.js';
import { directoryModule } from './directory/module.js';
import { buildFeatures, type FeatureModule, type Infrastructure } from './feature.js';
import { helpModule } from './help/module.js';
import { inspectionsModule } from './inspections/module.js';
import { issuesModule } from './issues/module.js';
import { meetingsModule } from './meetings/module.js';
import { patrolsModule } from './patrols/module.js';
import { queriesModule } from './queries/module.js';
import { statusModule } from './status/module.js';

/**
 * Every feature, in the order /帮助 lists their commands and their message handlers are
 * tried (a file or a thread reply goes to the first handler that takes it: the directory's,
 * which answers any file sent directly, comes after those that take particular files).
 * Help comes last: it lists what the others registered.
 */
export const FEATURES: readonly FeatureModule[] = [
  statusModule,
  patrolsModule,
  issuesModule,
  meetingsModule,
  queriesModule,
  accountabilityModule,
  inspectionsModule,
  approvalsModule,
  assessmentModule,
  commendationsModule,
  deliveryModule,
  directoryModule,
  helpModule,
];

/**
 * Builds every feature and puts what each contributes in its place: commands in the
 * registry, buttons on a router, message handlers, jobs and migrations in lists. Returns the
 * services the running bot exposes to local mode, tests and benches.
 */
export function composeFeatures(infra: Infrastructure) {
  const { features, use } = buildFeatures(infra, FEATURES);
  const cardActions = new CardActionRouter(infra.messenger, infra.stores.claims);
  for (const feature of features) {
    for (const command of feature.commands ?? []) infra.commands.register(command);
    feature.cardActions?.(cardActions);
  }
  return {
    cardActions,
    messageHandlers: features.flatMap((f) => f.messageHandlers ?? []),
    jobs: features.flatMap((f) => f.jobs ?? []),
    migrations: features.flatMap((f) => f.migrations ?? []),
    services: {
      ...use(statusModule),
      ...use(patrolsModule),
      ...use(issuesModule),
      ...use(meetingsModule),
      ...use(queriesModule),
      ...use(accountabilityModule),
      ...use(inspectionsModule),
      ...use(approvalsModule),
      ...use(assessmentModule),
      ...use(commendationsModule),
      ...use(deliveryModule),
    },
  };
}

export type ComposedFeatures = ReturnType<typeof composeFeatures>;
export type FeatureServices = ComposedFeatures['services'];
