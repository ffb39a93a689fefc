import type { CardJson } from '../ports.js';

/** `/状态` as plain data: the numbers and the series the charts draw. */
export interface StatusView {
  scope: string;
  asOf: string;
  /** 本月 now; 11月 in the digest for November. */
  monthName: string;
  /** 本年 now; 2026年 in a digest. */
  yearName: string;
  /** 自启用日（12月2日）起 when the go-live day cuts the year's figures; empty otherwise. */
  goLiveNote: string;
  patrols: Array<{
    roleName: string;
    periodName: string;
    fulfilled: number;
    required: number;
    yearFulfilled: number;
    yearRequired: number;
  }>;
  issues: {
    open: number;
    overdue: number;
    openedThisMonth: number;
    closedThisMonth: number;
    awaitingAssignment: number;
  };
  decisions: { open: number; overdue: number; dueWithinWeek: number };
  approvalsWaiting: number;
  /** Messages the bot could not deliver in the last 7 days (未送达); set for office staff only. */
  undelivered?: number;
  meetings: Array<{ when: string; title: string }>;
  charts: {
    /** Percent of duties fulfilled, per month and level. */
    patrolRates: Array<{ month: string; level: string; rate: number }>;
    issuesByMonth: Array<{ month: string; kind: '新增' | '销号'; count: number }>;
    openByTownship: Array<{ township: string; kind: '在办' | '逾期'; count: number }>;
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
