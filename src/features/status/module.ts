import { digestCommand, statusCommand } from '../../chat/status-command.js';
import { statusCards } from '../../feishu/cards/status-cards.js';
import { correctedIn, rebuildFigures } from '../../store/figures/rebuild-figures.js';
import { MonthlyDigest } from '../../workflows/status/monthly-digest.js';
import { StatusService } from '../../workflows/status/status-service.js';
import type { FeatureModule } from '../feature.js';

/** 一览 and the monthly digest: /状态, /简报, and the digest sent on the month's first working day. */
export const statusModule: FeatureModule<{ status: StatusService; digest: MonthlyDigest }> = (infra) => {
  const { stores } = infra;
  const status = new StatusService({
    directory: stores.directory,
    patrols: stores.patrols,
    issues: stores.issues,
    meetings: stores.meetings,
    documents: stores.documents,
    cards: statusCards,
    clock: infra.clock,
    timeZone: infra.timeZone,
    undelivered: infra.outbox,
    patrolFigures: infra.models,
  });
  const digest = new MonthlyDigest({
    status,
    directory: stores.directory,
    issues: stores.issues,
    documents: stores.documents,
    meetings: stores.meetings,
    cards: statusCards,
    messenger: infra.messenger,
    clock: infra.clock,
    timeZone: infra.timeZone,
  });
  return {
    exports: { status, digest },
    commands: [statusCommand(status), digestCommand(digest)],
    jobs: [
      {
        name: 'status.digest',
        // Hourly is enough: it goes out at the reminder hour of the month's first working day.
        every: '5 * * * *',
        run: (dueAt) => digest.sendIfDue(dueAt),
      },
      {
        name: 'figures.rebuild',
        // Nightly: recomputes every read model from its records and reports what it corrected.
        every: '40 2 * * *',
        run: async () => {
          const report = await rebuildFigures(infra.models, infra.clock, infra.timeZone);
          const corrected = correctedIn(report);
          if (corrected > 0) infra.logger.warn({ report }, 'figures rebuild corrected read-model sections');
          else infra.logger.info({ report }, 'figures rebuild found every read model correct');
          return report;
        },
      },
    ],
  };
};
