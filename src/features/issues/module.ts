import { issueCommand, progressCommand, registerCommand, registerIssueActions } from '../../chat/issue-actions.js';
import { IssueThreadReplies } from '../../chat/issue-thread.js';
import { issueCards } from '../../feishu/cards/issue-cards.js';
import { issueMonthsMigration } from '../../store/migrations/issue-months.js';
import type { IssueDeps } from '../../workflows/issues/issue-deps.js';
import { IssueService } from '../../workflows/issues/issue-service.js';
import { IssueSupervision } from '../../workflows/issues/supervision.js';
import { accountabilityModule } from '../accountability/module.js';
import type { FeatureModule } from '../feature.js';
import { queriesModule } from '../queries/module.js';

/** 问题交办、督办与销号: /登记, /进展, /问题, the problem card's buttons, thread replies, 督办. */
export const issuesModule: FeatureModule<{ issues: IssueService; supervision: IssueSupervision }> = (infra, use) => {
  const { stores } = infra;
  // One set of dependencies for the problem card's workflows, so a card looks the same whether a
  // tap or the supervision sweep drew it; each service keeps its own reference private.
  const deps: IssueDeps = {
    directory: stores.directory,
    issues: stores.issues,
    claims: stores.claims,
    patrols: stores.patrols,
    messenger: infra.messenger,
    cards: issueCards,
    clock: infra.clock,
    timeZone: infra.timeZone,
    logger: infra.logger.child({ component: 'issues' }),
  };
  const issues = new IssueService(deps);
  const { sanctions } = use(accountabilityModule);
  // A 督办 suggestion the office confirms becomes the 提示 or 通报 it proposed.
  const supervision = new IssueSupervision(deps, (notice, kind, by) => sanctions.fromSupervision(notice, kind, by));
  const { queries } = use(queriesModule);
  // Recomputes every problem section and reports how many it had to correct.
  const rebuildFigures = async () => ({ changed: (await stores.issues.figures.rebuild()).corrected, complete: true });
  return {
    exports: { issues, supervision },
    commands: [registerCommand(issues), progressCommand(issues), issueCommand(issues, queries)],
    cardActions: (router) => registerIssueActions(router, issues, supervision),
    messageHandlers: [new IssueThreadReplies(issues)],
    jobs: [
      {
        name: 'issue.supervision',
        // Steps fall due at the reminder hour; only problems whose next step is due are read.
        every: '*/10 * * * *',
        run: (dueAt) => supervision.sweep(dueAt),
      },
    ],
    // Districts upgrading from a version without the problem figures get them built once, after
    // the month keys they group by are filled in.
    migrations: [
      issueMonthsMigration(stores.issues),
      { id: '2026-problem-figures', run: rebuildFigures },
      // Open sections written before deadlines were packed are rewritten packed (the rebuild
      // counts them as corrections); until then they are read as they are.
      { id: '2026-12-02-packed-deadlines', run: rebuildFigures },
    ],
  };
};
