import { type Connection, Schema } from 'mongoose';
import type { ChiefRole } from '../../domain/patrols/obligation.js';
import type { PatrolPeriods } from '../../domain/patrols/patrol.js';
import { perConnection } from './per-connection.js';

/** One patrol as recorded, with its history of corrections (never edited silently). */
export interface PatrolDoc {
  key: string;
  chiefId: string;
  /** The duty's role when recorded; absent on patrols recorded before it was kept. */
  role?: ChiefRole | null;
  /** Month, quarter and year keys in the district's zone, for counting on the database. */
  periods?: PatrolPeriods | null;
  waterBodyId: string | null;
  recordedBy: string;
  patrolledAt: Date;
  observations: string;
  problems: string[];
  photoKeys: string[];
  /** A location message sent in the card's thread. */
  location: { name: string; latitude: string; longitude: string } | null;
  status: 'recorded' | 'withdrawn';
  version: number;
  /**
   * Entered after the period it counts for (补记; `createdAt` is when it was entered), and the
   * person's reason. Absent on patrols recorded before they were kept: read as not late.
   */
  late?: boolean | null;
  lateReason?: string | null;
  history: Array<{ at: Date; by: string; action: 'recorded' | 'corrected' | 'withdrawn'; note: string | null }>;
  createdAt: Date;
}

/** 已安排: a chief's planned patrol day for one duty and period; reminders wait until then. */
export interface PatrolPlanDoc {
  key: string;
  /** The duty period it is for (`2026-11`), so the sweep reads a period's plans by equality; absent on older plans. */
  periodKey?: string | null;
  plannedDay: string;
  by: string;
  at: Date;
  /** The sweep's plan page it is on (see patrol-plan-pages): a hash of its key; absent on older plans. */
  page?: number | null;
}

const options = { versionKey: false, minimize: false, id: false } as const;

const PatrolSchema = new Schema<PatrolDoc>(
  {
    key: { type: String, required: true },
    chiefId: { type: String, required: true },
    role: { type: String, default: null },
    periods: { type: Schema.Types.Mixed, default: null },
    waterBodyId: { type: String, default: null },
    recordedBy: { type: String, required: true },
    patrolledAt: { type: Date, required: true },
    observations: { type: String, required: true },
    problems: { type: [String], default: [] },
    photoKeys: { type: [String], default: [] },
    location: { type: Schema.Types.Mixed, default: null },
    status: { type: String, required: true },
    version: { type: Number, required: true },
    late: { type: Boolean, default: false },
    lateReason: { type: String, default: null },
    history: {
      type: [
        {
          at: { type: Date, required: true },
          by: { type: String, required: true },
          action: { type: String, required: true },
          note: { type: String, default: null },
        },
      ],
      default: [],
      _id: false,
    },
    createdAt: { type: Date, required: true },
  },
  { ...options, collection: 'patrols' },
);
PatrolSchema.index({ key: 1 }, { unique: true });
// Duty fulfilment: a chief's patrols in a period; per water body for reports.
PatrolSchema.index({ chiefId: 1, patrolledAt: 1 });
PatrolSchema.index({ waterBodyId: 1, patrolledAt: 1 });
PatrolSchema.index({ patrolledAt: 1 });
// Fulfilment per role and period for /状态, counted on the database.
PatrolSchema.index({ role: 1, 'periods.year': 1, status: 1 });

const PatrolPlanSchema = new Schema<PatrolPlanDoc>(
  {
    key: { type: String, required: true },
    periodKey: { type: String, default: null },
    plannedDay: { type: String, required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true },
    page: { type: Number, default: null },
  },
  { ...options, collection: 'patrol_plans' },
);
PatrolPlanSchema.index({ key: 1 }, { unique: true });
PatrolPlanSchema.index({ periodKey: 1 });
// A plan page's plans, read by equality when one of them changed.
PatrolPlanSchema.index({ periodKey: 1, page: 1 });

function build(connection: Connection) {
  return {
    patrols: connection.model('Patrol', PatrolSchema),
    patrolPlans: connection.model('PatrolPlan', PatrolPlanSchema),
  };
}

export type PatrolModels = ReturnType<typeof build>;

/** The models on this connection, compiled once. */
export const patrolModels = perConnection(build);
