import { registerApprovalActions } from '../../chat/approval-actions.js';
import { approvalCards } from '../../feishu/cards/approval-cards.js';
import { ApprovalService } from '../../workflows/approvals/approval-service.js';
import { assessmentModule } from '../assessment/module.js';
import type { FeatureModule } from '../feature.js';

/** Approval chains (审核、审议、审定) for the assessment, plans and reports: their buttons. */
export const approvalsModule: FeatureModule<{ approvals: ApprovalService }> = (infra, use) => {
  const { stores } = infra;
  const approvals = new ApprovalService({
    directory: stores.directory,
    approvals: stores.approvals,
    documents: stores.documents,
    messenger: infra.messenger,
    cards: approvalCards,
    clock: infra.clock,
    timeZone: infra.timeZone,
    logger: infra.logger.child({ component: 'approvals' }),
  });
  return {
    exports: { approvals },
    // The chain's buttons share a registration with the assessment's export; the assessment
    // builds on the chain, so it is asked for only once every feature is built.
    cardActions: (router) => registerApprovalActions(router, approvals, use(assessmentModule).assessment),
  };
};
