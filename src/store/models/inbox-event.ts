import { Schema, type Connection } from 'mongoose';
import { perConnection } from './per-connection.js';

/**
 * Every event Feishu delivered, keyed by its event_id. The unique _id is what makes a
 * retried delivery (Feishu retries after 15 s, 5 min, 1 h, 6 h) or a second bot instance
 * process each event once. The payload is kept until done so a crash never loses an event.
 */
export type InboxStatus = 'processing' | 'done' | 'failed';

export interface InboxEventDoc {
  _id: string;
  type: string;
  body: Record<string, unknown>;
  status: InboxStatus;
  attempts: number;
  receivedAt: Date;
  /** While processing: after this another worker may take the event over (crash recovery). */
  lockedUntil: Date | null;
  /** When failed: the earliest next try. */
  nextAttemptAt: Date | null;
  lastError: string | null;
  doneAt: Date | null;
}

const InboxEventSchema = new Schema<InboxEventDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    body: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true, enum: ['processing', 'done', 'failed'] },
    attempts: { type: Number, required: true, default: 0 },
    receivedAt: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
    nextAttemptAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    doneAt: { type: Date, default: null },
  },
  { collection: 'inbox_events', versionKey: false, minimize: false, id: false },
);
// The retry sweep looks for unfinished events by status and time; the purge by age.
InboxEventSchema.index({ status: 1, nextAttemptAt: 1 });
InboxEventSchema.index({ status: 1, lockedUntil: 1 });
InboxEventSchema.index({ receivedAt: 1 });

function buildInboxEventModel(connection: Connection) {
  return connection.model('InboxEvent', InboxEventSchema);
}

export type InboxEventModel = ReturnType<typeof buildInboxEventModel>;

/** The model on this connection, compiled once. */
export const inboxEventModel = perConnection(buildInboxEventModel);
