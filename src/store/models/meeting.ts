import { type Connection, Schema } from 'mongoose';
import type { MeetingKind, MeetingState } from '../../domain/meetings/meeting.js';
import { perConnection } from './per-connection.js';

/**
 * Meetings (the documents they produce are in document.ts). `_id` is the key: on the embedded
 * FerretDB only `_id` lookups avoid reading a whole collection.
 */

export interface MeetingDoc {
  _id: string;
  kind: MeetingKind;
  title: string;
  waterBodyId: string | null;
  startsAt: Date;
  /** Local year of the start, for the yearly checks (总河长会议, 联席会议 rotation). */
  year: number;
  place: string;
  participants: string[];
  convener: string | null;
  organiserUnit: string;
  minutesId: string;
  state: MeetingState;
  version: number;
  createdBy: string;
  createdAt: Date;
}

const options = { versionKey: false as const, minimize: false, id: false };

const MeetingSchema = new Schema<MeetingDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    waterBodyId: { type: String, default: null },
    startsAt: { type: Date, required: true },
    year: { type: Number, required: true },
    place: { type: String, default: '' },
    participants: { type: [String], default: [] },
    convener: { type: String, default: null },
    organiserUnit: { type: String, required: true },
    minutesId: { type: String, required: true },
    state: { type: String, required: true },
    version: { type: Number, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { ...options, collection: 'meetings' },
);
// Reminders look at meetings about to start; the yearly checks by kind and year.
MeetingSchema.index({ state: 1, startsAt: 1 });
MeetingSchema.index({ kind: 1, year: 1 });

function build(connection: Connection) {
  return {
    meetings: connection.model('Meeting', MeetingSchema),
  };
}

export type MeetingModels = ReturnType<typeof build>;

/** The models on this connection, compiled once. */
export const meetingModels = perConnection(build);
