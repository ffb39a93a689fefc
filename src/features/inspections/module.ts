import { inspectionCommand, registerInspectionActions } from '../../chat/inspection-actions.js';
import { inspectionCards } from '../../feishu/cards/inspection-cards.js';
import { InspectionStore } from '../../store/inspection-store.js';
import { InspectionService } from '../../workflows/inspections/inspection-service.js';
import type { FeatureModule } from '../feature.js';
import { issuesModule } from '../issues/module.js';

/** 督查: /督查, the inspection card, and the problems it hands to towns. */
export const inspectionsModule: FeatureModule<{ inspections: InspectionService }> = (infra, use) => {
  const { stores } = infra;
  const inspections = new InspectionService({
    directory: stores.directory,
    inspections: new InspectionStore(infra.models),
    issueStore: stores.issues,
    issues: use(issuesModule).issues,
    messenger: infra.messenger,
    cards: inspectionCards,
    clock: infra.clock,
    timeZone: infra.timeZone,
    logger: infra.logger.child({ component: 'inspections' }),
  });
  return {
    exports: { inspections },
    commands: [inspectionCommand(inspections)],
    cardActions: (router) => registerInspectionActions(router, inspections),
  };
};
