import {
  admonitionCommand,
  bulletinCommand,
  promptCommand,
  registerSanctionActions,
} from '../../chat/sanction-actions.js';
import { sanctionCards } from '../../feishu/cards/sanction-cards.js';
import { SanctionService } from '../../workflows/accountability/sanction-service.js';
import { approvalsModule } from '../approvals/module.js';
import type { FeatureModule } from '../feature.js';

/** 提示、通报、约谈: /提示, /通报, /约谈, their buttons and their reminders. */
export const accountabilityModule: FeatureModule<{ sanctions: SanctionService }> = (infra, use) => {
  const { stores } = infra;
  const sanctions = new SanctionService({
    directory: stores.directory,
    sanctions: stores.sanctions,
    issues: stores.issues,
    messenger: infra.messenger,
    cards: sanctionCards,
    clock: infra.clock,
    timeZone: infra.timeZone,
    logger: infra.logger.child({ component: 'sanctions' }),
  });
  const { approvals } = use(approvalsModule);
  return {
    exports: { sanctions },
    commands: [promptCommand(sanctions), bulletinCommand(sanctions), admonitionCommand(sanctions)],
    cardActions: (router) => registerSanctionActions(router, sanctions),
    jobs: [
      {
        name: 'accountability.reminders',
        // Review days and approval reminders fall due at the reminder hour; a publication cut
        // short is finished within minutes.
        every: '*/10 * * * *',
        run: async (dueAt) => ({
          reviews: await sanctions.sweep(dueAt),
          approvals: await approvals.sweep(dueAt),
        }),
      },
    ],
  };
};
