import { Schema, type Connection } from 'mongoose';
import { perConnection } from './per-connection.js';

/**
 * One logical message the bot must deliver to Feishu. The unique `key` makes "send this"
 * idempotent across retries, restarts and instances; the record stays after delivery
 * (or final failure) so nothing is sent twice and nothing is silently dropped.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export type OutboxOperation =
  | { op: 'send'; receiveIdType: 'open_id' | 'chat_id'; receiveId: string; msgType: string; content: string }
  /** Uploads the file (base64 `data`), then sends it as a file message. */
  | { op: 'sendFile'; receiveIdType: 'open_id' | 'chat_id'; receiveId: string; fileName: string; fileType: 'doc' | 'xls' | 'pdf' | 'stream'; data: string }
  | { op: 'reply'; messageId: string; msgType: string; content: string; replyInThread: boolean }
  | { op: 'patch'; messageId: string; content: string }
  | { op: 'delayedUpdate'; token: string; card: Record<string, unknown> }
  | { op: 'urgent'; messageId: string; openIds: string[] };

export interface OutboxMessageDoc {
  /** The key again: on the embedded FerretDB only `_id` lookups avoid reading the whole collection. */
  _id: string;
  key: string;
  operation: OutboxOperation;
  /** The receiver whose per-user / per-chat rate limit this send counts against. */
  rateKey: string;
  status: OutboxStatus;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lastError: string | null;
  sentAt: Date | null;
  /** Feishu's message id for creates and replies, so later patches can find it. */
  messageId: string | null;
}

const OutboxMessageSchema = new Schema<OutboxMessageDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    operation: { type: Schema.Types.Mixed, required: true },
    rateKey: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'sending', 'sent', 'failed'] },
    attempts: { type: Number, required: true, default: 0 },
    createdAt: { type: Date, required: true },
    nextAttemptAt: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
    sentAt: { type: Date, default: null },
    messageId: { type: String, default: null },
  },
  { collection: 'outbox_messages', versionKey: false, minimize: false, id: false },
);
OutboxMessageSchema.index({ key: 1 }, { unique: true });
// The worker claims due messages in order; the sweep finds abandoned claims.
OutboxMessageSchema.index({ status: 1, nextAttemptAt: 1 });
OutboxMessageSchema.index({ status: 1, lockedUntil: 1 });
// A reply in a card's thread names the card by Feishu's message id.
OutboxMessageSchema.index({ messageId: 1 });

function buildOutboxMessageModel(connection: Connection) {
  return connection.model('OutboxMessage', OutboxMessageSchema);
}

export type OutboxMessageModel = ReturnType<typeof buildOutboxMessageModel>;

/** The model on this connection, compiled once. */
export const outboxMessageModel = perConnection(buildOutboxMessageModel);
