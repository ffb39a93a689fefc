import type { ApprovalKind, Position, StepKind } from './chain.js';

export interface ApprovalHistoryLine {
  at: Date;
  by: string;
  action: 'submit' | 'pass' | 'return';
  /** The step acted on (none for a submission). */
  step?: StepKind;
  comment?: string;
}

/**
 * A record going through an approval chain: the assessment of a year, a commendation plan
 * and list, an incentive plan. `content` is what was submitted, frozen while it is reviewed.
 */
export interface Approval<C = unknown> {
  id: string;
  kind: ApprovalKind;
  year: number;
  title: string;
  position: Position;
  content: C;
  number?: string;
  publishedAt?: Date;
  history: ApprovalHistoryLine[];
  lastReturn?: { by: string; at: Date; comment: string; step: StepKind };
  createdBy: string;
  createdAt: Date;
  version: number;
}
