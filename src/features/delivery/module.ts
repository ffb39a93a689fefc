import { undeliveredCard } from '../../feishu/cards/undelivered-card.js';
import { UndeliveredDigest } from '../../workflows/delivery/undelivered-digest.js';
import type { FeatureModule } from '../feature.js';

/** 未送达: the daily card to the River Chief Office listing messages Feishu refused. */
export const deliveryModule: FeatureModule<{ undelivered: UndeliveredDigest }> = (infra) => {
  const undelivered = new UndeliveredDigest({
    failures: infra.outbox,
    directory: infra.stores.directory,
    messenger: infra.messenger,
    render: undeliveredCard,
    timeZone: infra.timeZone,
    logger: infra.logger.child({ component: 'undelivered' }),
  });
  return {
    exports: { undelivered },
    jobs: [
      {
        name: 'delivery.undelivered',
        // It goes out at the reminder hour of a working day; hourly finds that hour soon enough.
        every: '15 * * * *',
        run: (dueAt) => undelivered.sendIfDue(dueAt),
      },
    ],
  };
};
