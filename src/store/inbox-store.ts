import type { Collection } from 'mongodb';
import type { Clock } from '../domain/clock.js';
import { batchedDeleteById, batchedInsert, type GroupCommit } from './group-commit.js';
import type { InboxEventDoc, InboxModels, InboxSeenDoc } from './models/inbox-event.js';
import { isDuplicateKey } from './mongo-errors.js';

export interface InboxOptions {
  /** How long a worker holds an event before another may take it over. */
  lockMs: number;
  /** Attempts before an event is left as failed for a person to look at. */
  maxAttempts: number;
  /** Names the claimer in leases (an instance name), for whoever reads the database. */
  owner: string;
}

export const INBOX_DEFAULTS: InboxOptions = { lockMs: 2 * 60_000, maxAttempts: 5, owner: 'bot' };

/** Unfinished events the retry sweep looks at per claim; the rest wait for the next round. */
const RETRY_BATCH = 20;

/** An event taken for processing: its body parsed back from the stored text. */
export interface ClaimedEvent {
  id: string;
  type: string;
  body: Record<string, unknown>;
  attempts: number;
  receivedAt: Date;
}

function parseBody(body: InboxEventDoc['body']): Record<string, unknown> {
  return typeof body === 'string' ? (JSON.parse(body) as Record<string, unknown>) : body;
}

/**
 * Persistence of received events: the once-only claim, completion and retry bookkeeping.
 * Every decision of who processes what rests on a unique `_id` insert, atomic on MongoDB and
 * on the embedded FerretDB alike; no conditional update decides anything.
 */
export class InboxStore {
  private readonly options: InboxOptions;
  /** The writes every event makes, grouped per command when events arrive together. */
  private readonly insertEvent: GroupCommit<InboxEventDoc, boolean>;
  private readonly insertSeen: GroupCommit<InboxSeenDoc, boolean>;
  private readonly deleteEvent: GroupCommit<string, void>;

  constructor(
    private readonly models: Pick<InboxModels, 'inboxEvents' | 'inboxSeen' | 'inboxLeases'>,
    private readonly clock: Clock,
    options: Partial<InboxOptions> = {},
  ) {
    this.options = { ...INBOX_DEFAULTS, ...options };
    const events = models.inboxEvents.collection as unknown as Collection<InboxEventDoc>;
    this.insertEvent = batchedInsert(events);
    this.insertSeen = batchedInsert(models.inboxSeen.collection as unknown as Collection<InboxSeenDoc>);
    this.deleteEvent = batchedDeleteById(events);
  }

  /**
   * Records a delivery and claims it for processing. Returns false when the event id was
   * seen before, by this instance or another one sharing the database.
   *
   * The payload goes in first (its `_id` is unique among unfinished events), then the id is
   * remembered as seen (unique among all events of the last day). Either insert failing on
   * its key means someone had the event. In this order a crash between the two leaves the
   * payload for the retry sweep rather than a seen id with nothing to process.
   */
  async claim(id: string, type: string, body: Record<string, unknown>): Promise<boolean> {
    const now = this.clock.now();
    const fresh = await this.insertEvent.run({
      _id: id,
      type,
      body: JSON.stringify(body),
      status: 'processing',
      attempts: 1,
      receivedAt: now,
      lockedUntil: new Date(now.getTime() + this.options.lockMs),
      nextAttemptAt: null,
      lastError: null,
    });
    if (!fresh) return false;
    try {
      if (await this.insertSeen.run({ _id: id, at: now })) return true;
      // Done before (and so gone from the unfinished events): this payload is a repeat.
      await this.deleteEvent.run(id);
      return false;
    } catch (error) {
      // Without a seen record the event is not yet ours to keep: Feishu will deliver it again.
      await this.deleteEvent.run(id).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Claims a card callback that is answered while Feishu waits: remembering its id as seen
   * is the claim, one insert. It needs no unfinished record, because it is done (or has
   * failed, see recordFailedAnswer) before anyone hears back, and Feishu does not call a
   * callback again: a process that dies mid-tap leaves the person without an answer (the
   * client says the action failed) to tap again, not a tap replayed behind their back.
   */
  async claimAnswered(id: string): Promise<boolean> {
    return this.insertSeen.run({ _id: id, at: this.clock.now() });
  }

  /** A callback claimed by claimAnswered that failed: kept as failed for a person to look at, never retried. */
  async recordFailedAnswer(id: string, type: string, body: Record<string, unknown>, error: string): Promise<void> {
    const now = this.clock.now();
    await this.models.inboxEvents.updateOne(
      { _id: id },
      {
        $set: { status: 'failed', lastError: error.slice(0, 2000), lockedUntil: null, nextAttemptAt: null },
        $setOnInsert: { type, body: JSON.stringify(body), attempts: 1, receivedAt: now },
      },
      { upsert: true },
    );
  }

  /** A done event leaves the unfinished ones; its seen record keeps redeliveries out. */
  async markDone(id: string): Promise<void> {
    await this.deleteEvent.run(id);
  }

  /** Records a failed attempt; the retry sweep tries again later with a growing delay. */
  async markFailed(id: string, attempts: number, error: string, final = false): Promise<void> {
    const delayMs = Math.min(60_000 * 2 ** (attempts - 1), 60 * 60_000);
    await this.models.inboxEvents.updateOne(
      { _id: id },
      {
        $set: {
          status: 'failed',
          lastError: error.slice(0, 2000),
          lockedUntil: null,
          nextAttemptAt:
            final || attempts >= this.options.maxAttempts ? null : new Date(this.clock.now().getTime() + delayMs),
        },
      },
    );
  }

  /**
   * Takes over one event that failed and is due again, or whose worker died mid-way. The
   * next attempt goes to whoever inserts its lease (`<id>#<attempt>`); a worker that read
   * an older state of the event asks for an attempt already leased and is refused.
   */
  async claimForRetry(): Promise<ClaimedEvent | null> {
    const now = this.clock.now();
    const due = await this.models.inboxEvents
      .find({
        $or: [
          { status: 'failed', nextAttemptAt: { $ne: null, $lte: now } },
          { status: 'processing', lockedUntil: { $lte: now } },
        ],
      })
      .sort({ receivedAt: 1 })
      .limit(RETRY_BATCH)
      .lean<InboxEventDoc[]>()
      .exec();
    for (const doc of due) {
      const attempt = doc.attempts + 1;
      if (!(await this.lease(doc._id, attempt))) continue;
      await this.models.inboxEvents.updateOne(
        { _id: doc._id },
        {
          $set: { status: 'processing', attempts: attempt, lockedUntil: new Date(now.getTime() + this.options.lockMs) },
        },
      );
      return { id: doc._id, type: doc.type, body: parseBody(doc.body), attempts: attempt, receivedAt: doc.receivedAt };
    }
    return null;
  }

  /** The state of one event, for `/状态`-like views and tests: unfinished, done or unknown. */
  async stateOf(id: string): Promise<{ status: 'processing' | 'failed' | 'done'; attempts?: number } | null> {
    const pending = await this.models.inboxEvents.findById(id).lean<InboxEventDoc>().exec();
    if (pending) return { status: pending.status, attempts: pending.attempts };
    return (await this.models.inboxSeen.exists({ _id: id })) ? { status: 'done' } : null;
  }

  /**
   * Forgets seen ids and leases older than the cutoff: Feishu's last retry comes about six
   * hours after the first try, so a day's memory is enough. Also clears done records left
   * in the unfinished collection by versions that kept them there.
   */
  async purgeBefore(cutoff: Date): Promise<number> {
    const seen = await this.models.inboxSeen.deleteMany({ at: { $lt: cutoff } }).exec();
    await this.models.inboxLeases.deleteMany({ at: { $lt: cutoff } }).exec();
    await this.models.inboxEvents.deleteMany({ status: { $nin: ['processing', 'failed'] } }).exec();
    return seen.deletedCount;
  }

  private async lease(id: string, attempt: number): Promise<boolean> {
    try {
      await this.models.inboxLeases.create({ _id: `${id}#${attempt}`, by: this.options.owner, at: this.clock.now() });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}
