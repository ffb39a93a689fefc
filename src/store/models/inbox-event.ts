import { type Connection, Schema } from 'mongoose';
import { perConnection } from './per-connection.js';

/**
 * The inbox, in three collections, so that every query the bot makes per event touches a
 * bounded number of documents whatever the history (the embedded database reads every
 * document a non-`_id` query can match):
 * - `inbox_events` holds only events not yet done, with their payload, so a crash never
 *   loses one; a done event leaves it.
 * - `inbox_seen` remembers every event id received, keyed by `_id` alone, so a delivery
 *   Feishu repeats (after 15 s, 5 min, 1 h and 6 h) is dropped; purged a day after.
 * - `inbox_leases` holds one record per retry attempt, keyed by event id and attempt: its
 *   unique insert decides which worker takes the attempt, which a conditional update does
 *   not on the embedded FerretDB (it applies findOneAndUpdate non-atomically).
 */
export type InboxStatus = 'processing' | 'failed';

export interface InboxEventDoc {
  _id: string;
  type: string;
  /**
   * The event body as a JSON string. Stored as text because a body may carry what the
   * database refuses as document keys or values (`$`-keys, nested arrays, NUL characters).
   * Older records hold the parsed object.
   */
  body: string | Record<string, unknown>;
  status: InboxStatus;
  attempts: number;
  receivedAt: Date;
  /** While processing: after this another worker may take the event over (crash recovery). */
  lockedUntil: Date | null;
  /** When failed: the earliest next try; null when it is left for a person to look at. */
  nextAttemptAt: Date | null;
  lastError: string | null;
}

const InboxEventSchema = new Schema<InboxEventDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    body: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true, enum: ['processing', 'failed'] },
    attempts: { type: Number, required: true, default: 0 },
    receivedAt: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
    nextAttemptAt: { type: Date, default: null },
    lastError: { type: String, default: null },
  },
  { collection: 'inbox_events', versionKey: false, minimize: false, id: false },
);

/** An event id received once; the unique `_id` is the de-duplication. */
export interface InboxSeenDoc {
  _id: string;
  at: Date;
}
const InboxSeenSchema = new Schema<InboxSeenDoc>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'inbox_seen', versionKey: false, minimize: false, id: false },
);

/** `<event id>#<attempt>`: whoever inserts it runs that attempt. */
export interface InboxLeaseDoc {
  _id: string;
  by: string;
  at: Date;
}
const InboxLeaseSchema = new Schema<InboxLeaseDoc>(
  { _id: { type: String, required: true }, by: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'inbox_leases', versionKey: false, minimize: false, id: false },
);

function buildInboxModels(connection: Connection) {
  return {
    inboxEvents: connection.model('InboxEvent', InboxEventSchema),
    inboxSeen: connection.model('InboxSeen', InboxSeenSchema),
    inboxLeases: connection.model('InboxLease', InboxLeaseSchema),
  };
}

export type InboxModels = ReturnType<typeof buildInboxModels>;
export type InboxEventModel = InboxModels['inboxEvents'];

/** The models on this connection, compiled once. */
export const inboxModels = perConnection(buildInboxModels);
