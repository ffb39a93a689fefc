import type { Clock } from '../domain/clock.js';
import { isDuplicateKey } from './mongo-errors.js';
import { Serial } from './serial.js';
import type { InboxEventDoc, InboxEventModel } from './models/inbox-event.js';

export interface InboxOptions {
  /** How long a worker holds an event before another may take it over. */
  lockMs: number;
  /** Attempts before an event is left as failed for a person to look at. */
  maxAttempts: number;
}

export const INBOX_DEFAULTS: InboxOptions = { lockMs: 2 * 60_000, maxAttempts: 5 };

/** Persistence of received events: the once-only claim, completion and retry bookkeeping. */
export class InboxStore {
  private readonly options: InboxOptions;
  private readonly retries = new Serial();

  constructor(
    private readonly model: InboxEventModel,
    private readonly clock: Clock,
    options: Partial<InboxOptions> = {},
  ) {
    this.options = { ...INBOX_DEFAULTS, ...options };
  }

  /**
   * Records a delivery and claims it for processing. Returns false when the event id was
   * seen before, by this instance or another one sharing the database.
   */
  async claim(id: string, type: string, body: Record<string, unknown>): Promise<boolean> {
    const now = this.clock.now();
    try {
      await this.model.create({
        _id: id,
        type,
        body,
        status: 'processing',
        attempts: 1,
        receivedAt: now,
        lockedUntil: new Date(now.getTime() + this.options.lockMs),
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async markDone(id: string): Promise<void> {
    await this.model.updateOne(
      { _id: id },
      { $set: { status: 'done', doneAt: this.clock.now(), lockedUntil: null, nextAttemptAt: null, lastError: null } },
    );
  }

  /** Records a failed attempt; the retry sweep tries again later with a growing delay. */
  async markFailed(id: string, attempts: number, error: string, final = false): Promise<void> {
    const delayMs = Math.min(60_000 * 2 ** (attempts - 1), 60 * 60_000);
    await this.model.updateOne(
      { _id: id },
      {
        $set: {
          status: 'failed',
          lastError: error.slice(0, 2000),
          lockedUntil: null,
          nextAttemptAt: final || attempts >= this.options.maxAttempts ? null : new Date(this.clock.now().getTime() + delayMs),
        },
      },
    );
  }

  /** Takes over one event that failed and is due again, or whose worker died mid-way. */
  async claimForRetry(): Promise<InboxEventDoc | null> {
    return this.retries.run(() => this.claimOneForRetry());
  }

  private async claimOneForRetry(): Promise<InboxEventDoc | null> {
    const now = this.clock.now();
    return this.model
      .findOneAndUpdate(
        {
          $or: [
            { status: 'failed', nextAttemptAt: { $ne: null, $lte: now } },
            { status: 'processing', lockedUntil: { $lte: now } },
          ],
        },
        {
          $set: { status: 'processing', lockedUntil: new Date(now.getTime() + this.options.lockMs) },
          $inc: { attempts: 1 },
        },
        { returnDocument: 'after', sort: { receivedAt: 1 } },
      )
      .lean<InboxEventDoc>()
      .exec();
  }

  /** Drops finished records older than the cutoff; Feishu stops retrying after about 7 hours. */
  async purgeDoneBefore(cutoff: Date): Promise<number> {
    const result = await this.model.deleteMany({ status: 'done', receivedAt: { $lt: cutoff } });
    return result.deletedCount;
  }
}
