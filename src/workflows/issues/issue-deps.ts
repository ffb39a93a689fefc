import type { Clock } from '../../domain/clock.js';
import type { Logger } from '../../log/logger.js';
import type { ClaimStore } from '../../store/claim-store.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { IssueStore } from '../../store/issue-store.js';
import type { PatrolStore } from '../../store/patrol-store.js';
import type { Messenger } from '../ports.js';
import type { IssueCardPresenter } from './views.js';

/**
 * What the problem workflows are built on. The issues feature module builds it once and hands
 * it to IssueService and IssueSupervision, each of which keeps it to itself.
 */
export interface IssueDeps {
  directory: DirectoryStore;
  issues: IssueStore;
  claims: ClaimStore;
  /** The patrols problems were registered from: whether one was withdrawn, and by whom it was entered. */
  patrols: Pick<PatrolStore, 'findByKey'>;
  messenger: Messenger;
  cards: IssueCardPresenter;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}
