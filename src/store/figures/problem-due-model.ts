import { type Connection, Schema } from 'mongoose';
import type { IssueSourceKind } from '../../domain/issues/issue.js';
import { perConnection } from '../models/per-connection.js';

/** A problem that falls due, as the assessment lists it (see problem-due-facts.ts). */
export interface DueFact {
  key: string;
  /** For the order problems are listed in: by deadline, then number. */
  seq: number;
  number: string;
  description: string;
  kind: IssueSourceKind;
  deadline: Date;
  /** When it was closed (销号), while it stays closed. */
  closedAt: Date | null;
}

/** The problems assigned to one unit whose deadline falls in one month (see `dueMonth`). */
export interface DueSection {
  assigneeUnit: string;
  month: string;
}

/** A due section, always written whole: its problems in listing order. */
export interface ProblemDueDoc extends DueSection {
  _id: string;
  facts: DueFact[];
}

/** Due sections a change altered, not yet recomputed (inserted, never updated: see ProblemFigureMarkDoc). */
export interface ProblemDueMarkDoc {
  _id: string;
  sections: DueSection[];
  at: Date;
}

const options = { versionKey: false, minimize: false, id: false } as const;

const Due = new Schema<ProblemDueDoc>(
  {
    _id: { type: String, required: true },
    assigneeUnit: { type: String, required: true },
    month: { type: String, required: true },
    facts: { type: Schema.Types.Mixed, required: true },
  },
  { ...options, collection: 'problem_due_facts' },
);
// The assessment reads a year's months, one equality each, every unit at once.
Due.index({ month: 1 });

const Marks = new Schema<ProblemDueMarkDoc>(
  {
    _id: { type: String, required: true },
    sections: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { ...options, collection: 'problem_due_marks' },
);

function build(connection: Connection) {
  return {
    problemDueFacts: connection.model('ProblemDueFacts', Due),
    // Few documents (only sections waiting for the refresher): read whole, never by a field.
    problemDueMarks: connection.model('ProblemDueMark', Marks),
  };
}

export type ProblemDueModels = ReturnType<typeof build>;

/** The models on this connection, compiled once. */
export const problemDueModels = perConnection(build);
