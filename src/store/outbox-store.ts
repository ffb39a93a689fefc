import type { Clock } from '../domain/clock.js';
import { isDuplicateKey } from './mongo-errors.js';
import { Serial } from './serial.js';
import type { OutboxMessageDoc, OutboxMessageModel, OutboxOperation } from './models/outbox-message.js';

export type OutboxRecord = OutboxMessageDoc;

/** Persistence of the outbox: enqueue once per key, claim due work, record outcomes. */
export class OutboxStore {
  private readonly claims = new Serial();

  constructor(
    private readonly model: OutboxMessageModel,
    private readonly clock: Clock,
    /** How long a claimed message is held before another worker may take it over. */
    private readonly lockMs = 60_000,
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

  async markSent(id: OutboxRecord['_id'], messageId: string | undefined): Promise<void> {
    await this.model.updateOne(
      { _id: id },
      { $set: { status: 'sent', sentAt: this.clock.now(), lockedUntil: null, lastError: null, messageId: messageId ?? null } },
    );
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

  async markFailed(id: OutboxRecord['_id'], error: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'failed', lockedUntil: null, lastError: error } });
  }

  /** The logical message behind a Feishu message id the bot sent (creates and replies). */
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
