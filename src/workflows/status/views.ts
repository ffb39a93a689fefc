import type { CardJson } from '../ports.js';

/** `/状态` as plain data: the numbers and the series the charts draw. */
export interface StatusView {
  scope: string;
  asOf: string;
  patrols: Array<{ roleName: string; periodName: string; fulfilled: number; required: number; yearFulfilled: number; yearRequired: number }>;
  issues: { open: number; overdue: number; openedThisMonth: number; closedThisMonth: number; awaitingAssignment: number };
  decisions: { open: number; overdue: number; dueWithinWeek: number };
  approvalsWaiting: number;
  meetings: Array<{ when: string; title: string }>;
  charts: {
    /** Percent of duties fulfilled, per month and level. */
    patrolRates: Array<{ month: string; level: string; rate: number }>;
    issuesByMonth: Array<{ month: string; kind: '新增' | '销号'; count: number }>;
    openByTownship: Array<{ township: string; kind: '在办' | '逾期'; count: number }>;
  /** Messages the bot could not deliver in the last 7 days (未送达); set for office staff only. */
  undelivered?: number;
  };
}

/** The monthly digest (月度简报): the status, plus the month's notable items. */
export interface DigestView extends StatusView {
  month: string;
  notable: string[];
}

export interface StatusCardPresenter {
  digest(view: DigestView): CardJson;
  status(view: StatusView): CardJson;
}
