import type { Clock } from '../domain/clock.js';
import type { DeliveryFailureKind, DeliveryTarget, FailedDelivery } from '../domain/delivery/failure.js';
import { isDuplicateKey } from './mongo-errors.js';
import { Serial } from './serial.js';
import type { OutboxMessageDoc, OutboxMessageModel, OutboxOperation } from './models/outbox-message.js';
import { uploadedFileModel, type UploadedFileModel } from './models/uploaded-file.js';

export type OutboxRecord = OutboxMessageDoc;

/** Persistence of the outbox: enqueue once per key, claim due work, record outcomes. */
export class OutboxStore {
  private readonly claims = new Serial();

  constructor(
    private readonly model: OutboxMessageModel,
    private readonly clock: Clock,
    /** How long a claimed message is held before another worker may take it over. */
    private readonly lockMs = 60_000,
    private readonly uploads: UploadedFileModel = uploadedFileModel(model.db),
  ) {}

  /**
   * Queues a message under its logical key and returns it, or null when that key was queued
   * before. With `claimNow` the record is born claimed by the caller, who sends it at once:
   * the unique insert is the claim, so the usual path needs no search of the outbox.
   */
  async enqueue(
    key: string,
    operation: OutboxOperation,
    rateKey: string,
    timing: { claimNow: true } | { notBefore: Date },
    /** A fresh card sent in place of the copy under this key becomes that copy. */
    copyOf?: string,
  ): Promise<OutboxRecord | null> {
    const now = this.clock.now();
    const claimed = 'claimNow' in timing;
    try {
      const created = await this.model.create({
        _id: key,
        key,
        operation,
        rateKey,
        status: claimed ? 'sending' : 'pending',
        attempts: claimed ? 1 : 0,
        createdAt: now,
        nextAttemptAt: claimed ? now : timing.notBefore,
        lockedUntil: claimed ? new Date(now.getTime() + this.lockMs) : null,
        copyOf: copyOf ?? null,
      });
      return created.toObject();
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  /**
   * Claims the oldest due message (a retry, or one whose worker died) and counts the attempt.
   * This searches the outbox, so the worker only calls it on its periodic sweep.
   * Across instances Feishu's `uuid` on create and reply is the second guard against a double send.
   */
  async claimDue(): Promise<OutboxRecord | null> {
    return this.claims.run(() => this.claimOne());
  }

  private async claimOne(): Promise<OutboxRecord | null> {
    const now = this.clock.now();
    return this.model
      .findOneAndUpdate(
        {
          $or: [
            { status: 'pending', nextAttemptAt: { $lte: now } },
            { status: 'sending', lockedUntil: { $lte: now } },
          ],
        },
        { $set: { status: 'sending', lockedUntil: new Date(now.getTime() + this.lockMs) }, $inc: { attempts: 1 } },
        { returnDocument: 'after', sort: { nextAttemptAt: 1 } },
      )
      .lean<OutboxRecord>()
      .exec();
  }

  async markSent(id: OutboxRecord['_id'], messageId: string | undefined, chatId?: string): Promise<void> {
    await this.model.updateOne(
      { _id: id },
      { $set: { status: 'sent', sentAt: this.clock.now(), lockedUntil: null, lastError: null, messageId: messageId ?? null, chatId: chatId ?? null } },
    );
  }

  /** A fresh card replaced the copy under `copyKey`: later updates and buzzes go to it. */
  async adoptFresh(copyKey: string, messageId: string, sentAt: Date): Promise<void> {
    await this.model.updateOne({ _id: copyKey }, { $set: { freshMessageId: messageId, freshSentAt: sentAt } });
  }

  /** A patch answered by sending a fresh card (queued under `freshKey`) instead. */
  async markSuperseded(id: OutboxRecord['_id'], freshKey: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: this.clock.now(), lockedUntil: null, lastError: null, resentAs: freshKey } });
  }

  /** The newest message of a delivered copy and when it was sent (the fresh one once replaced). */
  async currentCopy(key: string): Promise<{ record: OutboxRecord; messageId: string; sentAt: Date } | undefined> {
    const record = await this.findByKey(key);
    if (record?.status !== 'sent' || !record.messageId || !record.sentAt) return undefined;
    if (record.freshMessageId && record.freshSentAt) return { record, messageId: record.freshMessageId, sentAt: record.freshSentAt };
    return { record, messageId: record.messageId, sentAt: record.sentAt };
  }

  /** Puts a message back for later; `countAttempt` false when it was only held back by our own limiter. */
  async defer(id: OutboxRecord['_id'], until: Date, error: string | null, countAttempt: boolean): Promise<void> {
    await this.model.updateOne(
      { _id: id },
      {
        $set: { status: 'pending', nextAttemptAt: until, lockedUntil: null, ...(error ? { lastError: error } : {}) },
        ...(countAttempt ? {} : { $inc: { attempts: -1 } }),
      },
    );
  }

  async markFailed(id: OutboxRecord['_id'], error: string, failure?: { kind: DeliveryFailureKind; code: number | null }): Promise<void> {
    await this.model.updateOne(
      { _id: id },
      { $set: { status: 'failed', lockedUntil: null, lastError: error, failedAt: this.clock.now(), failureKind: failure?.kind ?? 'refused', failureCode: failure?.code ?? null } },
    );
  }

  /**
   * Failures between two times not yet reported to the office, oldest first. Led by the
   * status and time index, so the embedded database reads only the window.
   */
  async unreportedFailures(since: Date, before: Date, limit: number): Promise<FailedDelivery[]> {
    const rows = await this.model
      .find({ status: 'failed', failedAt: { $gte: since, $lt: before }, reportedIn: null })
      .sort({ failedAt: 1 })
      .limit(limit)
      .lean<OutboxRecord[]>()
      .exec();
    return rows.map((r) => ({ key: r.key, target: targetOf(r), kind: r.failureKind ?? 'refused', code: r.failureCode ?? null, failedAt: r.failedAt ?? r.createdAt }));
  }

  /** Marks failures as told in the digest of this local day, so each is reported once. */
  async markReported(keys: string[], day: string): Promise<void> {
    if (keys.length === 0) return;
    await this.model.updateMany({ _id: { $in: keys } }, { $set: { reportedIn: day } });
  }

  /** The `file_key` of a file uploaded before, by its content hash. */
  async uploadedFileKey(hash: string): Promise<string | undefined> {
    return (await this.uploads.findOne({ _id: hash }).lean().exec())?.fileKey;
  }

  async rememberUpload(hash: string, fileKey: string): Promise<void> {
    await this.uploads.updateOne({ _id: hash }, { $setOnInsert: { fileKey, uploadedAt: this.clock.now() } }, { upsert: true });
  }

  /** The logical message behind a Feishu message id the bot sent (creates and replies, fresh copies included). */
  async findByMessageId(messageId: string): Promise<OutboxRecord | null> {
    return this.model.findOne({ messageId, 'operation.op': { $in: ['send', 'reply'] } }).lean<OutboxRecord>().exec();
  }

  async findByKey(key: string): Promise<OutboxRecord | null> {
    return this.model.findOne({ _id: key }).lean<OutboxRecord>().exec();
  }

  async listFailed(limit = 100): Promise<OutboxRecord[]> {
    return this.model.find({ status: 'failed' }).sort({ createdAt: -1 }).limit(limit).lean<OutboxRecord[]>().exec();
  }
}

/** Where a failed operation was going: the receiver of a send, else the chat or message it named. */
function targetOf(record: OutboxRecord): DeliveryTarget {
  const op = record.operation;
  if (op.op === 'send' || op.op === 'sendFile') return op.receiveIdType === 'chat_id' ? { chatId: op.receiveId } : { openId: op.receiveId };
  // A reply's rate key is its chat when the caller knew it.
  if (record.rateKey.startsWith('oc_')) return { chatId: record.rateKey };
  if ('messageId' in op) return { messageId: op.messageId };
  return { messageId: record.rateKey };
}
