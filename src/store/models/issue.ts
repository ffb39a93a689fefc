import { type Connection, Schema } from 'mongoose';
import type { IssueCategory, IssueHistoryLine, IssueSourceKind, Urgency } from '../../domain/issues/issue.js';
import type { IssueState } from '../../domain/issues/lifecycle.js';
import { perConnection } from './per-connection.js';

/**
 * One problem (问题). `version` moves with every state change; see IssueHistoryDoc for why
 * that is safe. `_id` is the key: on the embedded FerretDB only `_id` lookups avoid reading
 * the whole collection, so every per-problem read and write goes by it.
 */
export interface IssueDoc {
  _id: string;
  key: string;
  year: number;
  seq: number;
  number: string;
  waterBodyId: string | null;
  townshipId: string | null;
  place: string;
  description: string;
  category: IssueCategory;
  urgency: Urgency;
  photos: string[];
  source: { kind: IssueSourceKind; ref: string | null };
  foundBy: string;
  foundAt: Date;
  reportedBy: string;
  chiefId: string | null;
  state: IssueState;
  version: number;
  assigneeUnit: string | null;
  supervisorUnits: string[];
  deadline: Date | null;
  requirement: string | null;
  assignedAt: Date | null;
  deadlineSetAt: Date | null;
  pendingExtension: { until: Date; reason: string; by: string } | null;
  progress: Array<{ at: Date; by: string; note: string; photos: string[] }>;
  closedAt: Date | null;
  /** Local month keys (`2026-11`) of registration and closing, so overviews group on the database. */
  createdMonth?: string | null;
  closedMonth?: string | null;
  /** The month its deadline's section is keyed by (see figures/problem-due-facts.ts), for the assessment's facts. */
  dueMonth?: string | null;
  /** Closed by its deadline (for the on-time rate). */
  closedOnTime: boolean | null;
  /** Outbox keys of every copy of its card, so a change updates them all. */
  cardKeys: string[];
  /** Every change, in order, kept on the problem so its card needs no second read. */
  history: IssueHistoryLine[];
  /** When the supervision sweep should next look at it; null when nothing is pending. */
  nextSupervisionAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One change to a problem. `claim` is unique: `<issue>@<version it started from>` for a state
 * change, `<issue>#<event>` for a progress note. Inserting the entry is the atomic claim that
 * makes exactly one of two simultaneous taps win, on MongoDB and on FerretDB alike (whose
 * conditional updates are not atomic); the problem document is updated after it. `after`
 * holds the resulting state, so a crash between the two writes is repaired on the next read.
 */
export interface IssueHistoryDoc {
  /** The claim is the `_id`: unique on every server, and the cheapest lookup on FerretDB. */
  _id: string;
  issueKey: string;
  version: number;
  at: Date;
  by: string;
  action: IssueHistoryLine['action'];
  from: IssueState;
  to: IssueState;
  note: string | null;
  photos: string[];
  /** The line's facts of the time (unit, deadlines); absent on entries written before they were kept. */
  facts?: IssueHistoryLine['facts'];
  after: Record<string, unknown> | null;
}

/** 提示 / 通报 suggested by the overdue ladder, and the office's decision on it. */
export interface SupervisionNoticeDoc {
  _id: string;
  key: string;
  issueKey: string;
  unitId: string;
  suggest: 'prompt' | 'bulletin';
  reason: string;
  createdAt: Date;
  status: 'suggested' | 'confirmed' | 'dismissed';
  decidedBy: string | null;
  decidedAt: Date | null;
}

const options = { versionKey: false, minimize: false, id: false } as const;
const Mixed = Schema.Types.Mixed;

const IssueSchema = new Schema<IssueDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    year: { type: Number, required: true },
    seq: { type: Number, required: true },
    number: { type: String, required: true },
    waterBodyId: { type: String, default: null },
    townshipId: { type: String, default: null },
    place: { type: String, default: '' },
    description: { type: String, required: true },
    category: { type: String, required: true },
    urgency: { type: String, required: true },
    photos: { type: [String], default: [] },
    source: { type: Mixed, required: true },
    foundBy: { type: String, required: true },
    foundAt: { type: Date, required: true },
    reportedBy: { type: String, required: true },
    chiefId: { type: String, default: null },
    state: { type: String, required: true },
    version: { type: Number, required: true },
    assigneeUnit: { type: String, default: null },
    supervisorUnits: { type: [String], default: [] },
    deadline: { type: Date, default: null },
    requirement: { type: String, default: null },
    assignedAt: { type: Date, default: null },
    deadlineSetAt: { type: Date, default: null },
    pendingExtension: { type: Mixed, default: null },
    progress: { type: Mixed, default: [] },
    closedAt: { type: Date, default: null },
    createdMonth: { type: String, default: null },
    closedMonth: { type: String, default: null },
    dueMonth: { type: String, default: null },
    closedOnTime: { type: Boolean, default: null },
    cardKeys: { type: [String], default: [] },
    history: { type: Mixed, default: [] },
    nextSupervisionAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'issues' },
);
// The readable number; also how the next number is found (highest seq of the year).
IssueSchema.index({ year: 1, seq: 1 }, { unique: true });
// Open / overdue lists by water body, unit, township and chief; state first, then age or deadline.
IssueSchema.index({ state: 1, deadline: 1 });
IssueSchema.index({ waterBodyId: 1, state: 1, createdAt: 1 });
IssueSchema.index({ assigneeUnit: 1, state: 1, deadline: 1 });
IssueSchema.index({ townshipId: 1, state: 1, createdAt: 1 });
IssueSchema.index({ chiefId: 1, state: 1, createdAt: 1 });
// Rates per unit and period.
IssueSchema.index({ assigneeUnit: 1, assignedAt: 1 });
IssueSchema.index({ assigneeUnit: 1, deadline: 1 });
IssueSchema.index({ nextSupervisionAt: 1 });
// /状态: opened and closed per month.
IssueSchema.index({ createdAt: 1 });
IssueSchema.index({ closedAt: 1 });
IssueSchema.index({ createdMonth: 1 });
IssueSchema.index({ closedMonth: 1 });
// The assessment's due facts: a unit's problems due in a month, by equality.
IssueSchema.index({ assigneeUnit: 1, dueMonth: 1 });
IssueSchema.index({ 'source.ref': 1 });

const IssueHistorySchema = new Schema<IssueHistoryDoc>(
  {
    _id: { type: String, required: true },
    issueKey: { type: String, required: true },
    version: { type: Number, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true },
    action: { type: String, required: true },
    from: { type: String, required: true },
    to: { type: String, required: true },
    note: { type: String, default: null },
    photos: { type: [String], default: [] },
    facts: { type: Mixed, default: null },
    after: { type: Mixed, default: null },
  },
  { ...options, collection: 'issue_history' },
);
IssueHistorySchema.index({ issueKey: 1, at: 1 });

const SupervisionNoticeSchema = new Schema<SupervisionNoticeDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    issueKey: { type: String, required: true },
    unitId: { type: String, required: true },
    suggest: { type: String, required: true },
    reason: { type: String, required: true },
    createdAt: { type: Date, required: true },
    status: { type: String, required: true },
    decidedBy: { type: String, default: null },
    decidedAt: { type: Date, default: null },
  },
  { ...options, collection: 'supervision_notices' },
);
// The assessment counts confirmed notices per unit and year.
SupervisionNoticeSchema.index({ unitId: 1, status: 1, decidedAt: 1 });

function build(connection: Connection) {
  return {
    issues: connection.model('Issue', IssueSchema),
    issueHistory: connection.model('IssueHistory', IssueHistorySchema),
    supervisionNotices: connection.model('SupervisionNotice', SupervisionNoticeSchema),
  };
}

export type IssueModels = ReturnType<typeof build>;

/** The models on this connection, compiled once. */
export const issueModels = perConnection(build);
