import { issueCards } from '../../src/feishu/cards/issue-cards.js';
import { IssueService } from '../../src/workflows/issues/issue-service.js';
import type { WorkflowWorld } from '../helpers/workflow-world.js';

/** The problem workflow over a world's stores and messenger, with the real card presenter. */
export function issueService(world: WorkflowWorld): IssueService {
  return new IssueService({
    directory: world.stores.directory,
    issues: world.stores.issues,
    claims: world.stores.claims,
    patrols: world.stores.patrols,
    messenger: world.messenger,
    cards: issueCards,
    clock: world.clock,
    timeZone: world.timeZone,
    logger: world.logger,
  });
}
