import { type Connection, Schema } from 'mongoose';
import type { InspectionFinding } from '../../domain/inspections/inspection.js';
import { perConnection } from './per-connection.js';

/** 督查: an inspection and its findings (each a problem, by key). `_id` is the key. */
export interface InspectionDoc {
  _id: string;
  title: string;
  organiserUnit: string;
  waterBodyIds: string[];
  from: Date;
  to: Date;
  findings: InspectionFinding[];
  reportedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  version: number;
}

const InspectionSchema = new Schema<InspectionDoc>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    organiserUnit: { type: String, required: true },
    waterBodyIds: { type: [String], default: [] },
    from: { type: Date, required: true },
    to: { type: Date, required: true },
    findings: { type: Schema.Types.Mixed, default: [] },
    reportedAt: { type: Date, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { versionKey: false, minimize: false, id: false, collection: 'inspections' },
);

function build(connection: Connection) {
  return { inspections: connection.model('Inspection', InspectionSchema) };
}

export type InspectionModels = ReturnType<typeof build>;

export const inspectionModels = perConnection(build);
