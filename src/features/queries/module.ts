import { meetingsCommand } from '../../chat/document-actions.js';
import { exportCommand, overdueCommand, registerQueryActions } from '../../chat/query-actions.js';
import { renderLedger } from '../../export/ledger-xlsx.js';
import { listCards } from '../../feishu/cards/list-cards.js';
import { QueryService } from '../../workflows/queries/query-service.js';
import type { FeatureModule } from '../feature.js';

/** Lists and ledgers: /会议, /导出, /逾期, and the standing queries other features answer with. */
export const queriesModule: FeatureModule<{ queries: QueryService }> = (infra) => {
  const { stores } = infra;
  const queries = new QueryService({
    directory: stores.directory,
    issues: stores.issues,
    patrols: stores.patrols,
    renderLedger,
    meetings: stores.meetings,
    documents: stores.documents,
    approvals: stores.approvals,
    sanctions: stores.sanctions,
    cards: listCards,
    clock: infra.clock,
    timeZone: infra.timeZone,
  });
  return {
    exports: { queries },
    commands: [meetingsCommand(queries), exportCommand(queries), overdueCommand(queries)],
    cardActions: (router) => registerQueryActions(router, queries),
  };
};
