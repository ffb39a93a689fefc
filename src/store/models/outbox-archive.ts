import { type Connection, Schema } from 'mongoose';
import { OUTBOX_FIELDS, type OutboxMessageDoc } from './outbox-message.js';
import { perConnection } from './per-connection.js';

/**
 * Where outbox messages go when they leave the hot collection, and the exclusive claims on
 * the ones still there. Every read here is by `_id`: the embedded database reads only the
 * matching document for an `_id` lookup and every document for anything else, so these
 * collections may grow with the history without slowing the outbox down.
 */

/**
 * A delivered message (and, after the 未送达 window, a failed one) under its key: what the
 * key's de-duplication, a card copy's later updates and buzzes, and a fresh copy need — the
 * message id, its chat, when it was sent, where it went. The content is dropped: a copy is
 * updated with new content, never resent with the old.
 */
export type OutboxSettledDoc = OutboxMessageDoc;

// The same fields as the hot collection; a settled record's status is no longer constrained.
const OutboxSettledSchema = new Schema<OutboxSettledDoc>(
  { ...OUTBOX_FIELDS, status: { type: String, required: true } },
  { collection: 'outbox_settled', versionKey: false, minimize: false, id: false },
);

/** Feishu's id of a message the bot created or replied with → the outbox key it was sent under. */
export interface OutboxMessageIdDoc {
  _id: string;
  key: string;
}

const OutboxMessageIdSchema = new Schema<OutboxMessageIdDoc>(
  { _id: { type: String, required: true }, key: { type: String, required: true } },
  { collection: 'outbox_message_ids', versionKey: false, minimize: false, id: false },
);

/**
 * One worker's claim on one attempt of a queued message: `_id` is the key and the claim's
 * number. The insert is the claim — a unique `_id` insert is atomic on MongoDB and on the
 * embedded FerretDB alike, unlike findOneAndUpdate, which FerretDB may grant to two
 * connections at once. Removed when the attempt ends; leftovers of crashed workers are purged.
 */
export interface OutboxLeaseDoc {
  _id: string;
  key: string;
  at: Date;
}

const OutboxLeaseSchema = new Schema<OutboxLeaseDoc>(
  { _id: { type: String, required: true }, key: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'outbox_leases', versionKey: false, minimize: false, id: false },
);

function build(connection: Connection) {
  return {
    outboxSettled: connection.model('OutboxSettled', OutboxSettledSchema),
    outboxMessageIds: connection.model('OutboxMessageId', OutboxMessageIdSchema),
    outboxLeases: connection.model('OutboxLease', OutboxLeaseSchema),
  };
}

export type OutboxArchiveModels = ReturnType<typeof build>;

/** The models on this connection, compiled once. */
export const outboxArchiveModels = perConnection(build);
