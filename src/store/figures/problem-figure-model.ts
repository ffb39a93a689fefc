import { type Connection, Schema } from 'mongoose';
import { perConnection } from '../models/per-connection.js';
import type { MonthFigures, OpenFigures, SectionRef } from './problem-buckets.js';

/** A bucket's open section (see problem-buckets.ts): one per unit, or per group. */
export interface ProblemOpenDoc extends OpenFigures {
  _id: string;
  waterBodyId: string | null;
  assigneeUnit: string | null;
  supervisorUnits: string[];
}

/** A month section of a unit, a group, or the whole district. */
export interface ProblemMonthDoc extends MonthFigures {
  _id: string;
  by: 'unit' | 'group' | 'district';
  waterBodyId: string | null;
  assigneeUnit: string | null;
  supervisorUnits: string[];
  /** `2026-11`, and its year, so a view reads one year's months by equality. */
  month: string;
  year: number;
}

/**
 * Sections some change has altered whose figures are not yet recomputed: inserted by the
 * change (one insert, never an update: many changes at once to one unit must not contend
 * for one document), deleted by whoever recomputed all of them after reading this mark, so
 * a mark made during a recomputation is kept for the next one.
 */
export interface ProblemFigureMarkDoc {
  _id: string;
  sections: SectionRef[];
  at: Date;
}

const options = { versionKey: false, minimize: false, id: false } as const;
const Mixed = Schema.Types.Mixed;

function openSchema(collection: string) {
  return new Schema<ProblemOpenDoc>(
    {
      _id: { type: String, required: true },
      waterBodyId: { type: String, default: null },
      assigneeUnit: { type: String, default: null },
      supervisorUnits: { type: [String], default: [] },
      open: { type: Mixed, required: true },
    },
    { ...options, collection },
  );
}

const OpenByGroup = openSchema('problem_figures_group');
// A scoped /状态 reads the groups of its water bodies and units, one equality each.
OpenByGroup.index({ waterBodyId: 1 });
OpenByGroup.index({ assigneeUnit: 1 });
OpenByGroup.index({ supervisorUnits: 1 });

const Months = new Schema<ProblemMonthDoc>(
  {
    _id: { type: String, required: true },
    by: { type: String, required: true },
    waterBodyId: { type: String, default: null },
    assigneeUnit: { type: String, default: null },
    supervisorUnits: { type: [String], default: [] },
    month: { type: String, required: true },
    year: { type: Number, required: true },
    opened: { type: Mixed, required: true },
    closed: { type: Mixed, required: true },
  },
  { ...options, collection: 'problem_figures_month' },
);
Months.index({ by: 1, year: 1 });
Months.index({ by: 1, month: 1 });
Months.index({ waterBodyId: 1, year: 1 });
Months.index({ assigneeUnit: 1, year: 1 });
Months.index({ supervisorUnits: 1, year: 1 });

const Marks = new Schema<ProblemFigureMarkDoc>(
  {
    _id: { type: String, required: true },
    sections: { type: Mixed, required: true },
    at: { type: Date, required: true },
  },
  { ...options, collection: 'problem_figure_marks' },
);

function build(connection: Connection) {
  return {
    // Per assigned unit: the district's view reads these, one per unit.
    problemFiguresByUnit: connection.model('ProblemFiguresByUnit', openSchema('problem_figures_unit')),
    problemFiguresByGroup: connection.model('ProblemFiguresByGroup', OpenByGroup),
    problemFiguresByMonth: connection.model('ProblemFiguresByMonth', Months),
    // Few documents (only sections waiting for the refresher): read whole, never by a field.
    problemFigureMarks: connection.model('ProblemFigureMark', Marks),
  };
}

export type ProblemFigureModels = ReturnType<typeof build>;

/** The models on this connection, compiled once. */
export const problemFigureModels = perConnection(build);
