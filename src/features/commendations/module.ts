import { commendationCommand, incentiveCommand, registerPlanActions } from '../../chat/approval-actions.js';
import { planCards } from '../../feishu/cards/plan-cards.js';
import { PlanService } from '../../workflows/commendations/plan-service.js';
import { approvalsModule } from '../approvals/module.js';
import type { FeatureModule } from '../feature.js';

/** 表彰与激励: /表彰, /激励 and their plan forms, approved on the chain. */
export const commendationsModule: FeatureModule<{ plans: PlanService }> = (infra, use) => {
  const { stores } = infra;
  const plans = new PlanService({
    directory: stores.directory,
    approvals: stores.approvals,
    chain: use(approvalsModule).approvals,
    cards: planCards,
    clock: infra.clock,
    timeZone: infra.timeZone,
  });
  const now = () => infra.clock.now();
  return {
    exports: { plans },
    commands: [commendationCommand(plans, infra.timeZone, now), incentiveCommand(plans, infra.timeZone, now)],
    cardActions: (router) => registerPlanActions(router, plans),
  };
};
