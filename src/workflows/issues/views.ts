import type { IssueCategory, Urgency } from '../../domain/issues/issue.js';
import type { IssueAction, IssueState } from '../../domain/issues/lifecycle.js';
import type { Markdown } from '../markdown.js';
import type { CardJson } from '../ports.js';

/** What the problem cards show; presenters under feishu/cards turn these into Card JSON. */

export type IssueActionType = IssueAction['type'];

export interface IssueView {
  id: string;
  version: number;
  number: string;
  state: IssueState;
  waterBodyName?: string;
  townshipName?: string;
  place: string;
  description: string;
  category: IssueCategory;
  urgency: Urgency;
  sourceName: string;
  foundByName: string;
  /** `11月28日` */
  foundOn: string;
  assigneeName?: string;
  supervisorNames: string[];
  /** `12月13日` */
  deadline?: string;
  /** `剩14天`, `今日到期`, `已逾期2天` */
  deadlineStatus?: string;
  overdue: boolean;
  requirement?: string;
  pendingExtension?: { until: string; reason: string; byName: string };
  progress: Array<{ when: string; byName: string; note: string; photos: number }>;
  history: Array<{ when: string; byName: string; text: string }>;
  photos: number;
  /** The buttons the people this copy goes to may use now; whoever taps is checked then. */
  actions: IssueActionType[];
  /** This copy's unit returned the problem (责任退回) and does not have it again: `{ 金河镇, 12月2日 }`. */
  returned?: { unitName: string; on: string };
  /** People @-mentioned when the card goes to a group. */
  mentionOpenIds: string[];
}

export interface Option {
  value: string;
  label: string;
}

/** The form an action opens (交办, 申请销号, 退回整改 …). */
export interface IssueFormView {
  id: string;
  version: number;
  number: string;
  action: IssueActionType;
  /** Card markdown; a plain string is shown exactly as written. */
  summary: Markdown | string;
  /**
   * `2026-12-18`: the date picker's first value, never today: for 交办 the working days the
   * directory sets for the problem's urgency, for 延期 the current deadline plus the usual extension.
   */
  proposedDate: string;
  unitOptions: Option[];
  departmentOptions: Option[];
  returnWindowHours: number;
}

export interface RegisterFormView {
  district: string;
  waterOptions: Option[];
  townshipOptions: Option[];
}

/** 督办: a reminder before the deadline, or the overdue notice to the unit and its township chief. */
export interface SupervisionView {
  kind: 'dueSoon' | 'overdue';
  id: string;
  number: string;
  description: string;
  waterBodyName?: string;
  assigneeName: string;
  deadline: string;
  deadlineStatus: string;
  urgency: Urgency;
  mentionOpenIds: string[];
}

/** To the River Chief Office: a problem long overdue, with a suggested 提示 or 通报 to confirm. */
export interface EscalationView {
  noticeKey: string;
  issueId: string;
  number: string;
  description: string;
  waterBodyName?: string;
  assigneeName: string;
  deadline: string;
  daysOverdue: number;
  suggest: 'prompt' | 'bulletin';
  decided?: { outcome: 'prompt' | 'bulletin' | 'dismiss'; byName: string; on: string };
}

/** 报告…抄送区河长制办公室 (art. 8): the problem is closed. */
export interface ClosingReportView {
  number: string;
  waterBodyName?: string;
  place: string;
  description: string;
  sourceName: string;
  assigneeName: string;
  timeline: Array<{ when: string; text: string }>;
  onTime: boolean | undefined;
  verifierName: string;
  greetingOpenId?: string;
}

/** To the recorder of a withdrawn patrol: the problems registered from it, each to keep or withdraw. */
export interface WithdrawnPatrolProblemsView {
  /** `大渡河（金口河段） · 李某某` */
  subject: string;
  /** `11月23日` */
  patrolDate: string;
  problems: Array<{
    id: string;
    version: number;
    shortNumber: string;
    description: string;
    stateName: string;
    decision?: 'kept' | 'withdrawn';
  }>;
}

export interface IssueCardPresenter {
  issue(view: IssueView): CardJson;
  form(view: IssueFormView): CardJson;
  register(view: RegisterFormView): CardJson;
  supervision(view: SupervisionView): CardJson;
  escalation(view: EscalationView): CardJson;
  closingReport(view: ClosingReportView): CardJson;
  withdrawnPatrolProblems(view: WithdrawnPatrolProblemsView): CardJson;
}
