import { type Connection, Schema } from 'mongoose';
import type { ApprovalHistoryLine } from '../../domain/approvals/approval.js';
import type { ApprovalKind, StepKind } from '../../domain/approvals/chain.js';
import { perConnection } from './per-connection.js';

/** Assessments, commendations and incentive plans on their approval chain. `_id` is the key. */
export interface ApprovalDoc {
  _id: string;
  kind: ApprovalKind;
  year: number;
  title: string;
  position: number;
  content: unknown;
  number: string | null;
  publishedAt: Date | null;
  history: ApprovalHistoryLine[];
  lastReturn: { by: string; at: Date; comment: string; step: StepKind } | null;
  /** Outbox keys of every copy of its card, to update them all on a change. */
  cardKeys: string[];
  createdBy: string;
  createdAt: Date;
  version: number;
}

/** A scoring scheme the office uploaded: for one year, or (year null) for every year after. */
export interface AssessmentSchemeDoc {
  _id: string;
  year: number | null;
  scheme: unknown;
  fileName: string;
  uploadedBy: string;
  uploadedAt: Date;
}

const options = { versionKey: false as const, minimize: false, id: false };

const ApprovalSchema = new Schema<ApprovalDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    year: { type: Number, required: true },
    title: { type: String, required: true },
    position: { type: Number, required: true },
    content: { type: Schema.Types.Mixed, default: null },
    number: { type: String, default: null },
    publishedAt: { type: Date, default: null },
    history: { type: Schema.Types.Mixed, default: [] },
    lastReturn: { type: Schema.Types.Mixed, default: null },
    cardKeys: { type: [String], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { ...options, collection: 'approvals' },
);
// The reminder job reads the records still on their chain.
ApprovalSchema.index({ number: 1, position: 1 });

const AssessmentSchemeSchema = new Schema<AssessmentSchemeDoc>(
  {
    _id: { type: String, required: true },
    year: { type: Number, default: null },
    scheme: { type: Schema.Types.Mixed, required: true },
    fileName: { type: String, default: '' },
    uploadedBy: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
  },
  { ...options, collection: 'assessment_schemes' },
);

function build(connection: Connection) {
  return {
    approvals: connection.model('Approval', ApprovalSchema),
    assessmentSchemes: connection.model('AssessmentScheme', AssessmentSchemeSchema),
  };
}

export type ApprovalModels = ReturnType<typeof build>;

export const approvalModels = perConnection(build);
