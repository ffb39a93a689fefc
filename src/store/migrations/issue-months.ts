import type { IssueStore } from '../issue-store.js';
import type { Migration } from './migration.js';

/** Month keys on problems registered before they were kept, which overviews group by. */
export function issueMonthsMigration(issues: Pick<IssueStore, 'backfillMonths'>): Migration {
  return {
    id: '2026-11-29-issue-months',
    run: async () => ({ changed: await issues.backfillMonths(), complete: true }),
  };
}
