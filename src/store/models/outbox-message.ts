import { type Connection, Schema } from 'mongoose';
import type { DeliveryFailureKind } from '../../domain/delivery/failure.js';
import { perConnection } from './per-connection.js';

/**
 * One logical message the bot must deliver to Feishu. The unique `key` makes "send this"
 * idempotent across retries, restarts and instances. This is the hot collection the worker
 * searches: a message leaves it for `outbox_settled` (same `_id`) once delivered, and a
 * failed one once the 未送达 window has passed, so nothing is sent twice, nothing is silently
 * dropped, and the searches stay small on the embedded database.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export type OutboxOperation =
  | { op: 'send'; receiveIdType: 'open_id' | 'chat_id'; receiveId: string; msgType: string; content: string }
  /** Uploads the file (base64 `data`), then sends it as a file message. */
  | {
      op: 'sendFile';
      receiveIdType: 'open_id' | 'chat_id';
      receiveId: string;
      fileName: string;
      fileType: 'doc' | 'xls' | 'pdf' | 'stream';
      data: string;
    }
  | { op: 'reply'; messageId: string; msgType: string; content: string; replyInThread: boolean }
  /**
   * Replaces a card. With `copyKey` it updates a copy of a card (the message sent under that
   * key, or the fresh message that replaced it): the worker resolves the copy's newest message
   * when it delivers, and sends a fresh card instead once Feishu no longer lets it be updated.
   */
  | { op: 'patch'; messageId: string; content: string; copyKey?: string }
  | { op: 'delayedUpdate'; token: string; card: Record<string, unknown> }
  /** Buzzes people; with `copyKey`, on that copy's newest message, once it is fresh. */
  | { op: 'urgent'; messageId: string; openIds: string[]; copyKey?: string };

export interface OutboxMessageDoc {
  /** The key again: on the embedded FerretDB only `_id` lookups avoid reading the whole collection. */
  _id: string;
  key: string;
  operation: OutboxOperation;
  /** The receiver whose per-user / per-chat rate limit this send counts against. */
  rateKey: string;
  status: OutboxStatus;
  /** Calls made to Feishu; a hold by our own limiter is not one. */
  attempts: number;
  /**
   * Claims ever made on the message (never decremented): the next claim inserts the lease
   * `key#(claims + 1)`, so each claim number is won by exactly one worker. Absent on records
   * queued before leases existed (read as 0).
   */
  claims?: number;
  createdAt: Date;
  /**
   * Queue order: the time queued in microseconds, strictly increasing within a process, so
   * updates of one card queued in the same millisecond still have an order (see
   * OutboxStore.patchOutdated). Absent on records queued before it was kept.
   */
  order?: number | null;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lastError: string | null;
  sentAt: Date | null;
  /** Feishu's message id for creates and replies, so later patches can find it. */
  messageId: string | null;
  /** The chat a create or reply landed in (from Feishu's answer), where a fresh copy goes. */
  chatId?: string | null;
  /** On a fresh card sent in place of an old copy: the key of that copy, which it now is. */
  copyOf?: string | null;
  /** On a fresh card: the queue order of the update whose card it carries (see OutboxStore.patchOutdated). */
  shows?: number | null;
  /** On a copy replaced by a fresh card: the fresh message and when it was sent. */
  freshMessageId?: string | null;
  freshSentAt?: Date | null;
  /** On a patch answered by a fresh card instead: the key of that fresh send. */
  resentAs?: string | null;
  /** On a patch not sent because a newer update of the same card was queued or shown first. */
  outdated?: boolean | null;
  /** When a message was kept as failed, why (sorted for people), and Feishu's code. */
  failedAt?: Date | null;
  failureKind?: DeliveryFailureKind | null;
  failureCode?: number | null;
  /** The local day of the undelivered digest that reported this failure. */
  reportedIn?: string | null;
}

/** The fields of an outbox record, shared by the hot collection and where settled records go. */
export const OUTBOX_FIELDS = {
  _id: { type: String, required: true },
  key: { type: String, required: true },
  operation: { type: Schema.Types.Mixed, required: true },
  rateKey: { type: String, required: true },
  status: { type: String, required: true, enum: ['pending', 'sending', 'sent', 'failed'] },
  attempts: { type: Number, required: true, default: 0 },
  claims: { type: Number, default: 0 },
  createdAt: { type: Date, required: true },
  order: { type: Number, default: null },
  nextAttemptAt: { type: Date, required: true },
  lockedUntil: { type: Date, default: null },
  lastError: { type: String, default: null },
  sentAt: { type: Date, default: null },
  messageId: { type: String, default: null },
  chatId: { type: String, default: null },
  copyOf: { type: String, default: null },
  shows: { type: Number, default: null },
  freshMessageId: { type: String, default: null },
  freshSentAt: { type: Date, default: null },
  resentAs: { type: String, default: null },
  outdated: { type: Boolean, default: null },
  failedAt: { type: Date, default: null },
  failureKind: { type: String, default: null },
  failureCode: { type: Number, default: null },
  reportedIn: { type: String, default: null },
};

const OutboxMessageSchema = new Schema<OutboxMessageDoc>(OUTBOX_FIELDS, {
  collection: 'outbox_messages',
  versionKey: false,
  minimize: false,
  id: false,
});
OutboxMessageSchema.index({ key: 1 }, { unique: true });
// The worker claims due messages in order; the sweep finds abandoned claims.
OutboxMessageSchema.index({ status: 1, nextAttemptAt: 1 });
OutboxMessageSchema.index({ status: 1, lockedUntil: 1 });
// Records sent before delivered messages moved to outbox_settled are found by message id until housekeeping moves them.
OutboxMessageSchema.index({ messageId: 1 });
// A card update looks for newer updates of the same message still queued.
OutboxMessageSchema.index({ rateKey: 1, order: 1 });
// The undelivered digest reads the failures of the last days, led by status and time.
OutboxMessageSchema.index({ status: 1, failedAt: 1 });

function buildOutboxMessageModel(connection: Connection) {
  return connection.model('OutboxMessage', OutboxMessageSchema);
}

export type OutboxMessageModel = ReturnType<typeof buildOutboxMessageModel>;

/** The model on this connection, compiled once. */
export const outboxMessageModel = perConnection(buildOutboxMessageModel);
